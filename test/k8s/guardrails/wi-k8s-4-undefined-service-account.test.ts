import * as kplus from 'cdk8s-plus-28';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

function podOf(serviceAccountName: string) {
  const chart = newChart('shop');
  const serviceAccount = kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', serviceAccountName);
  new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, serviceAccount, containers: [{ image: 'web:1' }] });
  return chart;
}

describe('WI-K8S-4 undefined-service-account', () => {
  test('a pod naming a ServiceAccount the app does not define is an error', () => {
    expect(open(k8sFindings(podOf('web')), 'WI-K8S-4')).toEqual(["WI-K8S-4 Deployment 'shop/web' runs as ServiceAccount 'shop/web', which the app does not define."]);
  });

  test('a ServiceAccount declared as external is fine', () => {
    expect(open(k8sFindings(podOf('web'), { externalServiceAccounts: ['shop/web'] }))).toEqual([]);
  });
});
