import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { appSingleton } from '../app-singleton';

const REGISTRY_ID = 'cdk-eks-workload-identity.SharedClusterResources';

/**
 * The OIDC providers the app's cluster handles use, by account and issuer:
 * IAM registers one provider per issuer and account, so a handle that would
 * create its own reuses the one another handle of the cluster already brought
 * (two adapters of one cluster, or attributes and an adapter). One hidden
 * construct per app, a child of the root.
 */
export class SharedClusterResources extends Construct {
  /** The app's registry, created on first use. */
  public static of(scope: IConstruct): SharedClusterResources {
    return appSingleton(scope, REGISTRY_ID, SharedClusterResources);
  }

  private readonly providers = new Map<string, iam.IOpenIdConnectProvider>();
  /** The client id lists of the providers handles created, so a handle reusing one adds its audiences there. */
  private readonly clientIds = new Map<iam.IOpenIdConnectProvider, string[]>();

  /** Records that a handle uses `provider` for the issuer `issuerPrefix` (the first one recorded is reused). */
  public recordProvider(issuerPrefix: string, provider: iam.IOpenIdConnectProvider): void {
    const account = providerAccount(provider);
    if (account === undefined || Token.isUnresolved(issuerPrefix)) { return; }
    const key = `${account}|${issuerPrefix}`;
    if (!this.providers.has(key)) { this.providers.set(key, provider); }
  }

  /**
   * Records a provider handed to a handle (it exists, so another handle of the
   * cluster must reuse it): its issuer is the handle's literal issuer, else the
   * one its literal ARN registers.
   */
  public recordGivenProvider(issuerUrl: string | undefined, provider: iam.IOpenIdConnectProvider): void {
    const arn = provider.openIdConnectProviderArn;
    const issuer = issuerUrl && !Token.isUnresolved(issuerUrl) ? issuerUrl.replace(/^https:\/\//, '')
      : !Token.isUnresolved(arn) ? arn.split(':oidc-provider/')[1] : undefined;
    if (issuer !== undefined) { this.recordProvider(issuer, provider); }
  }

  /** Records the (lazily rendered) client id list of a provider a handle created. */
  public recordClientIds(provider: iam.IOpenIdConnectProvider, clientIds: string[]): void {
    this.clientIds.set(provider, clientIds);
  }

  /** Adds `audience` to a created provider's client ids, whichever handle asks (true if the provider is one of those). */
  public acceptAudience(provider: iam.IOpenIdConnectProvider, audience: string): boolean {
    const list = this.clientIds.get(provider);
    if (!list) { return false; }
    if (!list.includes(audience)) { list.push(audience); }
    return true;
  }

  /** The provider of `issuerPrefix` some handle already uses in `account`, if any. */
  public providerOf(account: string, issuerPrefix: string): iam.IOpenIdConnectProvider | undefined {
    if (Token.isUnresolved(account) || Token.isUnresolved(issuerPrefix)) { return undefined; }
    return this.providers.get(`${account}|${issuerPrefix}`);
  }
}

/** The account a provider is registered in: its literal ARN's, else its stack's (where it is declared or imported). */
function providerAccount(provider: iam.IOpenIdConnectProvider): string | undefined {
  const arn = provider.openIdConnectProviderArn;
  if (!Token.isUnresolved(arn)) { return arn.split(':')[4]; }
  const account = Stack.of(provider).account;
  return Token.isUnresolved(account) ? undefined : account;
}
