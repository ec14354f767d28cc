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
import { splittableIn } from './splittable-reference';
import { WorkloadIdentityError } from '../../core/validation-error';

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
  /** The given, created or owned provider (the same wherever the role is), once resolved. */
  private provider?: iam.IOpenIdConnectProvider;
  /** For a cluster owned elsewhere: the provider trusted per role account (referenced by ARN, or one the app declares there). */
  private readonly providersByAccount = new Map<string, { provider: iam.IOpenIdConnectProvider; referenced: boolean }>();
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
   * The IAM OIDC provider of the cluster's issuer for a role in this handle's
   * stack's account: the cluster's own, else (where this handle owns it) one
   * another handle brought or a native one created on first access, else the
   * provider a handle of the app brought into that account, else the existing
   * one referenced by ARN.
   */
  public get openIdConnectProvider(): iam.IOpenIdConnectProvider {
    return this.providerIn(Stack.of(this).account).provider;
  }

  /**
   * The provider a role of `account` trusts. STS takes a web identity only
   * through a provider in the role's own account, so for a cluster owned
   * elsewhere (nothing given, nothing owned) it is the one of that account:
   * a cluster in one account with IRSA roles in others (a central cluster)
   * needs the issuer registered in each of them.
   */
  private providerIn(account: string): { provider: iam.IOpenIdConnectProvider; referenced: boolean } {
    const fixed = this.provider ??= this.resolveOpenIdConnectProvider() ??
      (this.createsOpenIdConnectProvider() ? this.sharedProvider(Stack.of(this).account) ?? this.newProvider() : undefined);
    if (fixed) { return { provider: fixed, referenced: false }; }
    let resolved = this.providersByAccount.get(account);
    if (!resolved) {
      const shared = this.sharedProvider(account);
      resolved = shared ? { provider: shared, referenced: false } : { provider: this.referenceProvider(account), referenced: true };
      this.providersByAccount.set(account, resolved);
    }
    return resolved;
  }

  /**
   * The provider of a cluster owned elsewhere in `account`, by the ARN IAM
   * gives it: never declared, so never a duplicate. Should a handle of the app
   * turn out to declare it (an owner or a handed-in provider constructed after
   * this handle's first IRSA use), the ARN resolves to that one, so the role's
   * stack deploys after the provider's, whatever the order of construction.
   */
  private referenceProvider(account: string): iam.IOpenIdConnectProvider {
    const key = this.providerKey(account);
    const id = account === Stack.of(this).account ? 'OidcProvider' : `OidcProvider${Token.isUnresolved(account) ? this.providersByAccount.size : account}`;
    return referencedIssuerProvider(this, id, this.oidcIssuerUrl, account,
      key && (() => SharedClusterResources.of(this).providerOf(key.account, key.issuer)));
  }

  /** The account and issuer a provider of this cluster is registered under, when both are literal. */
  private providerKey(account: string): { account: string; issuer: string } | undefined {
    if (!this.oidcIssuerUrl || Token.isUnresolved(this.oidcIssuerUrl) || Token.isUnresolved(account)) { return undefined; }
    return { account, issuer: OidcIssuer.conditionKeyPrefix(this.oidcIssuerUrl) };
  }

  /**
   * Declares what this handle owns, when it is constructed: an explicit
   * ownership declaration holds whether or not an identity of the app uses
   * the piece, so that removing the last one (a workload stack, a finished
   * migration, a change of mechanism) never removes it from the owning stack,
   * nor for the cluster's other users. The provider lists sts.amazonaws.com
   * and every audience identities add; handles of the cluster constructed
   * before or after use it (provider and add-on alike). An add-on whose
   * declaration waits for first use (`eagerAgent` false: a cluster created in
   * the app holds it) is still shared with them.
   */
  protected claimOwnedPieces(ownsAgent: boolean, eagerAgent: boolean): void {
    const registry = SharedClusterResources.of(this);
    if (this.createsOpenIdConnectProvider()) {
      if (!this.oidcIssuerUrl) {
        throw new WorkloadIdentityError(
          `WorkloadCluster '${this.node.path}' has createOpenIdConnectProvider: true but no oidcIssuerUrl: the provider it owns must register the cluster's issuer. ` +
          `Pass oidcIssuerUrl (aws eks describe-cluster --name ${clusterDisplayName(this)} --query cluster.identity.oidc.issuer --output text), or drop createOpenIdConnectProvider.`,
          this.node.path);
      }
      // The default audience first, then those of handles that referenced the provider before this one was constructed.
      this._ensureOpenIdConnectProvider(DEFAULT_AUDIENCE);
      const key = this.providerKey(Stack.of(this).account);
      if (key) { registry.registerOwner(key.account, key.issuer, this); }
    }
    if (ownsAgent) {
      registry.registerAgentOwner(this);
      if (eagerAgent) { this._ensurePodIdentityAgent(); }
    }
  }

  /** A native provider of this cluster's issuer, its client ids recorded so other handles of the cluster can add theirs. */
  private newProvider(): iam.IOpenIdConnectProvider {
    const provider = newIssuerProvider(this, clusterDisplayName(this), this.oidcIssuerUrl, this.audiences);
    SharedClusterResources.of(this).recordClientIds(provider, this.audiences);
    return provider;
  }

  /** The provider another handle of this cluster already brought into `account` (IAM takes one per issuer there). */
  private sharedProvider(account: string): iam.IOpenIdConnectProvider | undefined {
    const key = this.providerKey(account);
    if (!key) { return undefined; }
    const registry = SharedClusterResources.of(this);
    return registry.providerOf(key.account, key.issuer) ?? registry.ownerOf(key.account, key.issuer, this)?.openIdConnectProvider;
  }

  /** The `eks-pod-identity-agent` add-on associations wait for, resolved on first access. */
  public get podIdentityAgent(): IConstruct | undefined {
    if (!this.agentResolved) {
      this.agentResolved = true;
      this.agent = this.kind === ClusterKind.EKS_AUTO_MODE ? undefined : this.resolvePodIdentityAgent();
      // Handles of the cluster that do not own it use it too.
      if (this.agent) { SharedClusterResources.of(this).recordAgent(this, this.agent); }
    }
    return this.agent;
  }

  /** @internal */
  public _ensureOpenIdConnectProvider(audience: string, role?: IConstruct): iam.IOpenIdConnectProvider {
    if (!this.audiences.includes(audience)) { this.audiences.push(audience); }
    const account = Stack.of(role ?? this).account;
    const { provider, referenced } = this.providerIn(account);
    if (referenced) {
      // Not recorded: a handle that owns the provider in that account must still declare it, listing this audience too.
      const key = this.providerKey(account);
      if (key) { SharedClusterResources.of(this).referenceProvider(key.account, key.issuer, audience); }
      // Said once per cluster and account, at synth, unless a handle of the app declares the provider there by then.
      noteProviderOwnedElsewhere(this, this.oidcIssuerUrl!, account, audience,
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
  public _oidcConditionKeyPrefix(role?: IConstruct): string {
    if (this.oidcIssuerUrl && !Token.isUnresolved(this.oidcIssuerUrl)) {
      return OidcIssuer.conditionKeyPrefix(this.oidcIssuerUrl);
    }
    // A referenced provider's ARN is built from the issuer, so the keys come from the issuer too: asking the provider
    // for them would note sts.amazonaws.com as a client id it must list, whether or not an identity uses it.
    // (Resolving the provider first tells whether the cluster has one of its own.)
    if (this.providerIn(Stack.of(this).account).referenced && this.oidcIssuerUrl) { return Fn.select(1, Fn.split('https://', this.oidcIssuerUrl)); }
    // A provider declared in the app with a literal URL names its issuer: the keys need no split of its ARN, which in a
    // stack of another region (or with weak cross-stack references) arrives as Fn::GetStackOutput, not accepted inside Fn::Split.
    const declared = declaredIssuerUrl(this.openIdConnectProvider);
    if (declared !== undefined) { return OidcIssuer.conditionKeyPrefix(declared); }
    const provider = this._ensureOpenIdConnectProvider(DEFAULT_AUDIENCE);
    // A provider of another stack of the role's account and region (a created cluster's, say): split its ARN
    // imported strongly, as aws-cdk-lib's providers split theirs (Arn.extractResourceName).
    const arn = splittableIn(role ?? this, provider.openIdConnectProviderArn);
    return arn === provider.openIdConnectProviderArn ? provider.openIdConnectProviderIssuer : Arn.extractResourceName(arn, 'oidc-provider');
  }

  /** @internal */
  public _ensurePodIdentityAgent(): IConstruct | undefined {
    return this.podIdentityAgent;
  }

  /** The provider the cluster already has, if any. */
  protected abstract resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined;

  /** Whether this handle's stack owns the cluster's provider (declares it when constructed) when the cluster has none. */
  protected abstract createsOpenIdConnectProvider(): boolean;

  /** The agent add-on to depend on (created here if this app owns it), or undefined. */
  protected abstract resolvePodIdentityAgent(): IConstruct | undefined;
}
