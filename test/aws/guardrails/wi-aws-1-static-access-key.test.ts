import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-1 static-access-key', () => {
  test('an access key is an error', () => {
    // GIVEN a user with an access key
    const stack = reportingStack();
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    // THEN
    expect(open(awsFindings(stack), 'WI-AWS-1')).toEqual(["WI-AWS-1 Access key 'Test/Key' creates a static credential."]);
  });

  test('a workload identity has none', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
