import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadIdentityGuardrails } from '../../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY, REGION } from '../../fixtures';
import { synthError } from '../../guardrails/helpers';

// End to end through `app.synth()`: the CDK runs the plugin (CDK_VALIDATION=false
// only turns off aws-cdk-lib's own CloudFormation rules).
const env = { account: ACCOUNT, region: REGION };

describe('WorkloadIdentityGuardrails', () => {
  test('a plain CDK app can turn them on', () => {
    // GIVEN an app that does not use the library otherwise
    const app = new App();
    const stack = new Stack(app, 'Plain', { env });
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    // WHEN
    Validations.of(app).addPlugins(new WorkloadIdentityGuardrails());
    // THEN synth fails, naming the rule, the resource and the fix
    const message = synthError(() => app.synth());
    expect(message).toContain("WI-AWS-1: Access key 'Plain/Key' creates a static credential. Access keys never expire and leak through images, logs and laptops.");
    expect(message).toContain('Suggested fix: Remove the AWS::IAM::AccessKey');
  });

  test('they are on by default in an app with a WorkloadIdentity', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    expect(synthError(() => app.synth())).toContain("WI-AWS-1: Access key 'Shop/Key' creates a static credential.");
  });

  test('an acknowledged finding, and warnings, do not fail synth', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment', podIdentity: { restrictTrustToSubjects: false },
    });
    const key = new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    WorkloadIdentityGuardrails.acknowledge(key, 'WI-AWS-1', 'Vendor integration without OIDC; rotated monthly.');
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(synthError(() => app.synth())).toBe('');
    expect(stderr.mock.calls.join('\n')).toContain("WI-AWS-7: Role 'Shop/Payment' trusts pods.eks.amazonaws.com without a condition on the cluster");
    stderr.mockRestore();
  });

  test('guardrails added by the user replace the default ones', () => {
    // GIVEN an intended wildcard subject, declared to explicit guardrails
    const app = new App();
    const stack = new Stack(app, 'Ci', { env });
    new WorkloadIdentity(stack, 'Report', { cluster: eksCluster(stack), namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA });
    new iam.Role(stack, 'Runners', {
      assumedBy: new iam.WebIdentityPrincipal(`arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`, {
        StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:ci:runner-*' },
        StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
      }),
    });
    Validations.of(app).addPlugins(new WorkloadIdentityGuardrails({ subjectPatterns: ['system:serviceaccount:ci:runner-*'] }));
    // THEN the default instance does not report it again
    expect(synthError(() => app.synth())).toBe('');
  });

  test('they cover stacks in Stages (CDK Pipelines); one app staged to two accounts does not collide with itself', () => {
    // GIVEN the same workloads and cluster name in a staging and a production Stage (each cluster with its own issuer)
    const app = new App();
    const stages = ['111111111111', '222222222222'].map((account, i) => {
      const stage = new Stage(app, i === 0 ? 'Staging' : 'Prod', { env: { account, region: REGION } });
      const stack = new Stack(stage, 'Workloads');
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
        clusterName: 'campus', clusterArn: `arn:aws:eks:${REGION}:${account}:cluster/campus`, oidcIssuerUrl: `https://${ISSUER_KEY.replace(/EXAMPLE$/, String(i))}`,
      });
      new WorkloadIdentity(stack, 'Payment', { cluster, namespace: 'payments', serviceAccountName: 'payment' });
      new WorkloadIdentity(stack, 'Report', { cluster, namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA });
      return stack;
    });
    // WHEN production also gets a static key
    const key = new iam.AccessKey(stages[1], 'Key', { user: new iam.User(stages[1], 'Ci') });
    // THEN only the key is reported: one add-on and one OIDC provider per account are not duplicates
    const message = synthError(() => app.synth());
    expect(message).toContain("WI-AWS-1: Access key 'Prod/Workloads/Key' creates a static credential.");
    expect(message.match(/WI-AWS-\d+:/g)).toEqual(['WI-AWS-1:']);
    // AND an acknowledgement inside the Stage is honoured
    WorkloadIdentityGuardrails.acknowledge(key, 'WI-AWS-1', 'Vendor integration without OIDC; rotated monthly.');
    expect(synthError(() => app.synth())).toBe('');
  });

  test('invalid quotas are refused', () => {
    expect(() => new WorkloadIdentityGuardrails({ maxTrustPolicyLength: 0 })).toThrow('Invalid maxTrustPolicyLength 0: it must be a positive whole number.');
  });
});
