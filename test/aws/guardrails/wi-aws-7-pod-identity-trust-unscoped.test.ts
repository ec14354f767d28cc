import { Fn } from 'aws-cdk-lib';
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

  /** A role trusting pods.eks.amazonaws.com (with sts:TagSession) under `conditions`, and its open WI-AWS-7 findings. */
  function warningsOn(conditions: { [operator: string]: { [key: string]: string } }): string[] {
    const stack = reportingStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com', { conditions }).withSessionTags() });
    return open(awsFindings(stack), 'WI-AWS-7');
  }
  const NO_ACCOUNT = "WI-AWS-7 Role 'Test/Role' trusts pods.eks.amazonaws.com without a condition on aws:SourceAccount.";
  const NO_CLUSTER = "WI-AWS-7 Role 'Test/Role' trusts pods.eks.amazonaws.com without a condition on the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn).";
  const NEITHER = "WI-AWS-7 Role 'Test/Role' trusts pods.eks.amazonaws.com without a condition on aws:SourceAccount or the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn).";

  test.each([
    ['ArnLike aws:SourceArn with a wildcard account names cluster prod of every account', { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:*:*:cluster/prod' } }, [NO_ACCOUNT]],
    ['StringLike aws:SourceAccount 1234* admits every account that starts so', { StringLike: { 'aws:SourceAccount': '1234*' }, StringEquals: { 'aws:RequestTag/eks-cluster-name': 'prod' } }, [NO_ACCOUNT]],
    ['ArnEquals compares ARNs with wildcards, as ArnLike does: 12345678901? is ten accounts', { ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:12345678901?:cluster/prod' } }, [NO_ACCOUNT]],
    ['a policy variable takes the request\'s own account', { StringEquals: { 'aws:SourceAccount': '${aws:SourceAccount}', 'aws:RequestTag/eks-cluster-name': 'prod' } }, [NO_ACCOUNT]],
    ['ArnLike aws:SourceArn cluster/* of every account names neither', { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:*:cluster/*' } }, [NEITHER]],
    ['StringLike aws:SourceArn whose * may swallow the colons before the account names neither', { StringLike: { 'aws:SourceArn': 'arn:aws:eks:*:123456789012:cluster/prod' } }, [NEITHER]],
    ['ArnLike aws:SourceArn cluster/* of one account pins the account but names every cluster of it', { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:123456789012:cluster/*' } }, [NO_CLUSTER]],
  ])('GIVEN a Pod Identity trust where %s WHEN synthesized THEN WI-AWS-7 warns', (_what, conditions, expected) => {
    expect(warningsOn(conditions)).toEqual(expected);
  });

  test('GIVEN a trust on the exact eks-cluster-arn session tag alone WHEN synthesized THEN WI-AWS-7 does not warn: EKS sets the tag from the pod\'s cluster, which pins its account', () => {
    expect(warningsOn({ StringEquals: { 'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' } })).toEqual([]);
  });

  test('GIVEN a trust on the eks-cluster-name session tag alone WHEN synthesized THEN WI-AWS-7 warns about the account: a name is the same in every account', () => {
    expect(warningsOn({ StringEquals: { 'aws:RequestTag/eks-cluster-name': 'prod' } })).toEqual([NO_ACCOUNT]);
  });

  test.each([
    ['ArnLike over names of one exact account, any region (the documented fleet pattern)', { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:*:123456789012:cluster/prod-*' } }],
    ['an exact aws:SourceAccount beside ArnLike with a wildcard account (IAM ANDs them)', { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:*:cluster/prod' } }],
  ])('GIVEN a Pod Identity trust with %s WHEN synthesized THEN WI-AWS-7 does not warn', (_what, conditions) => {
    expect(warningsOn(conditions)).toEqual([]);
  });

  test('GIVEN ArnEquals on a cluster ARN known only at deployment (an import) WHEN synthesized THEN WI-AWS-7 does not warn: the value stands for one cluster, though it renders as ?', () => {
    expect(warningsOn({ ArnEquals: { 'aws:SourceArn': Fn.importValue('ProdClusterArn') } })).toEqual([]);
  });

  test('the subject-scoped trust WorkloadIdentity writes is fine', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    expect(awsFindings(stack)).toEqual([]);
  });
});
