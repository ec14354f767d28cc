import * as iam from 'aws-cdk-lib/aws-iam';
import { GuardrailLevel, WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-7 pod-identity-trust-unscoped (warning)', () => {
  test('the account-wide opt-out is scoped to the account, not to a cluster', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Payment', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment', podIdentity: { restrictTrustToSubjects: false },
    });
    const findings = awsFindings(stack).filter(f => f.ruleId === 'WI-AWS-7');
    expect(open(findings)).toEqual([
      "WI-AWS-7 Role 'Test/Payment' trusts pods.eks.amazonaws.com without a condition on the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn).",
    ]);
    expect(findings[0].level).toBe(GuardrailLevel.WARNING);
  });

  test('a bare Pod Identity trust misses both', () => {
    const stack = reportingStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags() });
    expect(open(awsFindings(stack), 'WI-AWS-7')).toEqual([
      "WI-AWS-7 Role 'Test/Role' trusts pods.eks.amazonaws.com without a condition on aws:SourceAccount or the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn).",
    ]);
  });

  test('a Not operator scopes nothing: StringNotEquals aws:SourceAccount and ArnNotEquals aws:SourceArn let in every other account and cluster', () => {
    // GIVEN
    const stack = reportingStack();
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com', {
        conditions: {
          StringNotEquals: { 'aws:SourceAccount': '999999999999' },
          ArnNotEquals: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:999999999999:cluster/other' },
        },
      }).withSessionTags(),
    });

    // WHEN / THEN
    expect(open(awsFindings(stack), 'WI-AWS-7')).toEqual([
      "WI-AWS-7 Role 'Test/Role' trusts pods.eks.amazonaws.com without a condition on aws:SourceAccount or the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn).",
    ]);
  });

  test('the subject-scoped trust WorkloadIdentity writes is fine', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    expect(awsFindings(stack)).toEqual([]);
  });
});
