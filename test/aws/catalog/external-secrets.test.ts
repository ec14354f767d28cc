import { App, Stack } from 'aws-cdk-lib';
import { ExternalSecretsIdentity, ParameterScope, SecretScope } from '../../../lib';
import { ACCOUNT, REGION, platformCluster } from './catalog-app';
import { actionsOf, statementOf } from './entry-statements';

function entry(props: Partial<ConstructorParameters<typeof ExternalSecretsIdentity>[2]>): ExternalSecretsIdentity {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  return new ExternalSecretsIdentity(stack, 'ExternalSecrets', { cluster: platformCluster(stack), ...props });
}

describe('ExternalSecretsIdentity', () => {
  test('dataFrom.find with a path batches reads: BatchGetSecretValue on *, values still only from the scoped secrets', () => {
    // GIVEN secrets in scope WHEN synthesized
    const e = entry({ secrets: SecretScope.fromNamePrefix('platform/') });
    // THEN BatchGetSecretValue (no resource-level permission) is granted beside ListSecrets
    expect(statementOf(e, 'ListSecrets')).toMatchObject({ Action: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'], Resource: '*' });
    // AND GetSecretValue, which BatchGetSecretValue also needs per secret, stays on the scoped secrets
    expect(statementOf(e, 'ReadSecrets').Resource).toEqual(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:platform/*`);
  });

  test('parameters only: no Secrets Manager action at all', () => {
    const e = entry({ parameters: ParameterScope.fromPath('/platform/') });
    expect(actionsOf(e).filter(a => a.startsWith('secretsmanager:'))).toEqual([]);
  });
});
