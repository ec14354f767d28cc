import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

/** One statement per bucket: about 75 rendered characters each. */
function grantBuckets(grantee: iam.IGrantable, count: number): void {
  for (let i = 0; i < count; i++) {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::reports-${i}/*`] }));
  }
}

/** The policy documents attached to the stack's roles, as IAM counts them (no placeholders here: every value is literal). */
function renderedLength(stack: ReturnType<typeof reportingStack>): number {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .reduce((sum, p) => sum + JSON.stringify(p.Properties.PolicyDocument).length, 0);
}

describe('WI-AWS-14 inline-policies-too-long', () => {
  test('GIVEN a workload role with an attached policy that renders over 10,240 characters THEN it is an error with the measured length', () => {
    // GIVEN a policy of the user's own: iam.Role moves only its DefaultPolicy's overflow into managed policies
    const stack = reportingStack();
    const identity = new WorkloadIdentity(stack, 'Reports', { cluster: eksCluster(stack), namespace: 'reports', serviceAccountName: 'report' });
    const policy = new iam.Policy(stack, 'Reads');
    for (let i = 0; i < 160; i++) { policy.addStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::reports-${i}/*`] })); }
    policy.attachToRole(identity.role);
    const length = renderedLength(stack);
    expect(length).toBeGreaterThan(10_240);

    // THEN
    expect(open(awsFindings(stack), 'WI-AWS-14')).toEqual([
      `WI-AWS-14 Role 'Test/Reports' has inline policies of ${length} characters together (rendered, without whitespace); the quota is 10240.`,
    ]);
  });

  test('GIVEN the role\'s own Policies and an attached policy THEN they count together', () => {
    // GIVEN two documents of about 6,000 characters: each fits, together they do not
    const stack = reportingStack();
    const identity = new WorkloadIdentity(stack, 'Reports', { cluster: eksCluster(stack), namespace: 'reports', serviceAccountName: 'report' });
    grantBuckets(identity, 80);
    const document = new iam.PolicyDocument();
    for (let i = 0; i < 80; i++) { document.addStatements(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [`arn:aws:s3:::uploads-${i}/*`] })); }
    (identity.role.node.defaultChild as iam.CfnRole).policies = [{ policyName: 'uploads', policyDocument: document }];

    // THEN
    expect(open(awsFindings(stack), 'WI-AWS-14')).toEqual([expect.stringMatching(/^WI-AWS-14 Role 'Test\/Reports' has inline policies of \d+ characters together/)]);
  });

  test('GIVEN a workload role with a few grants THEN nothing is reported', () => {
    const stack = reportingStack();
    const identity = new WorkloadIdentity(stack, 'Reports', { cluster: eksCluster(stack), namespace: 'reports', serviceAccountName: 'report' });
    grantBuckets(identity, 80);
    expect(renderedLength(stack)).toBeLessThan(10_240);
    expect(open(awsFindings(stack))).toEqual([]);
  });

  test('GIVEN an iam.Role with the same grants THEN nothing is reported: iam.Role moves the overflow into managed policies', () => {
    const stack = reportingStack();
    const role = new iam.Role(stack, 'Reports', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    grantBuckets(role, 160);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::IAM::ManagedPolicy', {}, 1);
    expect(open(awsFindings(stack), 'WI-AWS-14')).toEqual([]);
  });
});
