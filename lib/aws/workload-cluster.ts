import { Arn, ArnFormat, CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind, defaultMechanismFor } from '../core/cluster-kind';
import { IdentityMechanism } from '../core/identity-mechanism';
import { OidcIssuer } from '../core/oidc-issuer';
import { POD_IDENTITY_AGENT_ADDON } from '../core/pod-identity';
import { DEFAULT_AUDIENCE } from '../core/service-account-annotations';
import { requireOneOf, requireValue, validateClusterArn, validateClusterName, validateOidcProviderArn } from '../core/validation';
import { WorkloadIdentityError } from '../core/validation-error';


/**
 * A Kubernetes cluster that workloads get AWS identities on: its name, ARN,
 * OIDC issuer and kind, plus the cluster-wide resources that identities need,
 * created once, on first use.
 */
export interface IWorkloadCluster extends IConstruct {
  /** Name of the cluster (the EKS cluster name; a label of your choice for other clusters). */
  readonly clusterName: string;

  /**
   * ARN of the EKS cluster.
   *
   * @default - none for `ClusterKind.NOT_EKS`
   */
  readonly clusterArn?: string;

  /** What kind of cluster this is. */
  readonly kind: ClusterKind;

  /** The mechanism an identity on this cluster uses unless it says otherwise. */
  readonly defaultMechanism: IdentityMechanism;

  /**
   * The cluster's OIDC issuer URL (may be a token for a cluster created in the stack).
   *
   * @default - unknown: IRSA then needs an imported OIDC provider
   */
  readonly oidcIssuerUrl?: string;

  /**
   * The IAM OIDC provider of the cluster's issuer, registered on first use.
   * Throws if the cluster has neither an issuer URL nor a provider.
   *
   * @param audience a client id (token audience) the provider must accept
   */
  ensureOpenIdConnectProvider(audience: string): iam.IOpenIdConnectProvider;

  /**
   * The prefix of the IRSA condition keys (`<prefix>:sub`, `<prefix>:aud`):
   * the issuer without `https://`. May be a token.
   */
  oidcConditionKeyPrefix(): string;

  /**
   * The `eks-pod-identity-agent` add-on, created on first use.
   *
   * @returns the add-on, or undefined where none is needed (Auto Mode, or installed outside this app)
   */
  ensurePodIdentityAgent(): IConstruct | undefined;
}

/** Attributes of a cluster that exists outside this app, or is not EKS. */
export interface WorkloadClusterAttributes {
  /** Name of the cluster. */
  readonly clusterName: string;

  /**
   * What kind of cluster it is.
   *
   * @default ClusterKind.EKS
   */
  readonly kind?: ClusterKind;

  /**
   * ARN of the EKS cluster.
   *
   * @default - built from the stack's partition, region and account and the cluster name
   */
  readonly clusterArn?: string;

  /**
   * The cluster's OIDC issuer URL, e.g.
   * `https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`.
   * With a literal URL the IRSA trust needs no custom resource.
   *
   * @default - no issuer: IRSA needs `openIdConnectProvider`
   */
  readonly oidcIssuerUrl?: string;

  /**
   * An IAM OIDC provider that already registers the issuer, for example
   * `iam.OidcProviderNative.fromOidcProviderArn(...)`.
   *
   * @default - an `AWS::IAM::OIDCProvider` is created from `oidcIssuerUrl` on first IRSA use
   */
  readonly openIdConnectProvider?: iam.IOpenIdConnectProvider;

  /**
   * Whether this app installs the `eks-pod-identity-agent` add-on on first
   * Pod Identity use. Set false when it is installed elsewhere (another stack,
   * eksctl, Terraform).
   *
   * @default true (never on Auto Mode, and never a second one: an add-on already declared in the stack is reused)
   */
  readonly installPodIdentityAgent?: boolean;

  /**
   * Version of the `eks-pod-identity-agent` add-on, e.g. `v1.3.4-eksbuild.1`.
   *
   * @default - the default version EKS picks for the cluster's Kubernetes version
   */
  readonly podIdentityAgentVersion?: string;
}

/** Options for adapting an `aws-eks-v2` or `aws-eks` cluster. */
export interface EksClusterAdapterOptions {
  /**
   * What kind of cluster it is.
   *
   * @default - EKS_AUTO_MODE for an aws-eks-v2 `Cluster` created with Auto Mode, otherwise EKS
   */
  readonly kind?: ClusterKind;

  /**
   * The cluster's OIDC issuer URL, for an imported cluster.
   *
   * @default - the created cluster's issuer attribute
   */
  readonly oidcIssuerUrl?: string;

  /**
   * Version of the `eks-pod-identity-agent` add-on if this library creates it.
   *
   * @default - the default version EKS picks
   */
  readonly podIdentityAgentVersion?: string;
}

/**
 * References to clusters for `WorkloadIdentity`.
 */
export class WorkloadCluster {
  /**
   * A cluster known by its attributes: an existing EKS cluster, or a cluster
   * that is not EKS (self-managed, EKS Anywhere, hybrid), known by its issuer.
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: WorkloadClusterAttributes): IWorkloadCluster {
    return new AttributesCluster(scope, id, attrs);
  }

  /**
   * Adapts an `aws-eks-v2` cluster (created in this app or imported). Uses the
   * cluster's own OIDC provider and Pod Identity agent add-on, so nothing is
   * declared twice.
   */
  public static fromEksV2Cluster(scope: Construct, id: string, cluster: eksv2.ICluster, options: EksClusterAdapterOptions = {}): IWorkloadCluster {
    const created = cluster instanceof eksv2.Cluster ? cluster : undefined;
    const autoMode = created ? isAutoMode(created) : false;
    return new EksClusterAdapter(scope, id, cluster, {
      ...options,
      kind: options.kind ?? (autoMode ? ClusterKind.EKS_AUTO_MODE : ClusterKind.EKS),
      oidcIssuerUrl: options.oidcIssuerUrl ?? created?.clusterOpenIdConnectIssuerUrl,
    });
  }

  /**
   * Adapts an `aws-eks` (v1) cluster. Its OIDC provider is aws-eks's own
   * custom-resource-backed provider; prefer aws-eks-v2 for new clusters.
   */
  public static fromEksCluster(scope: Construct, id: string, cluster: eks.ICluster, options: EksClusterAdapterOptions = {}): IWorkloadCluster {
    const created = cluster instanceof eks.Cluster ? cluster : undefined;
    return new EksClusterAdapter(scope, id, cluster, {
      ...options,
      kind: options.kind ?? ClusterKind.EKS,
      oidcIssuerUrl: options.oidcIssuerUrl ?? created?.clusterOpenIdConnectIssuerUrl,
    });
  }

  private constructor() {}
}

/** What the two adapters and the attributes form share. */
abstract class WorkloadClusterBase extends Construct implements IWorkloadCluster {
  public abstract readonly clusterName: string;
  public abstract readonly clusterArn?: string;
  public abstract readonly kind: ClusterKind;
  public abstract readonly oidcIssuerUrl?: string;
  private provider?: iam.IOpenIdConnectProvider;
  private agentResolved = false;
  private agent?: IConstruct;
  protected readonly audiences: string[] = [];

  public get defaultMechanism(): IdentityMechanism {
    return defaultMechanismFor(this.kind);
  }

  public ensureOpenIdConnectProvider(audience: string): iam.IOpenIdConnectProvider {
    if (!this.audiences.includes(audience)) { this.audiences.push(audience); }
    if (!this.provider) {
      this.provider = this.resolveOpenIdConnectProvider() ?? this.createNativeProvider();
    }
    acceptAudience(this.provider, audience);
    return this.provider;
  }

  public oidcConditionKeyPrefix(): string {
    if (this.oidcIssuerUrl && !Token.isUnresolved(this.oidcIssuerUrl)) {
      return OidcIssuer.conditionKeyPrefix(this.oidcIssuerUrl);
    }
    return this.ensureOpenIdConnectProvider(DEFAULT_AUDIENCE).openIdConnectProviderIssuer;
  }

  public ensurePodIdentityAgent(): IConstruct | undefined {
    if (!this.agentResolved) {
      this.agentResolved = true;
      this.agent = this.kind === ClusterKind.EKS_AUTO_MODE ? undefined : this.resolvePodIdentityAgent();
    }
    return this.agent;
  }

  /** The provider the cluster already has, if any. */
  protected abstract resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined;

  /** The agent add-on to depend on (created here if needed), or undefined. */
  protected abstract resolvePodIdentityAgent(): IConstruct | undefined;

  /** Creates a native `AWS::IAM::OIDCProvider` (no Lambda) from the issuer URL. */
  private createNativeProvider(): iam.IOpenIdConnectProvider {
    if (!this.oidcIssuerUrl) {
      throw new WorkloadIdentityError(
        `Cluster '${this.clusterName}' has no OIDC issuer, so IRSA cannot be used on it. ` +
        'Pass oidcIssuerUrl (aws eks describe-cluster --query cluster.identity.oidc.issuer) or openIdConnectProvider, ' +
        'or use IdentityMechanism.POD_IDENTITY on an EKS cluster.');
    }
    return new iam.OidcProviderNative(this, 'OidcProvider', {
      url: this.oidcIssuerUrl,
      clientIds: Lazy.list({ produce: () => this.audiences }),
    });
  }

  /** A new `eks-pod-identity-agent` add-on for this cluster. */
  protected newAgent(version?: string): IConstruct {
    return new eks.CfnAddon(this, 'PodIdentityAgent', {
      clusterName: this.clusterName,
      addonName: POD_IDENTITY_AGENT_ADDON,
      addonVersion: version,
    });
  }

  /** The first `eks-pod-identity-agent` add-on of this cluster already declared in the stack. */
  protected declaredAgent(): IConstruct | undefined {
    return this.declaredAgents()[0];
  }

  private declaredAgents(): CfnResource[] {
    const stack = Stack.of(this);
    // Compare resolved names as JSON: a created cluster's name resolves to a fresh { Ref } object each time.
    const clusterName = JSON.stringify(stack.resolve(this.clusterName));
    return stack.node.findAll().filter((c): c is CfnResource =>
      CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::EKS::Addon' &&
      (c as any).addonName === POD_IDENTITY_AGENT_ADDON &&
      JSON.stringify(stack.resolve((c as any).clusterName)) === clusterName);
  }
}

class AttributesCluster extends WorkloadClusterBase {
  public readonly clusterName: string;
  public readonly clusterArn?: string;
  public readonly kind: ClusterKind;
  public readonly oidcIssuerUrl?: string;

  constructor(scope: Construct, id: string, private readonly attrs: WorkloadClusterAttributes) {
    super(scope, id);
    requireValue(attrs, `WorkloadCluster '${this.node.path}' attrs`, 'Pass { clusterName, ... }.');
    validateClusterName(attrs.clusterName);
    requireOneOf(attrs.kind, Object.values(ClusterKind), `kind of WorkloadCluster '${this.node.path}'`);
    if (attrs.openIdConnectProvider) { validateOidcProviderArn(attrs.openIdConnectProvider.openIdConnectProviderArn); }
    if (attrs.oidcIssuerUrl && !Token.isUnresolved(attrs.oidcIssuerUrl)) {
      OidcIssuer.validate(attrs.oidcIssuerUrl);
      assertProviderMatchesIssuer(attrs.clusterName, attrs.oidcIssuerUrl, attrs.openIdConnectProvider);
    }
    this.clusterName = attrs.clusterName;
    this.kind = attrs.kind ?? ClusterKind.EKS;
    this.oidcIssuerUrl = attrs.oidcIssuerUrl;
    if (this.kind === ClusterKind.NOT_EKS) {
      if (attrs.clusterArn) {
        throw new WorkloadIdentityError(`Cluster '${attrs.clusterName}' is NOT_EKS but has clusterArn '${attrs.clusterArn}'. Remove clusterArn, or set kind to ClusterKind.EKS.`);
      }
    } else {
      this.clusterArn = attrs.clusterArn ?? Stack.of(this).formatArn({
        service: 'eks', resource: 'cluster', resourceName: attrs.clusterName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      validateClusterArn(this.clusterArn, attrs.clusterName);
    }
  }

  protected resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined {
    return this.attrs.openIdConnectProvider;
  }

  protected resolvePodIdentityAgent(): IConstruct | undefined {
    if (this.attrs.installPodIdentityAgent === false) { return undefined; }
    return this.declaredAgent() ?? this.newAgent(this.attrs.podIdentityAgentVersion);
  }
}

/** The members aws-eks and aws-eks-v2 clusters share. */
interface EksLikeCluster extends IConstruct {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly openIdConnectProvider: iam.IOpenIdConnectProvider;
  readonly eksPodIdentityAgent?: IConstruct;
}

class EksClusterAdapter extends WorkloadClusterBase {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly kind: ClusterKind;
  public readonly oidcIssuerUrl?: string;

  constructor(scope: Construct, id: string, private readonly cluster: EksLikeCluster, private readonly options: EksClusterAdapterOptions) {
    super(scope, id);
    requireValue(cluster, `WorkloadCluster '${this.node.path}' cluster`, 'Pass an aws-eks-v2 or aws-eks cluster.');
    requireOneOf(options.kind, Object.values(ClusterKind), `kind of WorkloadCluster '${this.node.path}'`);
    validateClusterName(cluster.clusterName);
    validateClusterArn(cluster.clusterArn, cluster.clusterName);
    if (options.oidcIssuerUrl && !Token.isUnresolved(options.oidcIssuerUrl)) {
      OidcIssuer.validate(options.oidcIssuerUrl);
    }
    if (options.kind === ClusterKind.NOT_EKS) {
      throw new WorkloadIdentityError(`Cluster '${cluster.node.path}' is an EKS cluster; kind NOT_EKS does not apply. Use ClusterKind.EKS or EKS_AUTO_MODE.`);
    }
    this.clusterName = cluster.clusterName;
    this.clusterArn = cluster.clusterArn;
    this.kind = options.kind ?? ClusterKind.EKS;
    this.oidcIssuerUrl = options.oidcIssuerUrl;
  }

  protected resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined {
    // A created cluster makes its provider lazily (native with the
    // @aws-cdk/aws-eks:useNativeOidcProvider flag); an imported one throws when it has none.
    try {
      return this.cluster.openIdConnectProvider;
    } catch {
      return undefined;
    }
  }

  protected resolvePodIdentityAgent(): IConstruct | undefined {
    // An add-on already declared (the user's, or the cluster's own once accessed) is reused;
    // otherwise aws-eks(-v2) clusters create their own, once, on first access.
    return this.declaredAgent() ?? this.cluster.eksPodIdentityAgent ?? this.newAgent(this.options.podIdentityAgentVersion);
  }
}

/**
 * A native provider declared in this app with a literal client id list (such
 * as an aws-eks-v2 cluster's own, which lists only sts.amazonaws.com) gets the
 * audience added; otherwise STS would reject the tokens the trust admits.
 * Ours lists its audiences lazily; an imported one is left as is.
 */
function acceptAudience(provider: iam.IOpenIdConnectProvider, audience: string): void {
  const cfn = provider.node.defaultChild;
  if (cfn instanceof iam.CfnOIDCProvider && Array.isArray(cfn.clientIdList) && !Token.isUnresolved(cfn.clientIdList) &&
    !cfn.clientIdList.includes(audience)) {
    cfn.clientIdList = [...cfn.clientIdList, audience];
  }
}

/**
 * The condition keys come from the issuer URL and the Federated principal from
 * the provider: if they name different issuers, no token can assume the role.
 */
function assertProviderMatchesIssuer(clusterName: string, issuerUrl: string, provider?: iam.IOpenIdConnectProvider): void {
  const arn = provider?.openIdConnectProviderArn;
  if (!arn || Token.isUnresolved(arn)) { return; }
  const registered = Arn.extractResourceName(arn, 'oidc-provider');
  if (registered !== OidcIssuer.conditionKeyPrefix(issuerUrl)) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' has oidcIssuerUrl '${issuerUrl}' but openIdConnectProvider '${arn}' registers issuer '${registered}': ` +
      'no token could assume its roles. Pass the provider of that issuer, or leave out oidcIssuerUrl.');
  }
}

function isAutoMode(cluster: eksv2.Cluster): boolean {
  const cfn = cluster.node.defaultChild as eksv2.CfnCluster | undefined;
  const compute = cfn?.computeConfig as eksv2.CfnCluster.ComputeConfigProperty | undefined;
  return compute?.enabled === true;
}
