import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-2 user-with-policies', () => {
  test('a user with permissions next to a workload identity is an error', () => {
    // GIVEN a workload identity, and a user granted the same bucket
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Upload', { cluster: eksCluster(stack), namespace: 'uploads', serviceAccountName: 'upload' });
    const bucket = new s3.Bucket(stack, 'Uploads');
    bucket.grantPut(new iam.User(stack, 'Legacy'));
    // THEN
    expect(open(awsFindings(stack), 'WI-AWS-2')).toEqual([
      "WI-AWS-2 IAM user 'Test/Legacy' has permissions (policy 'Test/Legacy/DefaultPolicy') in an app that declares workload identities.",
    ]);
  });

  test('inline and managed policies count too', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Upload', { cluster: eksCluster(stack), namespace: 'uploads', serviceAccountName: 'upload' });
    new iam.CfnUser(stack, 'Raw', {
      policies: [{ policyName: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    expect(open(awsFindings(stack), 'WI-AWS-2')).toEqual([
      "WI-AWS-2 IAM user 'Test/Raw' has permissions (inline Policies, ManagedPolicyArns) in an app that declares workload identities.",
    ]);
  });

  test('a user without permissions, or in an app without workload identities, is fine', () => {
    const withIdentity = reportingStack();
    new WorkloadIdentity(withIdentity, 'Upload', { cluster: eksCluster(withIdentity), namespace: 'uploads', serviceAccountName: 'upload' });
    new iam.User(withIdentity, 'Human');
    expect(open(awsFindings(withIdentity), 'WI-AWS-2')).toEqual([]);

    const plain = reportingStack();
    new s3.Bucket(plain, 'Uploads').grantPut(new iam.User(plain, 'Legacy'));
    expect(open(awsFindings(plain), 'WI-AWS-2')).toEqual([]);
  });
});
