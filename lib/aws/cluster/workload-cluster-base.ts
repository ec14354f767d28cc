import { Arn, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind, defaultMechanismFor } from '../../core/cluster-kind';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { OidcIssuer } from '../../core/oidc-issuer';
import { DEFAULT_AUDIENCE } from '../../core/service-account-annotations';
import { clusterDisplayName, IWorkloadCluster, WORKLOAD_CLUSTER_BRAND } from './i-workload-cluster';
import { declaredIssuerUrl, newIssuerProvider, noteProviderOwnedElsewhere, referencedIssuerProvider } from './oidc-provider';
import { SharedClusterResources } from './shared-cluster-resources';

/**
 * What the attributes cluster and the EKS adapter share: the cluster-wide
 * pieces as lazy getters, created on first access (as aws-eks-v2's Cluster
 * makes its OIDC provider and agent add-on).
 */
export abstract class WorkloadClusterBase extends Construct implements IWorkloadCluster {
  public abstract readonly clusterName: string;
  public abstract readonly clusterArn?: string;
  public abstract readonly kind: ClusterKind;
  public abstract readonly oidcIssuerUrl?: string;
  private readonly audiences: string[] = [];
  private provider?: iam.IOpenIdConnectProvider;
  /** Whether `provider` is referenced by its ARN: it exists outside the app. */
  private referenced = false;
  private agentResolved = false;
  private agent?: IConstruct;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, WORKLOAD_CLUSTER_BRAND, { value: true });
  }

  public get defaultMechanism(): IdentityMechanism {
    return defaultMechanismFor(this.kind);
  }

  /**
   * The IAM OIDC provider of the cluster's issuer: the cluster's own, else one
   * another handle of the cluster brought, else a native one created on first
   * access where this handle owns it, else the existing one referenced by ARN.
   */
  public get openIdConnectProvider(): iam.IOpenIdConnectProvider {
    return this.provider ??= this.resolveOpenIdConnectProvider() ?? this.sharedProvider() ??
      (this.createsOpenIdConnectProvider() ? this.newProvider() : this.referenceProvider());
  }

  /**
   * The provider of a cluster owned elsewhere, by the ARN IAM gives it: never
   * declared, so never a duplicate. Should a handle of the app turn out to
   * declare it (an owner or a handed-in provider constructed after this
   * handle's first IRSA use), the ARN resolves to that one, so the role's stack
   * deploys after the provider's, whatever the order of construction.
   */
  private referenceProvider(): iam.IOpenIdConnectProvider {
    const key = this.providerKey();
    const provider = referencedIssuerProvider(this, this.oidcIssuerUrl,
      key && (() => SharedClusterResources.of(this).providerOf(key.account, key.issuer)));
    this.referenced = true;
    return provider;
  }

  /** The account (this handle's stack's) and issuer a provider of this cluster is registered under, when both are literal. */
  private providerKey(): { account: string; issuer: string } | undefined {
    const account = Stack.of(this).account;
    if (!this.oidcIssuerUrl || Token.isUnresolved(this.oidcIssuerUrl) || Token.isUnresolved(account)) { return undefined; }
    return { account, issuer: OidcIssuer.conditionKeyPrefix(this.oidcIssuerUrl) };
  }

  /**
   * Registers this handle as the owner of its cluster's provider, when it is
   * constructed: handles of the cluster that reference the provider, before or
   * after, trust the one it declares.
   */
  protected registerProviderOwner(): void {
    const key = this.providerKey();
    if (key && this.createsOpenIdConnectProvider()) { SharedClusterResources.of(this).registerOwner(key.account, key.issuer, this); }
  }

  /** A native provider of this cluster's issuer, its client ids recorded so other handles of the cluster can add theirs. */
  private newProvider(): iam.IOpenIdConnectProvider {
    const provider = newIssuerProvider(this, clusterDisplayName(this), this.oidcIssuerUrl, this.audiences);
    SharedClusterResources.of(this).recordClientIds(provider, this.audiences);
    return provider;
  }

  /** The provider another handle of this cluster already brought into this stack's account (IAM takes one per issuer). */
  private sharedProvider(): iam.IOpenIdConnectProvider | undefined {
    const key = this.providerKey();
    if (!key) { return undefined; }
    const registry = SharedClusterResources.of(this);
    return registry.providerOf(key.account, key.issuer) ?? registry.ownerOf(key.account, key.issuer, this)?.openIdConnectProvider;
  }

  /** The `eks-pod-identity-agent` add-on associations wait for, resolved on first access. */
  public get podIdentityAgent(): IConstruct | undefined {
    if (!this.agentResolved) {
      this.agentResolved = true;
      this.agent = this.kind === ClusterKind.EKS_AUTO_MODE ? undefined : this.resolvePodIdentityAgent();
    }
    return this.agent;
  }

  /** @internal */
  public _ensureOpenIdConnectProvider(audience: string): iam.IOpenIdConnectProvider {
    if (!this.audiences.includes(audience)) { this.audiences.push(audience); }
    const provider = this.openIdConnectProvider;
    if (this.referenced) {
      // Not recorded: a handle that owns the provider must still declare it, listing this audience too.
      const key = this.providerKey();
      if (key) { SharedClusterResources.of(this).referenceProvider(key.account, key.issuer, audience); }
      // Said once per cluster, at synth, unless a handle of the app declares the provider by then.
      noteProviderOwnedElsewhere(this, this.oidcIssuerUrl!, audience,
        () => key !== undefined && SharedClusterResources.of(this).declaresProvider(key.account, key.issuer));
      return provider;
    }
    // Recorded, so another handle of the cluster reuses it rather than registering the issuer twice.
    const issuer = this.oidcIssuerUrl && !Token.isUnresolved(this.oidcIssuerUrl) ? OidcIssuer.conditionKeyPrefix(this.oidcIssuerUrl)
      : !Token.isUnresolved(provider.openIdConnectProviderArn) ? Arn.extractResourceName(provider.openIdConnectProviderArn, 'oidc-provider') : undefined;
    if (issuer !== undefined) { SharedClusterResources.of(this).recordProvider(issuer, provider); }
    // A provider another handle created lists that handle's audiences: this one's must be there too.
    SharedClusterResources.of(this).admit(provider, audience);
    return provider;
  }

  /** @internal */
  public _oidcConditionKeyPrefix(): string {
    if (this.oidcIssuerUrl && !Token.isUnresolved(this.oidcIssuerUrl)) {
      return OidcIssuer.conditionKeyPrefix(this.oidcIssuerUrl);
    }
    // A referenced provider's ARN is built from the issuer, so the keys come from the issuer too: asking the provider
    // for them would note sts.amazonaws.com as a client id it must list, whether or not an identity uses it.
    // (Resolving the provider first tells whether it is referenced.)
    if (this.openIdConnectProvider && this.referenced && this.oidcIssuerUrl) { return Fn.select(1, Fn.split('https://', this.oidcIssuerUrl)); }
    // A provider declared in the app with a literal URL names its issuer: the keys need no split of its ARN, which in a
    // stack of another region (or with weak cross-stack references) arrives as Fn::GetStackOutput, not accepted inside Fn::Split.
    const declared = declaredIssuerUrl(this.openIdConnectProvider);
    if (declared !== undefined) { return OidcIssuer.conditionKeyPrefix(declared); }
    return this._ensureOpenIdConnectProvider(DEFAULT_AUDIENCE).openIdConnectProviderIssuer;
  }

  /** @internal */
  public _ensurePodIdentityAgent(): IConstruct | undefined {
    return this.podIdentityAgent;
  }

  /** The provider the cluster already has, if any. */
  protected abstract resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined;

  /** Whether this handle's stack owns the cluster's provider (declares it on first IRSA use) when the cluster has none. */
  protected abstract createsOpenIdConnectProvider(): boolean;

  /** The agent add-on to depend on (created here if this app owns it), or undefined. */
  protected abstract resolvePodIdentityAgent(): IConstruct | undefined;
}
