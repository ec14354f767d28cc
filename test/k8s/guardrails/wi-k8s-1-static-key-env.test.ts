import * as kplus from 'cdk8s-plus-28';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

const sa = (chart: any) => new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'app' } });

describe('WI-K8S-1 static-key-env', () => {
  test('envFrom a Secret of the app with AWS keys is an error', () => {
    const chart = newChart('shop');
    const secret = new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { AWS_ACCESS_KEY_ID: 'x' } });
    new kplus.Deployment(chart, 'legacy', {
      metadata: { name: 'legacy' }, serviceAccount: sa(chart),
      containers: [{ name: 'app', image: 'app:1', envFrom: [kplus.Env.fromSecret(secret)] }],
    });
    expect(open(k8sFindings(chart), 'WI-K8S-1')).toEqual(["WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets AWS_ACCESS_KEY_ID from Secret 'creds' (envFrom)."]);
  });

  // Besides the three standard names, the names the SDKs' environment credential providers also read (docs/guardrails.md,
  // "Static keys"): AWS SDK for Java v1 and Go v1/v2 take AWS_ACCESS_KEY and AWS_SECRET_KEY; botocore (boto3, the AWS
  // CLI) takes AWS_SECURITY_TOKEN as the session token.
  test.each([
    ['the standard names', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
    ['the legacy names the SDKs also read', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_SECURITY_TOKEN'],
  ])('%s, literal or from a Secret or ConfigMap, are errors', (_, accessKey, secretKey, token) => {
    // GIVEN a Deployment whose container sets an access key literally, a secret key from a Secret and a token from a ConfigMap
    const chart = newChart('shop');
    const secret = new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' } });
    const config = new kplus.ConfigMap(chart, 'config', { metadata: { name: 'config' } });
    new kplus.Deployment(chart, 'legacy', {
      metadata: { name: 'legacy' }, serviceAccount: sa(chart),
      containers: [{
        name: 'app', image: 'app:1',
        envVariables: {
          [accessKey]: kplus.EnvValue.fromValue('AKIAIOSFODNN7EXAMPLE'),
          [secretKey]: kplus.EnvValue.fromSecretValue({ secret, key: 'secret' }),
          [token]: kplus.EnvValue.fromConfigMap(config, 'token'),
        },
      }],
    });
    // WHEN the guardrails run THEN each is an error, naming the variable and where it comes from
    expect(open(k8sFindings(chart), 'WI-K8S-1')).toEqual([
      `WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets ${accessKey} as a literal value.`,
      `WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets ${secretKey} from Secret 'creds' key 'secret'.`,
      `WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets ${token} from ConfigMap 'config' key 'token'.`,
    ]);
  });

  test('envFrom with a prefix that makes a legacy name is an error; one that makes no key name is fine', () => {
    // GIVEN a ConfigMap with keys ACCESS_KEY and SECRET_KEY, read by one container with prefix AWS_ and by another with prefix APP_
    const chart = newChart('shop');
    const config = new kplus.ConfigMap(chart, 'keys', { metadata: { name: 'keys' }, data: { ACCESS_KEY: 'AKIAIOSFODNN7EXAMPLE', SECRET_KEY: 'x' } });
    new kplus.Deployment(chart, 'legacy', {
      metadata: { name: 'legacy' }, serviceAccount: sa(chart),
      containers: [
        { name: 'app', image: 'app:1', envFrom: [kplus.Env.fromConfigMap(config, 'AWS_')] },
        { name: 'other', image: 'app:1', envFrom: [kplus.Env.fromConfigMap(config, 'APP_')] },
      ],
    });
    // WHEN the guardrails run THEN only the AWS_ prefix makes variables an SDK reads as keys
    expect(open(k8sFindings(chart), 'WI-K8S-1')).toEqual([
      "WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets AWS_ACCESS_KEY from ConfigMap 'keys' (envFrom).",
      "WI-K8S-1 Container 'app' of Deployment 'shop/legacy' sets AWS_SECRET_KEY from ConfigMap 'keys' (envFrom).",
    ]);
  });

  test('other variables are fine', () => {
    const chart = newChart('shop');
    new kplus.Deployment(chart, 'app', {
      metadata: { name: 'app' }, serviceAccount: sa(chart),
      containers: [{ name: 'app', image: 'app:1', envVariables: {
        AWS_REGION: kplus.EnvValue.fromValue('eu-west-1'),
        // Near misses no SDK reads as a key: a name of none of the providers, and AWS_PROFILE (a profile's name, not a key)
        AWS_SECRET: kplus.EnvValue.fromValue('x'), AWS_PROFILE: kplus.EnvValue.fromValue('reports'),
      } }],
    });
    expect(open(k8sFindings(chart), 'WI-K8S-1')).toEqual([]);
  });
});
