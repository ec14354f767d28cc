import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { ParameterScope, SecretScope } from './scopes';
import { allow } from './statement';

/** Props of `ExternalSecretsIdentity`. */
export interface ExternalSecretsIdentityProps extends CatalogIdentityProps {
  /**
   * The Secrets Manager secrets it reads.
   *
   * @default - none (give this or parameters)
   */
  readonly secrets?: SecretScope;

  /**
   * The Parameter Store parameters it reads.
   *
   * @default - none (give this or secrets)
   */
  readonly parameters?: ParameterScope;

  /**
   * Customer managed KMS keys the secrets or SecureString parameters are encrypted with.
   *
   * @default - none: the AWS managed keys need no grant
   */
  readonly kmsKeys?: kms.IKey[];
}

/**
 * The External Secrets Operator with the AWS providers (Helm chart
 * `external-secrets`, `external-secrets/external-secrets`), read-only.
 * Follows the read policies of its `docs/provider/aws-secrets-manager.md`
 * and `aws-parameter-store.md` at v2.9.0 (batch reads for `dataFrom.find`
 * included), without PushSecret's writes, on the given secrets, parameters
 * and keys only.
 */
export class ExternalSecretsIdentity extends HelmIdentity {
  constructor(scope: Construct, id: string, props: ExternalSecretsIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.9.0' },
      defaultNamespace: 'external-secrets',
      defaultServiceAccountName: 'external-secrets',
      upstream: {
        name: 'external-secrets docs/provider/aws-secrets-manager.md + aws-parameter-store.md (read policies)',
        url: 'https://github.com/external-secrets/external-secrets/blob/v2.9.0/docs/provider/aws-secrets-manager.md',
        version: 'v2.9.0',
        repository: 'external-secrets/external-secrets',
        path: 'docs/provider/aws-secrets-manager.md',
        ref: 'v2.9.0',
        date: '2026-08-07',
        omitted: [
          {
            actions: ['ssm:GetParameter*'],
            reason: 'Parameter Store is read only when you name parameters.',
            feature: 'the Parameter Store provider',
            option: 'parameters',
          },
        ],
        additions: [
          { actions: ['ssm:DescribeParameters'], reason: 'dataFrom.find on Parameter Store lists parameters with DescribeParameters (providers/v1/aws/parameterstore/parameterstore.go findByName, findByTags); it has no resource-level permission.' },
          { actions: ['kms:Decrypt'], reason: 'Secrets and SecureString parameters encrypted with a customer managed key are decrypted with the caller\'s KMS permission; granted only on kmsKeys.' },
        ],
        narrowings: [
          'GetSecretValue, DescribeSecret, GetResourcePolicy and ListSecretVersionIds only on the given secrets; parameters only the given ones (upstream\'s examples: a name prefix, which SecretScope.fromNamePrefix and ParameterScope.fromPath also give).',
          'ssm:GetParameter* is granted as GetParameter, GetParameters and GetParametersByPath, the calls the provider makes (not GetParameterHistory).',
        ],
      },
    });
    if (!props.secrets && !props.parameters) {
      throw new WorkloadIdentityError(`ExternalSecretsIdentity '${this.node.path}' reads nothing: pass secrets (SecretScope) or parameters (ParameterScope).`, this.node.path);
    }
    if (props.secrets) {
      if (props.secrets.isBroad) { this.warnBroad('all-secrets', `${this.node.path}: external-secrets may read every secret of the account and region (SecretScope.allSecrets()).`); }
      this.addStatements(
        allow('ReadSecrets', ['secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret',
          'secretsmanager:ListSecretVersionIds'], props.secrets.resourceArns(this)),
        // dataFrom.find with a path reads in batches (secretsmanager.go fetchWithBatch); BatchGetSecretValue has no
        // resource-level permission and still needs GetSecretValue on each secret, which stays scoped above.
        allow('ListSecrets', ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'], ['*']),
      );
    }
    if (props.parameters) {
      if (props.parameters.isBroad) { this.warnBroad('all-parameters', `${this.node.path}: external-secrets may read every parameter of the account and region (ParameterScope.allParameters()).`); }
      this.addStatements(
        allow('ReadParameters', ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], props.parameters.resourceArns(this)),
        allow('DescribeParameters', ['ssm:DescribeParameters'], ['*']),
      );
    }
    const keys = (props.kmsKeys ?? []).map(k => k.keyArn);
    if (keys.length > 0) { this.addStatements(allow('Decrypt', ['kms:Decrypt'], keys)); }
    this.acknowledgeWildcards('ListSecrets and DescribeParameters have no resource-level permissions; values are read only from the given secrets and parameters (name prefixes need a wildcard).');
  }

  /** The ServiceAccount, for the `external-secrets` chart. */
  protected chartValues(): { [key: string]: any } {
    return { serviceAccount: this.serviceAccountValues() };
  }
}
