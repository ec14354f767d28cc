import * as kms from 'aws-cdk-lib/aws-kms';
import { ExternalSecretsIdentity, ParameterScope, SecretScope } from '../../../../../lib';
import { R, REGION, ACCOUNT } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: secrets under one prefix; full: parameters under one path and a customer key too. */
export const upstreamCase: UpstreamCase = {
  key: 'ExternalSecrets',
  build: (stack, cluster, configuration) => new ExternalSecretsIdentity(stack, 'ExternalSecrets', configuration === 'full'
    ? { cluster, secrets: SecretScope.fromNamePrefix('platform/'), parameters: ParameterScope.fromPath(R.parameterPath), kmsKeys: [kms.Key.fromKeyArn(stack, 'Key', R.key)] }
    : { cluster, secrets: SecretScope.fromNamePrefix('platform/') }),
  placeholderValues: {
    '${SECRET_ARNS}': `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:platform/*`,
    '${PARAMETER_ARNS}': `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${R.parameterPath}*`,
  },
};
