import * as fs from 'fs';
import * as path from 'path';
import { App, attachCustomSynthesis, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadIdentityGuardrails } from '../../../lib';
import { bindingOrigin } from '../../../lib/core/synth-order';
import { ACCOUNT, eksCluster, REGION } from '../../fixtures';
import { synthError } from '../../guardrails/helpers';

// The default guardrails evaluate the app at the end of its synthesis and become a
// validation plugin only when they have something to report (test/setup.ts sets
// CDK_VALIDATION=false, so no other plugin runs unless a test adds one).
const env = { account: ACCOUNT, region: REGION };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/edge`;

function report(app: App): any {
  const file = path.join(app.outdir, 'validation-report.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined;
}

describe('the default guardrails at synthesis', () => {
  test('a clean app hands aws-cdk-lib no plugin: no validation report, and its bindings are validated', () => {
    // GIVEN an app whose identities pass every rule
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    const payment = new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    // WHEN
    app.synth();
    // THEN aws-cdk-lib ran no plugin (it wrote an empty report before), and WorkloadOutputs may write YAML
    expect(report(app)).toBeUndefined();
    expect(bindingOrigin(payment.primaryBinding)).toEqual(expect.objectContaining({ validated: true, failed: false }));
  });

  test('findings acknowledged with a reason are nothing to report', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    const key = new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    Validations.of(key).acknowledge({ id: 'WI-AWS-1', reason: 'Vendor integration without OIDC; rotated monthly.' });
    expect(synthError(() => app.synth())).toBe('');
    expect(report(app)).toBeUndefined();
  });

  test('an unreasoned acknowledgement still fails synth, with the same message', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    const key = new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    key.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { 'WI-AWS-1': ' ' });
    expect(synthError(() => app.synth())).toContain(
      "WI-AWS-1: Access key 'Shop/Key' creates a static credential. The acknowledgement of WI-AWS-1 at 'Shop/Key' has no reason, so it does not count.");
  });

  test('a warning is reported as before: in the report and on stderr, synth passes', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment', podIdentity: { restrictTrustToSubjects: false },
    });
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(synthError(() => app.synth())).toBe('');
      expect(stderr.mock.calls.join('\n')).toContain("WI-AWS-7: Role 'Shop/Payment' trusts pods.eks.amazonaws.com without a condition on the cluster");
    } finally {
      stderr.mockRestore();
    }
    const plugin = report(app).pluginReports.find((r: any) => r.pluginName === 'WorkloadIdentityGuardrails');
    expect(plugin.conclusion).toBe('success');
    expect(plugin.violations.map((v: any) => `${v.ruleName} ${v.severity}`)).toEqual(['WI-AWS-7 warning']);
  });

  test('an app with something to report is evaluated once per synthesis: the plugin reuses what the synthesis found, for the same stacks in the same order', () => {
    // GIVEN warnings in stacks of the app and of Stages, more than nine stacks (artifact ids sort Shop10 before Shop2)
    const app = new App();
    for (let i = 1; i <= 12; i++) {
      const stack = new Stack(i % 3 ? app : new Stage(app, `Stage${i}`), `Shop${i}`, { env });
      new WorkloadIdentity(stack, 'Payment', {
        cluster: eksCluster(stack, 'Cluster', `campus${i}`), namespace: 'payments', serviceAccountName: 'payment', podIdentity: { restrictTrustToSubjects: false },
      });
    }
    const check = jest.spyOn(WorkloadIdentityGuardrails.prototype as any, 'check');
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(synthError(() => app.synth())).toBe('');
    } finally {
      stderr.mockRestore();
    }
    // THEN one evaluation, and every stack's warning is in the report
    expect(check).toHaveBeenCalledTimes(1);
    check.mockRestore();
    const plugin = report(app).pluginReports.find((r: any) => r.pluginName === 'WorkloadIdentityGuardrails');
    expect(plugin.violations.map((v: any) => v.violatingConstructs[0].constructPath).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `${(i + 1) % 3 ? '' : `Stage${i + 1}/`}Shop${i + 1}/Payment/Resource/Resource`).sort());
  });

  test('an acknowledged finding of a rule that picks one resource of a group keeps them a plugin, and stays acknowledged', () => {
    // GIVEN a second agent add-on on a cluster whose handle installs one, acknowledged
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    const second = new eks.CfnAddon(stack, 'Agent', { clusterName: 'campus', addonName: 'eks-pod-identity-agent' });
    WorkloadIdentityGuardrails.acknowledge(second, 'WI-AWS-10', 'Migrating the add-on between stacks; the old one goes next deploy.');
    // THEN synth passes, judged by the plugin on the stacks in aws-cdk-lib's order
    expect(synthError(() => app.synth())).toBe('');
    expect(report(app)).toEqual(expect.objectContaining({ pluginReports: [] }));
  });

  test('an explicit instance on a Stage still checks that Stage with its own options', () => {
    // GIVEN a clean app, and a Stage whose guardrails allow shorter trust policies only
    const app = new App();
    const stage = new Stage(app, 'Prod', { env });
    const stack = new Stack(stage, 'Workloads');
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    Validations.of(stage).addPlugins(new WorkloadIdentityGuardrails({ maxTrustPolicyLength: 100 }));
    // THEN that Stage's role is refused by its instance
    expect(synthError(() => app.synth())).toMatch(/WI-AWS-8: Role 'Prod\/Workloads\/Payment' has a trust policy of \d+ characters \(rendered, without whitespace\); the quota is 100\./);
  });

  test('a cluster name declared NOT_EKS in a Stage an explicit instance checks is still matched by name alone by the default', () => {
    // GIVEN 'edge' declared NOT_EKS in a Stage with its own guardrails, in account 111111111111
    const app = new App();
    const stage = new Stage(app, 'Edge', { env: { account: '111111111111', region: REGION } });
    const edgeStack = new Stack(stage, 'Cluster');
    const edge = WorkloadCluster.fromClusterAttributes(edgeStack, 'Edge', { clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    new WorkloadIdentity(edgeStack, 'Report', { cluster: edge, namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA });
    Validations.of(stage).addPlugins(new WorkloadIdentityGuardrails());
    // WHEN another account's EKS cluster, also named 'edge', gets an association
    const stack = new Stack(app, 'Shop', { env });
    new eks.CfnPodIdentityAssociation(stack, 'Association', { clusterName: 'edge', namespace: 'batch', serviceAccount: 'job', roleArn: ROLE });
    // THEN the default, which does not read the Stage's stacks, matches the name alone, as it always did
    expect(synthError(() => app.synth())).toContain("WI-AWS-12: Pod identity association 'Shop/Association' targets cluster 'edge', which is declared NOT_EKS");
  });

  test('an app that already has a custom synthesis gets the guardrails as a plugin, as before', () => {
    const app = new App();
    const calls: string[] = [];
    attachCustomSynthesis(app, { onSynthesize: () => { calls.push('mine'); } });
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    expect(synthError(() => app.synth())).toContain("WI-AWS-1: Access key 'Shop/Key' creates a static credential.");
    expect(calls).toEqual(['mine']);
  });

  test('a violation found after a clean synthesis is reported in the next one (aws-cdk-lib synthesizes again after a failure)', () => {
    // GIVEN an app that failed on another plugin, then got a static key
    const app = new App();
    const stack = new Stack(app, 'Shop', { env });
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    let fail = true;
    Validations.of(app).addPlugins({ name: 'Other', validate: () => ({ success: !fail, violations: fail ? [{ ruleName: 'X', description: 'refused', fix: 'yes', violatingResources: [{ resourceLogicalId: 'X', templatePath: path.join(app.outdir, 'Shop.template.json'), locations: [] }] }] : [] }) });
    expect(synthError(() => app.synth())).toContain('refused');
    fail = false;
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    // THEN
    expect(synthError(() => app.synth())).toContain("WI-AWS-1: Access key 'Shop/Key' creates a static credential.");
  });
});
