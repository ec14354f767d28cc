import * as kplus from 'cdk8s-plus-28';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

describe('WI-K8S-2 static-key-secret', () => {
  test('a Secret with AWS key entries is an error', () => {
    const chart = newChart('shop');
    new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' } });
    expect(open(k8sFindings(chart), 'WI-K8S-2')).toEqual(["WI-K8S-2 Secret 'shop/creds' carries the key AWS_ACCESS_KEY_ID and the key AWS_SECRET_ACCESS_KEY."]);
  });

  test('a Secret or ConfigMap with the legacy names the SDKs also read is an error', () => {
    // GIVEN a Secret with AWS_ACCESS_KEY and AWS_SECRET_KEY (AWS SDK for Java v1, Go v1/v2) and a ConfigMap with
    // AWS_SECURITY_TOKEN (botocore's session token)
    const chart = newChart('shop');
    new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { AWS_ACCESS_KEY: 'x', AWS_SECRET_KEY: 'y' } });
    new kplus.ConfigMap(chart, 'session', { metadata: { name: 'session' }, data: { AWS_SECURITY_TOKEN: 'z' } });
    // WHEN the guardrails run THEN each carries AWS keys
    expect(open(k8sFindings(chart), 'WI-K8S-2')).toEqual([
      "WI-K8S-2 Secret 'shop/creds' carries the key AWS_ACCESS_KEY and the key AWS_SECRET_KEY.",
      "WI-K8S-2 ConfigMap 'shop/session' carries the key AWS_SECURITY_TOKEN.",
    ]);
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
