import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Guardrails, IdentityMechanism, KubernetesGuardrails, WorkloadServiceAccount } from '../../../lib';
import { synthError } from '../../guardrails/helpers';

describe('KubernetesGuardrails', () => {
  test('a plain cdk8s chart can turn them on; errors fail synth', () => {
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1' }] });
    KubernetesGuardrails.of(chart);
    expect(synthError(() => app.synth())).toContain("WI-K8S-3: Deployment 'shop/web' runs as ServiceAccount 'default'.");
  });

  test('they are on by default in a chart with a WorkloadServiceAccount, and an acknowledgement with a reason passes', () => {
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'shop');
    new WorkloadServiceAccount(chart, 'sa', {
      binding: { clusterName: 'campus', namespace: 'shop', serviceAccountName: 'web', mechanism: IdentityMechanism.POD_IDENTITY, serviceAccountAnnotations: {} },
    });
    const legacy = new kplus.Deployment(chart, 'legacy', { metadata: { name: 'legacy', namespace: 'shop' }, containers: [{ image: 'legacy:1' }] });
    expect(synthError(() => app.synth())).toContain("WI-K8S-3: Deployment 'shop/legacy' runs as ServiceAccount 'default'.");
    Guardrails.acknowledge(legacy, 'WI-K8S-3', 'Needs no AWS access; retired next quarter.');
    expect(synthError(() => app.synth())).toBe('');
  });

  test('guardrails on the app cover its charts once', () => {
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1' }] });
    KubernetesGuardrails.of(chart);
    KubernetesGuardrails.of(app);
    expect(synthError(() => app.synth()).match(/WI-K8S-3:/g)).toHaveLength(1);
  });
});
