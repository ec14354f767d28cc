import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WorkloadIdentity } from '../../../lib';
import { ACCOUNT, eksCluster, newStack } from '../../fixtures';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/reporter`;
const NOT_APPLIED = `Grant not applied: WorkloadIdentity 'Test/Reporter' uses the role ${ROLE_ARN}, imported as immutable (iam.Role.fromRoleArn with mutable: false, ` +
  'a role of another account, or withoutPolicyUpdates), which takes no policy from this app: ';

function warningsOf(stack: import('aws-cdk-lib').Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Grant not applied')).map(w => w.entry.data as string);
}

describe('grants to an identity built on an imported immutable role (issue 18 §2)', () => {
  test('each grant not applied is named in a warning, besides the trust', () => {
    // GIVEN an identity on a role imported immutable
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN, { mutable: false });
    const identity = new WorkloadIdentity(stack, 'Reporter', { cluster: eksCluster(stack), namespace: 'reports', serviceAccountName: 'reporter', role });

    // WHEN two grants are made to it
    new s3.Bucket(stack, 'Reports', { bucketName: 'campus-reports' }).grantRead(identity);
    identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:jobs'] }));

    // THEN no policy is written, and each dropped grant is said
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`^${NOT_APPLIED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}Allow s3:GetObject\\*, s3:GetBucket\\*, s3:List\\* on `));
    expect(warnings[1]).toBe(`${NOT_APPLIED}Allow sqs:SendMessage on arn:aws:sqs:eu-west-1:123456789012:jobs is not in its policies. ` +
      'Add it to that role yourself, or import the role mutable. [ack: cdk-eks-workload-identity:grant-not-applied]');
  });

  test('a mutable imported role gets the grant as a policy, and no such warning', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN);
    const identity = new WorkloadIdentity(stack, 'Reporter', { cluster: eksCluster(stack), namespace: 'reports', serviceAccountName: 'reporter', role });
    identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:jobs'] }));
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 1);
    expect(warningsOf(stack)).toEqual([]);
  });
});
