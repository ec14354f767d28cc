import * as kplus from 'cdk8s-plus-28';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

const sa = (chart: any) => new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'app' } });

describe('WI-K8S-1 static-key-env', () => {
  test('AWS key variables, literal or from a Secret or ConfigMap, are errors', () => {
    const chart = newChart('shop');
    const secret = new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' } });
    const config = new kplus.ConfigMap(chart, 'config', { metadata: { name: 'config' } });
    new kplus.Deployment(chart, 'legacy', {
      metadata: { name: 'legacy' }, serviceAccount: sa(chart),
      containers: [{
        name: 'app', image: 'app:1',
        envVariables: {
          AWS_ACCESS_KEY_ID: kplus.EnvValue.fromValue('AKIAIOSFODNN7EXAMPLE'),
          AWS_SECRET_ACCESS_KEY: kplus.EnvValue.fromSecretValue({ secret, key: 'secret' }),
          AWS_SESSION_TOKEN: kplus.EnvValue.fromConfigMap(config, 'token'),
        },
      }],
    });
    expect(open(k8sFindings(chart), 'WI-K8S-1')).toEqual([
      "WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets AWS_ACCESS_KEY_ID as a literal value.",
      "WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets AWS_SECRET_ACCESS_KEY from Secret 'creds' key 'secret'.",
      "WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets AWS_SESSION_TOKEN from ConfigMap 'config' key 'token'.",
    ]);
  });

  test('envFrom a Secret of the app with AWS keys is an error', () => {
    const chart = newChart('shop');
    const secret = new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { AWS_ACCESS_KEY_ID: 'x' } });
    new kplus.Deployment(chart, 'legacy', {
      metadata: { name: 'legacy' }, serviceAccount: sa(chart),
      containers: [{ name: 'app', image: 'app:1', envFrom: [kplus.Env.fromSecret(secret)] }],
    });
    expect(open(k8sFindings(chart), 'WI-K8S-1')).toEqual(["WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets AWS_ACCESS_KEY_ID from Secret 'creds' (envFrom)."]);
  });

  test('other variables are fine', () => {
    const chart = newChart('shop');
    new kplus.Deployment(chart, 'app', {
      metadata: { name: 'app' }, serviceAccount: sa(chart),
      containers: [{ name: 'app', image: 'app:1', envVariables: { AWS_REGION: kplus.EnvValue.fromValue('eu-west-1') } }],
    });
    expect(open(k8sFindings(chart), 'WI-K8S-1')).toEqual([]);
  });
});
