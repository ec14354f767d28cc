import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ParameterScope, SecretScope, SecretsStoreCsiProviderIdentity } from '../../../../../lib';
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** The application's ServiceAccount; minimal: one secret; full: one parameter and a customer key too. */
export const upstreamCase: UpstreamCase = {
  key: 'SecretsStoreCsiProvider',
  build: (stack, cluster, configuration) => new SecretsStoreCsiProviderIdentity(stack, 'SecretsStoreCsiProvider', {
    cluster, namespace: 'shop', serviceAccountName: 'checkout',
    secrets: SecretScope.of([secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret', R.secret)]),
    ...(configuration === 'full' ? {
      parameters: ParameterScope.of([ssm.StringParameter.fromStringParameterName(stack, 'Parameter', '/platform/checkout/url')]),
      kmsKeys: [kms.Key.fromKeyArn(stack, 'Key', R.key)],
    } : {}),
  }),
  placeholderValues: {
    '${APP_SECRET_ARNS}': R.secret,
    '${APP_PARAMETER_ARNS}': `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/platform/checkout/url`,
  },
};
