import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { childPath, WorkloadIdentityError } from '../../core/validation-error';
import { CatalogIdentity, CatalogIdentityProps } from './catalog-identity';
import { ParameterScope, SecretScope } from './scopes';
import { allow } from './statement';

/**
 * Props of `SecretsStoreCsiProviderIdentity`. `namespace` and
 * `serviceAccountName` are required here: they are the application's.
 */
export interface SecretsStoreCsiProviderIdentityProps extends CatalogIdentityProps {
  /**
   * The Secrets Manager secrets the pods mount.
   *
   * @default - none (give this or parameters)
   */
  readonly secrets?: SecretScope;

  /**
   * The Parameter Store parameters the pods mount.
   *
   * @default - none (give this or secrets)
   */
  readonly parameters?: ParameterScope;

  /**
   * Customer managed KMS keys of the secrets or SecureString parameters.
   *
   * @default - none
   */
  readonly kmsKeys?: kms.IKey[];
}

/**
 * An application's identity for the AWS provider of the Secrets Store CSI
 * driver (`secrets-store-csi-driver-provider-aws`). The provider fetches
 * secrets with the credentials of the POD THAT MOUNTS THEM (its
 * ServiceAccount, by IRSA or Pod Identity with `usePodIdentity: "true"` in
 * the SecretProviderClass), not with its own: so this identity binds the
 * application's ServiceAccount, which has no chart default. Follows the
 * provider's README policy (`GetSecretValue`, `DescribeSecret`; `ssm:GetParameters`).
 */
export class SecretsStoreCsiProviderIdentity extends CatalogIdentity {
  constructor(scope: Construct, id: string, props: SecretsStoreCsiProviderIdentityProps) {
    if (props.namespace === undefined || props.serviceAccountName === undefined) {
      throw new WorkloadIdentityError(
        `SecretsStoreCsiProviderIdentity '${scope.node.path}/${id}' needs namespace and serviceAccountName: the provider fetches secrets as the pod that mounts them, ` +
        'so they are the application\'s ServiceAccount, which has no default.', childPath(scope, id));
    }
    super(scope, id, props, {
      defaultNamespace: props.namespace,
      defaultServiceAccountName: props.serviceAccountName,
      upstream: {
        name: 'aws/secrets-store-csi-driver-provider-aws README.md (Usage: access policy for the pod)',
        url: 'https://github.com/aws/secrets-store-csi-driver-provider-aws/blob/3.1.1/README.md#usage',
        version: '3.1.1',
        repository: 'aws/secrets-store-csi-driver-provider-aws',
        path: 'README.md',
        ref: '3.1.1',
        date: '2026-06-01',
        omitted: [
          {
            actions: ['ssm:GetParameters'],
            reason: 'Parameter Store is read only when the pods mount parameters.',
            feature: 'objectType ssmparameter in the SecretProviderClass',
            option: 'parameters',
          },
        ],
        additions: [
          { actions: ['kms:Decrypt'], reason: 'Secrets and SecureString parameters encrypted with a customer managed key are decrypted with the pod\'s KMS permission; granted only on kmsKeys.' },
        ],
        narrowings: [
          'Secrets and parameters only the given ones (upstream\'s example: one secret by name).',
        ],
      },
    });
    if (!props.secrets && !props.parameters) {
      throw new WorkloadIdentityError(`SecretsStoreCsiProviderIdentity '${this.node.path}' mounts nothing: pass secrets (SecretScope) or parameters (ParameterScope).`, this.node.path);
    }
    if (props.secrets) {
      if (props.secrets.isBroad) { this.warnBroad('all-secrets', `${this.node.path}: the pods may read every secret of the account and region (SecretScope.allSecrets()).`); }
      this.addStatements(allow('MountSecrets', ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], props.secrets.resourceArns(this)));
    }
    if (props.parameters) {
      if (props.parameters.isBroad) { this.warnBroad('all-parameters', `${this.node.path}: the pods may read every parameter of the account and region (ParameterScope.allParameters()).`); }
      this.addStatements(allow('MountParameters', ['ssm:GetParameters'], props.parameters.resourceArns(this)));
    }
    const keys = (props.kmsKeys ?? []).map(k => k.keyArn);
    if (keys.length > 0) { this.addStatements(allow('Decrypt', ['kms:Decrypt'], keys)); }
    this.acknowledgeWildcards('Secret ARNs end in a random suffix and name prefixes need a wildcard; reads are limited to the given secrets and parameters.');
  }
}
