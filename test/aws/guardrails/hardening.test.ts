import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadIdentity, WorkloadIdentityGuardrails } from '../../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY, REGION } from '../../fixtures';
import { synthError } from '../../guardrails/helpers';

// Issue 10 §3: no route silences a rule without a reason, and every stack is looked at.
// End to end through app.synth(), with only APIs that existed before, so each test
// failed on the code before the fix.
const env = { account: ACCOUNT, region: REGION };

function appWithIdentity(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Shop', { env });
  new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
  return { app, stack };
}

function wildcardRole(scope: Stack, id: string, subject: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.WebIdentityPrincipal(`arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`, {
      StringLike: { [`${ISSUER_KEY}:sub`]: subject },
      StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
    }),
  });
}

describe('acknowledgements without a reason', () => {
  test.each(['', '  '])('the namespaced id aws-cdk-lib tells users to copy, with reason %j, does not silence an error', reason => {
    // GIVEN a static key acknowledged the way aws-cdk-lib's report suggests, without a reason
    const { app, stack } = appWithIdentity();
    const key = new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    Validations.of(key).acknowledge({ id: 'WorkloadIdentityGuardrails::WI-AWS-1', reason });
    // THEN synth still fails, saying why
    expect(synthError(() => app.synth())).toContain(
      "WI-AWS-1: Access key 'Shop/Key' creates a static credential. The acknowledgement of WI-AWS-1 at 'Shop/Key' has no reason, so it does not count.");
  });

  test('nor a warning', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    const identity = new WorkloadIdentity(stack, 'Payment', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment', podIdentity: { restrictTrustToSubjects: false },
    });
    Validations.of(identity).acknowledge({ id: 'WorkloadIdentityGuardrails::WI-AWS-7', reason: '' });
    expect(synthError(() => app.synth())).toContain('The acknowledgement of WI-AWS-7 at \'Shop/Payment\' has no reason, so it does not count.');
  });

  test('the namespaced id with a reason is honoured', () => {
    const { app, stack } = appWithIdentity();
    const key = new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    Validations.of(key).acknowledge({ id: 'WorkloadIdentityGuardrails::WI-AWS-1', reason: 'Vendor integration without OIDC; rotated monthly.' });
    expect(synthError(() => app.synth())).toBe('');
  });
});

describe('every stack of the app is checked', () => {
  test('guardrails registered on one Stage leave the default checking the rest of the app', () => {
    // GIVEN an app whose Prod stage has explicit guardrails that allow a runner pattern
    const { app, stack } = appWithIdentity();
    const prod = new Stage(app, 'Prod', { env });
    const prodStack = new Stack(prod, 'Ci');
    wildcardRole(prodStack, 'Runners', 'system:serviceaccount:ci:runner-*');
    Validations.of(prod).addPlugins(new WorkloadIdentityGuardrails({ subjectPatterns: ['system:serviceaccount:ci:runner-*'] }));
    // WHEN the app's own stack, outside that Stage, gets a static key and the same wildcard
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    wildcardRole(stack, 'Runners', 'system:serviceaccount:ci:runner-*');
    // THEN the default instance reports both there, and the Stage's pattern holds inside it only
    const message = synthError(() => app.synth());
    expect(message).toContain("WI-AWS-1: Access key 'Shop/Key' creates a static credential.");
    expect(message).toContain("WI-AWS-4: Role 'Shop/Runners' trusts the wildcard subject 'system:serviceaccount:ci:runner-*'");
    expect(message).not.toContain('Prod/Ci/Runners');
    expect(message.match(/WI-AWS-\d+:/g)).toEqual(['WI-AWS-1:', 'WI-AWS-4:']);
  });

  test('resources in a NestedStack are checked', () => {
    const { app, stack } = appWithIdentity();
    const nested = new NestedStack(stack, 'Legacy');
    new iam.AccessKey(nested, 'Key', { user: new iam.User(nested, 'Ci') });
    expect(synthError(() => app.synth())).toContain("WI-AWS-1: Access key 'Shop/Legacy/Key' creates a static credential.");
  });

  test('an acknowledgement inside a NestedStack is honoured', () => {
    const { app, stack } = appWithIdentity();
    const nested = new NestedStack(stack, 'Legacy');
    const key = new iam.AccessKey(nested, 'Key', { user: new iam.User(nested, 'Ci') });
    Validations.of(key).acknowledge({ id: 'WI-AWS-1', reason: 'Vendor integration without OIDC; rotated monthly.' });
    expect(synthError(() => app.synth())).toBe('');
  });
});

describe('a second agent add-on', () => {
  test('is a finding with a rule id that leaves the other findings visible, and can be acknowledged', () => {
    // GIVEN an identity that installs the agent, a second agent declared after it, and a static key
    const { app, stack } = appWithIdentity();
    const second = new eks.CfnAddon(stack, 'UserAgent', { clusterName: 'campus', addonName: 'eks-pod-identity-agent' });
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    // THEN both are reported, each under its rule
    const message = synthError(() => app.synth());
    expect(message).toContain("WI-AWS-10: Cluster 'campus' has 2 eks-pod-identity-agent add-ons (Shop/Cluster/PodIdentityAgent, Shop/UserAgent).");
    expect(message).toContain("WI-AWS-1: Access key 'Shop/Key' creates a static credential.");
    // AND the add-on can be acknowledged like any finding
    Validations.of(second).acknowledge({ id: 'WI-AWS-10', reason: 'Migration: the old add-on is removed in the next deployment.' });
    expect(synthError(() => app.synth())).not.toContain('WI-AWS-10');
  });
});

describe('Fargate and wildcard subjects', () => {
  test('a Fargate profile whose namespace selector has a wildcard is seen', () => {
    const { app, stack } = appWithIdentity();
    new eks.CfnFargateProfile(stack, 'Serverless', {
      clusterName: 'campus', podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/fargate`, selectors: [{ namespace: 'pay*' }],
    });
    expect(synthError(() => app.synth())).toContain(
      "WI-AWS-12: Pod identity association 'Shop/Payment/PodIdentityAssociation' targets namespace 'payments', which Fargate profile 'Shop/Serverless' runs on Fargate (selector 'pay*').");
  });

  test.each(['*', 'system:serviceaccount:*:*', 'system:serviceaccount:team-*:app', 'runner-*'])('subjectPatterns %j is refused, not accepted as a subject', pattern => {
    expect(() => new WorkloadIdentityGuardrails({ subjectPatterns: [pattern] })).toThrow(
      `Invalid subjectPatterns entry '${pattern}': a pattern must be system:serviceaccount:<namespace>:<name pattern> with a literal namespace ` +
      "(e.g. 'system:serviceaccount:ci:runner-*'). List each namespace's pattern on its own.");
  });

  test('an IRSA identity is not affected by a wildcard Fargate profile', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment', mechanism: IdentityMechanism.IRSA });
    new eks.CfnFargateProfile(stack, 'Serverless', { clusterName: 'campus', podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/fargate`, selectors: [{ namespace: '*' }] });
    expect(synthError(() => app.synth())).toBe('');
  });
});
