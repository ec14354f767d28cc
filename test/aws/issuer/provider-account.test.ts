import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER, ISSUER_KEY, REGION } from '../../fixtures';

// The account of a cluster's OIDC provider is found once per provider, not once per role (issue 22): a declared
// provider's ARN is a token string made on each read, and every IRSA role of the cluster asks for the same provider.

/** A provider whose ARN reads are counted. */
function countedProvider(stack: Stack, arn: string): { provider: iam.IOpenIdConnectProvider; reads: () => number } {
  const imported = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', arn);
  let reads = 0;
  const provider = new Proxy(imported, {
    get(target, key, receiver) {
      if (key === 'openIdConnectProviderArn') { reads++; }
      return Reflect.get(target, key, receiver);
    },
  });
  return { provider, reads: () => reads };
}

function identities(count: number, providerAccount: string): { reads: number; errors: string[] } {
  const app = new App();
  const stack = new Stack(app, 'Workloads', { env: { account: ACCOUNT, region: REGION } });
  const { provider, reads } = countedProvider(stack, `arn:aws:iam::${providerAccount}:oidc-provider/${ISSUER_KEY}`);
  const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Campus', {
    clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, openIdConnectProvider: provider,
  });
  const errors: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      new WorkloadIdentity(stack, `Reader${i}`, { cluster, namespace: 'analytics', serviceAccountName: `reader-${i}`, mechanism: IdentityMechanism.IRSA });
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { reads: reads(), errors };
}

describe('the account of an IRSA role\'s OIDC provider', () => {
  test('GIVEN one cluster\'s provider WHEN ten more roles trust it THEN its ARN is read once more per role (the principal), not twice', () => {
    // GIVEN / WHEN
    const one = identities(1, ACCOUNT);
    const eleven = identities(11, ACCOUNT);

    // THEN
    expect(one.errors).toEqual([]);
    expect(eleven.errors).toEqual([]);
    expect(eleven.reads - one.reads).toBe(10);
  });

  test('GIVEN a provider of another account WHEN several roles trust it THEN each is refused, naming the provider and both accounts', () => {
    // GIVEN / WHEN
    const { errors } = identities(3, '210987654321');

    // THEN
    expect(errors).toHaveLength(3);
    errors.forEach((message, i) => {
      expect(message).toContain(`Cluster 'campus' has its OIDC provider 'arn:aws:iam::210987654321:oidc-provider/${ISSUER_KEY}' in account 210987654321, ` +
        `but the role of 'Workloads/Reader${i}' is in account ${ACCOUNT}: STS accepts a web identity only through a provider in the role's own account.`);
    });
  });
});
