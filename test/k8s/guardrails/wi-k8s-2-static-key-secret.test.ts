import * as kplus from 'cdk8s-plus-28';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

describe('WI-K8S-2 static-key-secret', () => {
  test('a Secret with AWS key entries is an error', () => {
    const chart = newChart('shop');
    new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' } });
    expect(open(k8sFindings(chart), 'WI-K8S-2')).toEqual(["WI-K8S-2 Secret 'shop/creds' carries the key AWS_ACCESS_KEY_ID and the key AWS_SECRET_ACCESS_KEY."]);
  });

  test('a value shaped like an access key id is an error, in a ConfigMap too', () => {
    const chart = newChart('shop');
    new kplus.ConfigMap(chart, 'settings', { metadata: { name: 'settings' }, data: { uploader: 'ASIAIOSFODNN7EXAMPLE' } });
    expect(open(k8sFindings(chart), 'WI-K8S-2')).toEqual(["WI-K8S-2 ConfigMap 'shop/settings' carries an access key id under key 'uploader'."]);
  });

  test('other Secrets are fine', () => {
    const chart = newChart('shop');
    new kplus.Secret(chart, 'db', { metadata: { name: 'db' }, stringData: { password: 'hunter2' } });
    expect(open(k8sFindings(chart))).toEqual([]);
  });
});
