import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, WorkloadBinding, WorkloadServiceAccount, WorkloadServiceAccountsChart } from '../../../lib';
import { synthError } from '../../guardrails/helpers';

// Issue 10 §3: the Kubernetes rules look at every chart of the app. End to end
// through app.synth(), as before the fix, so each test failed before it.
const podIdentity = (namespace: string, serviceAccountName: string): WorkloadBinding => ({
  clusterName: 'campus', namespace, serviceAccountName, mechanism: IdentityMechanism.POD_IDENTITY,
});

describe('every chart of the app is checked', () => {
  test('a sibling chart without a WorkloadServiceAccount: static key, pod on default, unbacked role ARN', () => {
    // GIVEN a chart with a WorkloadServiceAccount, which turns the guardrails on
    const app = cdk8s.Testing.app();
    new WorkloadServiceAccount(new cdk8s.Chart(app, 'identities'), 'web', { binding: podIdentity('shop', 'web') });
    // AND a sibling chart with a static key, a pod on default and a hand-annotated ServiceAccount
    const legacy = new cdk8s.Chart(app, 'legacy', { namespace: 'legacy' });
    new kplus.Secret(legacy, 'creds', { metadata: { name: 'creds' }, stringData: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' } });
    new kplus.Deployment(legacy, 'old', { metadata: { name: 'old' }, containers: [{ image: 'old:1' }] });
    new kplus.ServiceAccount(legacy, 'sa', { metadata: { name: 'sa', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/admin' } } });
    // THEN synth fails naming all three
    const message = synthError(() => app.synth());
    expect(message).toContain("WI-K8S-2: Secret 'legacy/creds' carries the key AWS_ACCESS_KEY_ID.");
    expect(message).toContain("WI-K8S-3: Deployment 'legacy/old' runs as ServiceAccount 'default'.");
    expect(message).toContain("WI-K8S-5: ServiceAccount 'legacy/sa' is annotated with role 'arn:aws:iam::123456789012:role/admin', which no declared identity backs.");
  });

  test("the README's GitOps layout: a hostNetwork pod in the app chart, on a Pod Identity ServiceAccount of WorkloadServiceAccountsChart", () => {
    // GIVEN the ServiceAccounts in their own chart, the Deployment in the app's chart
    const app = cdk8s.Testing.app();
    new WorkloadServiceAccountsChart(app, 'service-accounts', { bindings: [podIdentity('batch', 'job')] });
    const chart = new cdk8s.Chart(app, 'batch', { namespace: 'batch' });
    new kplus.Deployment(chart, 'job', {
      metadata: { name: 'job' },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'job'),
      hostNetwork: true,
      containers: [{ image: 'job:1' }],
    });
    // THEN
    expect(synthError(() => app.synth())).toContain(
      "WI-K8S-7: Deployment 'batch/job' uses Pod Identity through ServiceAccount 'batch/job' but it sets hostNetwork: true");
  });

  test('a pod in the wrong namespace is told where its ServiceAccount is defined', () => {
    const app = cdk8s.Testing.app();
    new WorkloadServiceAccountsChart(app, 'service-accounts', { bindings: [podIdentity('payments', 'web')] });
    const chart = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    new kplus.Deployment(chart, 'web', {
      metadata: { name: 'web' }, serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'web'), containers: [{ image: 'web:1' }],
    });
    expect(synthError(() => app.synth())).toContain(
      "WI-K8S-4: Deployment 'shop/web' runs as ServiceAccount 'shop/web', which the app defines only in namespace 'payments', not in 'shop'.");
  });
});

describe('several clusters, one cdk8s app each', () => {
  const irsa = (clusterName: string, account: string): WorkloadBinding => {
    const roleArn = `arn:aws:iam::${account}:role/web`;
    return { clusterName, namespace: 'shop', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA, roleArn };
  };

  test('the same ServiceAccount on two clusters, each with its own role, is backed on both', () => {
    // GIVEN one app per cluster, the same namespace and name, two roles
    const bindings = [irsa('blue', '111111111111'), irsa('green', '222222222222')];
    const apps = ['blue', 'green'].map(clusterName => {
      const app = cdk8s.Testing.app();
      new WorkloadServiceAccountsChart(app, clusterName, { bindings, clusterName });
      return app;
    });
    // THEN neither annotation reads as unbacked
    apps.forEach(app => expect(synthError(() => app.synth())).toBe(''));
    // AND both clusters in one app (one folder) are refused when declared
    const both = cdk8s.Testing.app();
    new WorkloadServiceAccountsChart(both, 'blue', { bindings, clusterName: 'blue' });
    expect(() => new WorkloadServiceAccountsChart(both, 'green', { bindings, clusterName: 'green' })).toThrow("one app writes one cluster's folder");
  });

  test('a pod is judged by the ServiceAccount of its own cluster', () => {
    // GIVEN web is IRSA on blue and Pod Identity on green, and a hostNetwork pod in each
    const bindings = [irsa('blue', '111111111111'), { ...podIdentity('shop', 'web'), clusterName: 'green' }];
    const messages = bindings.map(binding => {
      const app = cdk8s.Testing.app();
      const chart = new WorkloadServiceAccountsChart(app, binding.clusterName, { bindings: [binding] });
      new kplus.Deployment(chart, 'web', {
        metadata: { name: 'web', namespace: 'shop' }, hostNetwork: true,
        serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'web'), containers: [{ image: 'web:1' }],
      });
      return synthError(() => app.synth());
    });
    // THEN only green's pod is refused
    expect(messages[0]).toBe('');
    expect(messages[1].match(/WI-K8S-7:/g)).toHaveLength(1);
    expect(messages[1]).toContain('(at green/web;');
  });
});
