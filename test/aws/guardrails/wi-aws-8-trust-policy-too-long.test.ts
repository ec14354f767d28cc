import { Template } from 'aws-cdk-lib/assertions';
import { IdentityMechanism, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

/** An IRSA identity with `n` ServiceAccounts: its trust grows by one subject each. */
function irsaIdentity(n: number) {
  const stack = reportingStack();
  const cluster = eksCluster(stack);
  const identity = new WorkloadIdentity(stack, 'Batch', { cluster, namespace: 'batch', serviceAccountName: 'job-0', mechanism: IdentityMechanism.IRSA });
  for (let i = 1; i < n; i++) { identity.addSubject({ cluster, namespace: 'batch', serviceAccountName: `job-${i}` }); }
  return stack;
}

/** The trust policy as IAM will see it: the provider reference replaced by its ARN, no whitespace. */
function renderedLength(stack: ReturnType<typeof irsaIdentity>): number {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  const document = JSON.stringify(Object.values<any>(roles)[0].Properties.AssumeRolePolicyDocument);
  return document.replace(/\{"Ref":"[A-Za-z0-9]+"\}/, JSON.stringify(`arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`)).length;
}

describe('WI-AWS-8 trust-policy-too-long', () => {
  test('a trust policy over 2,048 rendered characters is an error', () => {
    // GIVEN 60 subjects (about 40 characters each)
    const stack = irsaIdentity(60);
    const length = renderedLength(stack);
    expect(length).toBeGreaterThan(2048);
    // THEN the measured length is the rendered one
    expect(open(awsFindings(stack), 'WI-AWS-8')).toEqual([
      `WI-AWS-8 Role 'Test/Batch' has a trust policy of ${length} characters (rendered, without whitespace); the quota is 2048.`,
    ]);
  });

  test('a raised quota is configurable', () => {
    expect(open(awsFindings(irsaIdentity(60), { maxTrustPolicyLength: 4096 }), 'WI-AWS-8')).toEqual([]);
  });

  test('a few subjects fit', () => {
    const stack = irsaIdentity(3);
    expect(renderedLength(stack)).toBeLessThan(2048);
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
