import * as kplus from 'cdk8s-plus-28';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

describe('WI-K8S-3 default-service-account', () => {
  test('a pod without a ServiceAccount runs as default: an error', () => {
    const chart = newChart('shop');
    new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1' }] });
    expect(open(k8sFindings(chart), 'WI-K8S-3')).toEqual(["WI-K8S-3 Deployment 'shop/web' runs as ServiceAccount 'default'."]);
  });

  test('a pod with its own ServiceAccount is fine', () => {
    const chart = newChart('shop');
    const serviceAccount = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'web' } });
    new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, serviceAccount, containers: [{ image: 'web:1' }] });
    expect(open(k8sFindings(chart))).toEqual([]);
  });
});
