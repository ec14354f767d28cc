import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-6 pod-identity-trust-tag-session', () => {
  test('Pod Identity trust without sts:TagSession is an error', () => {
    const stack = reportingStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
    expect(open(awsFindings(stack), 'WI-AWS-6')).toEqual(["WI-AWS-6 Role 'Test/Role' trusts pods.eks.amazonaws.com without sts:TagSession."]);
  });

  test('the Pod Identity trust WorkloadIdentity writes allows it', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
