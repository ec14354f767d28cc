import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { appSingleton } from '../app-singleton';
import { clusterIdentity, IWorkloadCluster } from './i-workload-cluster';
import { acceptAudience, declaredIssuerUrl } from './oidc-provider';

const REGISTRY_ID = 'cdk-eks-workload-identity.SharedClusterResources';

/** A handle that owns its cluster's provider: it declares it when constructed (or when first asked for it). */
export interface ProviderOwner extends IWorkloadCluster {
  readonly openIdConnectProvider: iam.IOpenIdConnectProvider;
}

/**
 * The cluster-wide pieces the app's cluster handles share: the agent add-on,
 * by cluster, and the OIDC providers, by account and issuer:
 * IAM registers one provider per issuer and account, so a handle that would
 * create its own reuses the one another handle of the cluster already brought
 * (two adapters of one cluster, or attributes and an adapter). One hidden
 * construct per app, a child of the root.
 *
 * The outcome must not depend on the order handles are constructed or used
 * in: a handle that owns the provider (createOpenIdConnectProvider) is
 * registered when it is constructed, and a handle that referenced the
 * provider by ARN before its owner or a handed-in provider was known has its
 * audiences handed on when that provider arrives; its ARN resolves lazily to
 * the declared provider, so its stack deploys after the provider's.
 */
export class SharedClusterResources extends Construct {
  /** The app's registry, created on first use. */
  public static of(scope: IConstruct): SharedClusterResources {
    return appSingleton(scope, REGISTRY_ID, SharedClusterResources);
  }

  private readonly providers = new Map<string, iam.IOpenIdConnectProvider>();
  /** The client id lists of the providers handles created, so a handle reusing one adds its audiences there. */
  private readonly clientIds = new Map<iam.IOpenIdConnectProvider, string[]>();
  /** The handles that own their cluster's provider, by account and issuer (the first one constructed declares it). */
  private readonly owners = new Map<string, ProviderOwner>();
  /** The audiences handles referenced a provider by ARN for, by account and issuer: a provider the app declares later must list them. */
  private readonly referenced = new Map<string, string[]>();
  /** The handles that own their cluster's agent add-on (installPodIdentityAgent: true), by cluster (the first one constructed). */
  private readonly agentOwners = new Map<string, IWorkloadCluster>();
  /** The agent add-on an owning handle declared, by cluster. */
  private readonly agents = new Map<string, IConstruct>();
  /** What waits for a cluster's add-on no owning handle declared yet (its owner may be constructed later). */
  private readonly agentWaiters = new Map<string, Array<(agent: IConstruct) => void>>();

  /**
   * Registers a handle that owns its cluster's agent add-on, when it is
   * constructed; if identities of another handle of the cluster already wait
   * for the agent, it declares it now and they depend on it.
   */
  public registerAgentOwner(owner: IWorkloadCluster): void {
    const key = clusterIdentity(owner);
    if (this.agentOwners.has(key)) { return; }
    this.agentOwners.set(key, owner);
    if (this.agentWaiters.has(key)) { owner._ensurePodIdentityAgent(); }
  }

  /** The handle that owns `cluster`'s add-on, if any (possibly `cluster` itself). */
  public agentOwnerOf(cluster: IWorkloadCluster): IWorkloadCluster | undefined {
    return this.agentOwners.get(clusterIdentity(cluster));
  }

  /** Records the add-on an owning handle declared (or reused): whatever waits for the cluster's agent uses it. */
  public recordAgent(owner: IWorkloadCluster, agent: IConstruct): void {
    const key = clusterIdentity(owner);
    if (this.agents.has(key)) { return; }
    this.agents.set(key, agent);
    for (const use of this.agentWaiters.get(key) ?? []) { use(agent); }
    this.agentWaiters.delete(key);
  }

  /**
   * Hands `cluster`'s agent add-on to `use`: now if an owning handle declared
   * it (or declares it when asked), else when an owner constructed later does.
   */
  public withAgent(cluster: IWorkloadCluster, use: (agent: IConstruct) => void): void {
    const key = clusterIdentity(cluster);
    const agent = this.agents.get(key) ?? this.agentOwners.get(key)?._ensurePodIdentityAgent();
    if (agent) { use(agent); return; }
    this.agentWaiters.set(key, [...this.agentWaiters.get(key) ?? [], use]);
  }

  /**
   * Registers a handle that owns its cluster's provider in `account`, when it is
   * constructed; audiences handles already referenced the provider for are
   * handed to it (so it declares the provider now, listing them).
   */
  public registerOwner(account: string, issuerPrefix: string, owner: ProviderOwner): void {
    const key = keyOf(account, issuerPrefix);
    if (key === undefined || this.owners.has(key)) { return; }
    this.owners.set(key, owner);
    for (const audience of this.referenced.get(key) ?? []) { owner._ensureOpenIdConnectProvider(audience); }
  }

  /** The handle that owns the provider of `issuerPrefix` in `account`, other than `self`, if any. */
  public ownerOf(account: string, issuerPrefix: string, self: IWorkloadCluster): ProviderOwner | undefined {
    const key = keyOf(account, issuerPrefix);
    const owner = key === undefined ? undefined : this.owners.get(key);
    return owner === self ? undefined : owner;
  }

  /**
   * Records that a handle trusts the provider of `issuerPrefix` in `account` by
   * its ARN for `audience`: a provider the app declares or is handed for it,
   * now or later, must list the audience. Returns whether the app has one.
   */
  public referenceProvider(account: string, issuerPrefix: string, audience: string): boolean {
    const key = keyOf(account, issuerPrefix);
    if (key === undefined) { return false; }
    const audiences = this.referenced.get(key) ?? [];
    if (!audiences.includes(audience)) { audiences.push(audience); }
    this.referenced.set(key, audiences);
    this.owners.get(key)?._ensureOpenIdConnectProvider(audience);
    const provider = this.providers.get(key);
    if (provider) { this.admit(provider, audience); }
    return provider !== undefined;
  }

  /** Whether the app declares or is handed the provider of `issuerPrefix` in `account` (an owner counts, declared or not yet). */
  public declaresProvider(account: string, issuerPrefix: string): boolean {
    const key = keyOf(account, issuerPrefix);
    return key !== undefined && (this.providers.has(key) || this.owners.has(key));
  }

  /** Records that a handle uses `provider` for the issuer `issuerPrefix` (the first one recorded is reused). */
  public recordProvider(issuerPrefix: string, provider: iam.IOpenIdConnectProvider): void {
    const account = providerAccount(provider);
    if (account === undefined || Token.isUnresolved(issuerPrefix)) { return; }
    const key = `${account}|${issuerPrefix}`;
    if (this.providers.has(key)) { return; }
    this.providers.set(key, provider);
    // Handles that referenced it by ARN before it was known: it must list their audiences too.
    for (const audience of this.referenced.get(key) ?? []) { this.admit(provider, audience); }
  }

  /** Has `provider` list `audience`: one a handle created through its recorded client ids, another declared one through its literal list. */
  public admit(provider: iam.IOpenIdConnectProvider, audience: string): void {
    if (!this.acceptAudience(provider, audience)) { acceptAudience(provider, audience); }
  }

  /**
   * Records a provider handed to a handle (it exists, so another handle of the
   * cluster must reuse it): its issuer is the handle's literal issuer, else the
   * one its literal ARN registers.
   */
  public recordGivenProvider(issuerUrl: string | undefined, provider: iam.IOpenIdConnectProvider): void {
    const arn = provider.openIdConnectProviderArn;
    // A provider declared in this app has a token ARN, but its URL says which issuer it registers.
    const declaredUrl = declaredIssuerUrl(provider);
    const issuer = issuerUrl && !Token.isUnresolved(issuerUrl) ? issuerUrl.replace(/^https:\/\//, '')
      : !Token.isUnresolved(arn) ? arn.split(':oidc-provider/')[1]
        : declaredUrl?.replace(/^https:\/\//, '');
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
    const key = keyOf(account, issuerPrefix);
    return key === undefined ? undefined : this.providers.get(key);
  }
}

/** The registry's key of a provider: its account and issuer, when both are known at synth. */
function keyOf(account: string, issuerPrefix: string): string | undefined {
  return Token.isUnresolved(account) || Token.isUnresolved(issuerPrefix) ? undefined : `${account}|${issuerPrefix}`;
}

/** The account a provider is registered in: its literal ARN's, else its stack's (where it is declared or imported). */
function providerAccount(provider: iam.IOpenIdConnectProvider): string | undefined {
  const arn = provider.openIdConnectProviderArn;
  if (!Token.isUnresolved(arn)) { return arn.split(':')[4]; }
  const account = Stack.of(provider).account;
  return Token.isUnresolved(account) ? undefined : account;
}
