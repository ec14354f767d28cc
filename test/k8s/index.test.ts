import * as k8s from '../../lib/k8s';

describe('the /k8s entry point', () => {
  test('GIVEN its index THEN it exports the public classes only, not the files\' internal helpers (issue 20: no export *)', () => {
    // (Interfaces are types: swc, which transpiles one file at a time, leaves them as undefined names.)
    expect(Object.keys(k8s).filter(name => (k8s as Record<string, unknown>)[name] !== undefined).sort()).toEqual([
      'DeployTimeConfigMap', 'KubernetesGuardrails', 'PodIdentityWebhookChart', 'WorkloadChart', 'WorkloadNamespaces', 'WorkloadOutputs',
      'WorkloadServiceAccount', 'WorkloadServiceAccountsChart',
    ]);
  });
});
