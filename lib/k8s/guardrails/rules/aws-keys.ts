import { Manifest } from '../manifest-model';

// Shared by the static-key rules (WI-K8S-1, WI-K8S-2).

/**
 * The environment variables that carry static AWS credentials: every name an SDK in wide use reads as an access
 * key, secret key or session token from the environment, as its source says (docs/guardrails.md, "Static keys"):
 *
 * - AWS SDK for Java v1, aws/aws-sdk-java 30f38f17afdabdee2edd808a14af96c9bc3440ae,
 *   aws-java-sdk-core/src/main/java/com/amazonaws/auth/EnvironmentVariableCredentialsProvider.java with
 *   SDKGlobalConfiguration.java: AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY), AWS_SECRET_KEY (or AWS_SECRET_ACCESS_KEY),
 *   AWS_SESSION_TOKEN;
 * - AWS SDK for Go v2, aws/aws-sdk-go-v2 000ee9fe910b05167dae3bdb3a6e7a409339470d, config/env_config.go
 *   (credAccessEnvKeys, credSecretEnvKeys): AWS_ACCESS_KEY_ID or AWS_ACCESS_KEY, AWS_SECRET_ACCESS_KEY or
 *   AWS_SECRET_KEY, AWS_SESSION_TOKEN; the same names in Go v1, aws/aws-sdk-go
 *   2910e59b4048d60215e99b7befe0c0c78ab4590e, aws/credentials/env_provider.go;
 * - botocore (boto3, the AWS CLI) 1.43.67, botocore/credentials.py EnvProvider: AWS_ACCESS_KEY_ID,
 *   AWS_SECRET_ACCESS_KEY, and the token from AWS_SECURITY_TOKEN or AWS_SESSION_TOKEN;
 * - AWS SDK for Java v2, aws/aws-sdk-java-v2 012de41373455fe5a3c77eb46d97896cfce82040,
 *   core/auth/.../internal/SystemSettingsCredentialsProvider.java reading SdkSystemSetting: AWS_ACCESS_KEY_ID,
 *   AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
 * - AWS SDK for JavaScript v3, @aws-sdk/credential-provider-env 3.972.86, fromEnv: the same three.
 */
export const AWS_KEY_VARIABLES = [
  'AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY',
  'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN',
];
/** Access key ids: AKIA (long-term) or ASIA (temporary) and 16 more characters. */
export const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z2-7]{16}\b/;

/** The data keys and decoded values of a Secret or ConfigMap, then its stringData (none for other kinds). */
export function entriesOf(m: Manifest): readonly (readonly [string, string])[] {
  return m.entries;
}
