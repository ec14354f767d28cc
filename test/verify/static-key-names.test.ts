/**
 * WI-K8S-1 and WI-K8S-2 against the names the AWS SDKs read static keys from (never lib/'s list): the table below
 * is what each SDK's environment credential provider reads, from its source at the version named. Every name of
 * it must be refused as a container variable (literal, from a Secret key, made by `envFrom` with a prefix) and as a
 * Secret or ConfigMap key; the variables the SDKs read for other credentials (those IRSA and Pod Identity inject,
 * a profile's name, files) and near misses must not be.
 */
import * as cdk8s from 'cdk8s';
import { KubernetesGuardrails } from '../../lib/k8s';

/** Each SDK's environment credential provider: where it is, at which version, and the names it reads a key or token from. */
const SDK_ENVIRONMENT_KEYS: { readonly sdk: string; readonly source: string; readonly names: readonly string[] }[] = [
  {
    sdk: 'AWS SDK for Java v1',
    source: 'aws/aws-sdk-java 30f38f17afdabdee2edd808a14af96c9bc3440ae aws-java-sdk-core/src/main/java/com/amazonaws/auth/EnvironmentVariableCredentialsProvider.java, SDKGlobalConfiguration.java',
    names: ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
  },
  {
    sdk: 'AWS SDK for Java v2',
    source: 'aws/aws-sdk-java-v2 012de41373455fe5a3c77eb46d97896cfce82040 core/auth/src/main/java/software/amazon/awssdk/auth/credentials/internal/SystemSettingsCredentialsProvider.java (SdkSystemSetting)',
    names: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
  },
  {
    sdk: 'AWS SDK for Go v2',
    source: 'aws/aws-sdk-go-v2 000ee9fe910b05167dae3bdb3a6e7a409339470d config/env_config.go (credAccessEnvKeys, credSecretEnvKeys, awsSessionTokenEnvVar)',
    names: ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_SESSION_TOKEN'],
  },
  {
    sdk: 'AWS SDK for Go v1',
    source: 'aws/aws-sdk-go 2910e59b4048d60215e99b7befe0c0c78ab4590e aws/credentials/env_provider.go (EnvProvider.Retrieve)',
    names: ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_SESSION_TOKEN'],
  },
  {
    sdk: 'botocore (boto3, AWS CLI)',
    source: 'boto/botocore 1.43.67 botocore/credentials.py (EnvProvider.ACCESS_KEY, SECRET_KEY, TOKENS)',
    names: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECURITY_TOKEN', 'AWS_SESSION_TOKEN'],
  },
  {
    sdk: 'AWS SDK for JavaScript v3',
    source: '@aws-sdk/credential-provider-env 3.972.86 (fromEnv: ENV_KEY, ENV_SECRET, ENV_SESSION)',
    names: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
  },
];

const KEY_NAMES = [...new Set(SDK_ENVIRONMENT_KEYS.flatMap(s => s.names))].sort();

/**
 * Names that carry no key: what the EKS Pod Identity agent's and the pod identity webhook's injection sets, what the
 * same providers read for other settings (a profile, files, an expiry, an account), and near misses.
 */
const NOT_KEYS = [
  'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_ACCOUNT_ID',
  'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SECRET', 'AWS_ACCESS_KEY_IDS', 'aws_access_key_id', 'MY_AWS_SECRET_KEY',
];

/**
 * What cdk8s synth reports for rule `ruleId` (its lines `[KubernetesGuardrails] <id>: <message> <why> Fix: ...`),
 * each cut to the length of the message expected in its place, for one chart in namespace 'shop' filled by `fill`.
 */
function refusals(ruleId: string, fill: (chart: cdk8s.Chart) => void, expected: readonly string[] = []): string[] {
  const app = cdk8s.Testing.app();
  KubernetesGuardrails.of(app);
  fill(new cdk8s.Chart(app, 'shop', { namespace: 'shop' }));
  let report = '';
  try {
    app.synth();
  } catch (e) {
    report = (e as Error).message;
  }
  const prefix = `[KubernetesGuardrails] ${ruleId}: `;
  return report.split('\n').map(l => l.trim()).filter(l => l.startsWith(prefix)).map((l, i) => l.slice(prefix.length, expected[i] !== undefined ? prefix.length + expected[i].length : undefined));
}

const pod = (chart: cdk8s.Chart, container: { [key: string]: unknown }) => new cdk8s.ApiObject(chart, 'app', {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app' },
  spec: { containers: [{ name: 'app', image: 'app:1', ...container }] },
});

describe('the static-key names the SDKs read (WI-K8S-1, WI-K8S-2), judged by the SDKs\' sources', () => {
  test('the table names the three standard names in every SDK, and nothing the providers do not read', () => {
    // GIVEN the SDKs' providers THEN each reads the standard three, and the union is the six names found in source
    for (const s of SDK_ENVIRONMENT_KEYS) {
      expect(s.names).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']));
    }
    expect(KEY_NAMES).toEqual(['AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_SECURITY_TOKEN', 'AWS_SESSION_TOKEN']);
    expect(NOT_KEYS.filter(n => KEY_NAMES.includes(n))).toEqual([]);
  });

  test.each(KEY_NAMES)('%s as a literal, from a Secret key, and by envFrom with a prefix is refused (WI-K8S-1)', name => {
    // GIVEN a Pod whose container sets the name literally, another from a Secret key, and a ConfigMap whose key makes it with a prefix
    const prefix = name.slice(0, name.indexOf('_') + 1);
    const expected = [
      `Container 'app' of Pod 'shop/app' sets ${name} as a literal value.`,
      `Container 'app' of Pod 'shop/app' sets ${name} from Secret 'creds' key 'k'.`,
      `Container 'app' of Pod 'shop/app' sets ${name} from ConfigMap 'keys' (envFrom).`,
    ];
    // WHEN the app is synthesized THEN it fails, refusing each way and naming the variable
    expect(refusals('WI-K8S-1', chart => {
      new cdk8s.ApiObject(chart, 'keys', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keys' }, data: { [name.slice(prefix.length)]: 'x' } });
      pod(chart, {
        env: [{ name, value: 'x' }, { name, valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }],
        envFrom: [{ configMapRef: { name: 'keys' }, prefix }],
      });
    }, expected)).toEqual(expected);
  });

  test.each(KEY_NAMES)('%s as a Secret key and as a ConfigMap key is refused (WI-K8S-2)', name => {
    // GIVEN a Secret and a ConfigMap with the name as a key, and a value that is no access key id
    const expected = [`Secret 'shop/creds' carries the key ${name}.`, `ConfigMap 'shop/settings' carries the key ${name}.`];
    // WHEN the app is synthesized THEN it fails, refusing both and naming the key
    expect(refusals('WI-K8S-2', chart => {
      new cdk8s.ApiObject(chart, 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { [name]: 'x' } });
      new cdk8s.ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { [name]: 'x' } });
    }, expected)).toEqual(expected);
  });

  test('the names that carry no key, as variables and as keys, are not refused', () => {
    // GIVEN a Pod that sets each literally and a Secret and a ConfigMap with each as a key (values that are no access key id)
    const fill = (chart: cdk8s.Chart) => {
      new cdk8s.ApiObject(chart, 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: Object.fromEntries(NOT_KEYS.map(n => [n, 'x'])) });
      new cdk8s.ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: Object.fromEntries(NOT_KEYS.map(n => [n, 'x'])) });
      pod(chart, { env: NOT_KEYS.map(name => ({ name, value: 'x' })), envFrom: [{ secretRef: { name: 'creds' } }] });
    };
    // WHEN the app is synthesized THEN neither rule refuses anything
    expect([...refusals('WI-K8S-1', fill), ...refusals('WI-K8S-2', fill)]).toEqual([]);
  });
});
