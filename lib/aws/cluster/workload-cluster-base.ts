import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind, defaultMechanismFor } from '../../core/cluster-kind';
import { FargateProfileSelector } from '../../core/fargate-selector';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { OidcIssuer } from '../../core/oidc-issuer';
import { requireOneOf, validateClusterName } from '../../core/validation';
import { WorkloadIdentityError } from '../../core/validation-error';
import { AppState } from '../app-state';
import { FargateProfiles } from '../fargate/fargate-profiles';
import { ClusterEnvironment, clusterEnvironment, referencedResource } from './cluster-environment';
import { CREATED_IN_APP, ownerOf, registerClusterHandle } from './cluster-ownership';
import { claimIssuer } from '../issuer/issuer-claims';
import { assertProviderMatchesIssuer, IssuerProvider } from '../issuer/oidc-provider';
import { IrsaTrust, IWorkloadCluster, WORKLOAD_CLUSTER_BRAND } from './i-workload-cluster';
import { WorkloadClusterOptions } from './workload-cluster-options';

/** What a handle knows of its cluster (a handle handed an owner knows the owner's). */
export interface ClusterFacts {
  readonly clusterName: string;
  readonly clusterArn?: string;
  readonly kind: ClusterKind;
  readonly oidcIssuerUrl?: string;
  readonly literalClusterName?: string;
}

/**
 * What the attributes cluster and the EKS adapter share. A handle either owns
 * its cluster's pieces (declares or is handed them), follows the owner it was
 * handed (`owner:`), or has none (the cluster is owned elsewhere: IRSA roles
 * reference the provider by ARN, and a note on the handle says what must exist).
 */
export abstract class WorkloadClusterBase extends Construct implements IWorkloadCluster {
  // Plain fields, set once by establish(): a handle handed an owner has the owner's.
  public clusterName!: string;
  public clusterArn?: string;
  public kind!: ClusterKind;
  public oidcIssuerUrl?: string;
  /** @internal */
  public _literalClusterName?: string;
  /** @internal */
  public _clusterKey!: string;
  /** @internal */
  public _clusterEnvironment!: ClusterEnvironment;
  /** The handle that owns the cluster's pieces: this one, the owner it was handed, or none. */
  private owner?: WorkloadClusterBase;
  /** The IAM OIDC provider as this handle reaches it: its owner's, or referenced by ARN. */
  private readonly issuerProvider = new IssuerProvider(this, () => this.resolveOpenIdConnectProvider());
  private agentRead = false;
  private agent?: IConstruct;
  /** @internal */
  public readonly _fargateProfiles: FargateProfiles;

  /** @param clusterObject the aws-eks(-v2) cluster the handle adapts, if it adapts one (its Fargate profiles are read) */
  constructor(scope: Construct, id: string, protected readonly options: WorkloadClusterOptions, clusterObject?: IConstruct) {
    super(scope, id);
    Object.defineProperty(this, WORKLOAD_CLUSTER_BRAND, { value: true });
    this._fargateProfiles = new FargateProfiles(this, clusterObject);
  }

  public get defaultMechanism(): IdentityMechanism {
    return defaultMechanismFor(this.kind);
  }

  /** Checks what every handle states: the cluster's name, and the kind and issuer of its options. */
  protected checkNameAndOptions(clusterName: string): void {
    validateClusterName(clusterName);
    requireOneOf(this.options.kind, Object.values(ClusterKind), `kind of WorkloadCluster '${this.node.path}'`);
    const issuer = this.options.oidcIssuerUrl;
    if (issuer && !Token.isUnresolved(issuer)) { OidcIssuer.validate(issuer); }
  }

  /**
   * Takes the cluster's facts and its place among the cluster's handles: a
   * handle given an owner (`owner:`) takes the owner's; an owner declares what
   * it owns now, used or not, so removing a workload stack never removes it.
   *
   * @param heldProvider the provider the handle was handed (it then owns the cluster)
   * @param created whether the handle adapts a cluster created in the app (it owns the cluster; its add-on is read later)
   */
  protected establish(facts: ClusterFacts, heldProvider: iam.IOpenIdConnectProvider | undefined, created: boolean): void {
    if (facts.oidcIssuerUrl && heldProvider) { assertProviderMatchesIssuer(this, facts.clusterName, facts.oidcIssuerUrl, heldProvider); }
    let owns = created ? CREATED_IN_APP : [
      this.options.createOpenIdConnectProvider && 'createOpenIdConnectProvider',
      heldProvider && 'openIdConnectProvider',
      this.options.installPodIdentityAgent && 'installPodIdentityAgent',
    ].filter(Boolean).join(', ') || undefined;
    this.takeFacts(facts);
    this._clusterEnvironment = clusterEnvironment(this);
    this._clusterKey = this.keyOf();
    // A handle of the cluster object the owner adapts needs no owner: passing the cluster is passing its owner.
    let given = this.options.owner;
    const sameObject = given ? undefined : AppState.of(this).clusters.get(this._clusterKey)?.owner;
    if (sameObject && this.adaptsSameCluster(sameObject)) { given = sameObject as IWorkloadCluster; owns = undefined; }
    if (given) {
      const owner = ownerOf(this, given, this._clusterKey, owns) as WorkloadClusterBase;
      this.assertAgreesWith(owner);
      this.takeFacts(owner);
      this._clusterEnvironment = clusterEnvironment(this);
      this._clusterKey = owner._clusterKey;
      this.owner = owner;
    } else {
      // An issuer is one cluster's: a second cluster declared with it is refused before anything is declared for it.
      claimIssuer(this);
      registerClusterHandle(this, owns);
      if (owns !== undefined) { this.declareOwnedPieces(facts, !created); }
    }
    this._fargateProfiles.declare(this.options.fargateProfileSelectors, this.owner !== this ? this.owner?._fargateProfiles : undefined);
  }

  /** The owner's pieces, declared when it is constructed: the provider (createOpenIdConnectProvider), and the add-on unless a created cluster's. */
  private declareOwnedPieces(facts: ClusterFacts, eagerAgent: boolean): void {
    this.owner = this;
    if (this.options.createOpenIdConnectProvider === true) { this.issuerProvider.declare(facts.oidcIssuerUrl); }
    if (eagerAgent) { this.ownedAgent(); }
  }

  private takeFacts(facts: ClusterFacts | WorkloadClusterBase): void {
    this.clusterName = facts.clusterName;
    this.clusterArn = facts.clusterArn;
    this.kind = facts.kind;
    this.oidcIssuerUrl = facts.oidcIssuerUrl;
    this._literalClusterName = facts instanceof WorkloadClusterBase ? facts._literalClusterName : facts.literalClusterName;
  }

  public get fargateProfileSelectors(): FargateProfileSelector[] {
    return this._fargateProfiles.selectors;
  }

  /** What identifies the cluster: account, region and literal name, else the created cluster's resource. */
  private keyOf(): string {
    const name = this._literalClusterName;
    if (name === undefined) {
      const resource = referencedResource(this.clusterName);
      return resource ? `resource:${resource.node.path}` : `path:${this.node.path}`;
    }
    const env = this._clusterEnvironment;
    return `${env.account}/${env.region}/${name}`;
  }

  /** A handle handed an owner takes the owner's facts: what it was told must not contradict them. */
  private assertAgreesWith(owner: WorkloadClusterBase): void {
    const mine = this as { readonly oidcIssuerUrl?: string };
    const differs = (a?: string, b?: string) => a !== undefined && b !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
    const issuer = differs(mine.oidcIssuerUrl, owner.oidcIssuerUrl) ? ['oidcIssuerUrl', mine.oidcIssuerUrl, owner.oidcIssuerUrl] : undefined;
    const stated = this.options.kind;
    const kind = stated !== undefined && stated !== owner.kind ? ['kind', stated, owner.kind] : undefined;
    const [what, given, owners] = issuer ?? kind ?? [];
    if (what) {
      throw new WorkloadIdentityError(`WorkloadCluster '${this.node.path}' has ${what} '${given}', but its owner '${owner.node.path}' has '${owners}': ` +
        `a handle handed an owner is the owner's cluster. Drop ${what}, or pass the owner of that other cluster.`, this.node.path);
    }
  }

  public openIdConnectProviderFor(account: string): iam.IOpenIdConnectProvider {
    return this.issuerProvider.providerFor(this.owner?.issuerProvider, account);
  }

  /** @internal */
  public _irsaTrust(audience: string, role: IConstruct): IrsaTrust {
    return this.issuerProvider.irsaTrust(this.owner?.issuerProvider, audience, role);
  }

  public get podIdentityAgent(): IConstruct | undefined {
    return this.owner?.ownedAgent();
  }

  /** The add-on this handle owns, declared (or found) on first read; none on Auto Mode. */
  private ownedAgent(): IConstruct | undefined {
    if (!this.agentRead) {
      this.agentRead = true;
      this.agent = this.kind === ClusterKind.EKS_AUTO_MODE ? undefined : this.resolvePodIdentityAgent();
    }
    return this.agent;
  }

  /** Whether this handle adapts the very cluster object `owner` adapts (two adapters of one created cluster). */
  protected adaptsSameCluster(_owner: IConstruct): boolean {
    return false;
  }

  /** The provider the cluster already has (handed in, or a created cluster's own), if any. */
  protected abstract resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined;

  /** The agent add-on this handle owns (declared here unless the stack or cluster already has it), or undefined. */
  protected abstract resolvePodIdentityAgent(): IConstruct | undefined;
}
