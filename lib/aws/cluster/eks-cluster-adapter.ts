import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { requireValue, validateClusterArn } from '../../core/validation';
import { WorkloadIdentityError } from '../../core/validation-error';
import { assertProviderMatchesIssuer } from '../issuer/oidc-provider';
import { IWorkloadCluster } from './i-workload-cluster';
import { declaredPodIdentityAgents, newPodIdentityAgent } from './pod-identity-agent';
import { isFargateCluster } from '../fargate/fargate-profiles';
import { WorkloadClusterBase } from './workload-cluster-base';
import { WorkloadClusterOptions } from './workload-cluster-options';

/** Options for using an `aws-eks-v2` or `aws-eks` cluster as a workload cluster. */
export interface EksClusterOptions extends WorkloadClusterOptions {}

/** The members aws-eks and aws-eks-v2 clusters share (both `ICluster`s have them). */
export interface EksLikeCluster extends IConstruct {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly openIdConnectProvider: iam.IOpenIdConnectProvider;
  readonly eksPodIdentityAgent?: IConstruct;
}

/** An aws-eks(-v2) cluster seen as a workload cluster: its own provider and add-on are used. */
export class EksClusterAdapter extends WorkloadClusterBase {
  constructor(scope: Construct, id: string, private readonly cluster: EksLikeCluster, options: EksClusterOptions) {
    super(scope, id, options, cluster);
    requireValue(cluster, `WorkloadCluster '${this.node.path}' cluster`, 'Pass an aws-eks-v2 or aws-eks cluster.');
    this.checkNameAndOptions(cluster.clusterName);
    validateClusterArn(cluster.clusterArn, cluster.clusterName);
    if (options.kind === ClusterKind.NOT_EKS) {
      throw new WorkloadIdentityError(`Cluster '${cluster.node.path}' is an EKS cluster; kind NOT_EKS does not apply. Use ClusterKind.EKS or EKS_AUTO_MODE.`, this.node.path);
    }
    const created = ownIssuerOf(cluster) !== undefined;
    const imported = created ? undefined : importedProviderOf(cluster);
    if (options.createOpenIdConnectProvider && (created || imported)) {
      throw new WorkloadIdentityError(created
        ? `Cluster '${cluster.node.path}' is created in this app and has its own OIDC provider, in its own stack: createOpenIdConnectProvider does not apply. Drop createOpenIdConnectProvider.`
        : `Cluster '${cluster.node.path}' was imported with an openIdConnectProvider and createOpenIdConnectProvider is true: the provider would be both given and declared. ` +
          'Drop createOpenIdConnectProvider to use the given provider, or import the cluster without openIdConnectProvider to have this stack declare one for oidcIssuerUrl.',
      this.node.path);
    }
    const literalName = literalPhysicalName(cluster) ?? (Token.isUnresolved(cluster.clusterName) ? undefined : cluster.clusterName);
    // A created cluster's add-on comes from the cluster itself, on first read.
    this.establish({
      clusterName: cluster.clusterName, clusterArn: cluster.clusterArn, kind: options.kind ?? ClusterKind.EKS,
      oidcIssuerUrl: options.oidcIssuerUrl, literalClusterName: literalName,
    }, imported, created);
  }

  protected adaptsSameCluster(owner: IConstruct): boolean {
    if (!(owner instanceof EksClusterAdapter) || owner.cluster !== this.cluster) { return false; }
    if ((owner.options.installPodIdentityAgent === true) !== (this.options.installPodIdentityAgent === true)) {
      throw new WorkloadIdentityError(`WorkloadCluster '${this.node.path}' and '${owner.node.path}' adapt cluster '${this.cluster.node.path}' with different installPodIdentityAgent: ` +
        `'${owner.node.path}' owns the cluster. Set installPodIdentityAgent on it only.`, this.node.path);
    }
    return true;
  }

  protected resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined {
    // A created cluster makes its provider lazily (native with the
    // @aws-cdk/aws-eks:useNativeOidcProvider flag); an imported one throws when it has none.
    const provider = importedProviderOf(this.cluster);
    // A created cluster's own issuer and own provider match by construction; an issuer passed in must be proven.
    if (provider && this.options.oidcIssuerUrl !== undefined && this.options.oidcIssuerUrl !== ownIssuerOf(this.cluster)) {
      assertProviderMatchesIssuer(this, this.clusterName, this.options.oidcIssuerUrl, provider);
    }
    return provider;
  }

  /**
   * IRSA on a Fargate-only cluster (aws-eks or aws-eks-v2 `FargateCluster`),
   * where Pod Identity gives no credentials; IRSA also works on any nodes
   * added later. Elsewhere the kind's default (Pod Identity on EKS).
   */
  public get defaultMechanism(): IdentityMechanism {
    return isFargateCluster(this.cluster) ? IdentityMechanism.IRSA : super.defaultMechanism;
  }

  protected resolvePodIdentityAgent(): IConstruct | undefined {
    if (this.options.installPodIdentityAgent !== true) { return undefined; }
    // The add-on lives with the cluster: one already declared in the cluster's stack (the user's,
    // or the cluster's own once accessed) is reused; otherwise aws-eks(-v2) clusters create their
    // own, once, on first access; an imported one gets ours in this handle's stack.
    return declaredPodIdentityAgents(this.cluster, this.clusterName)[0] ?? this.cluster.eksPodIdentityAgent ??
      newPodIdentityAgent(this, this.clusterName, this.options.podIdentityAgentVersion);
  }
}

/** The issuer attribute of a cluster created in the app; undefined for an imported one (whose getter throws). */
function ownIssuerOf(cluster: EksLikeCluster): string | undefined {
  try {
    return (cluster as { readonly clusterOpenIdConnectIssuerUrl?: string }).clusterOpenIdConnectIssuerUrl;
  } catch {
    return undefined;
  }
}

/** An imported cluster's provider attribute, if it was given one (the getter throws otherwise). */
function importedProviderOf(cluster: EksLikeCluster): iam.IOpenIdConnectProvider | undefined {
  try {
    return cluster.openIdConnectProvider;
  } catch {
    return undefined;
  }
}

/**
 * The cluster's name as a binding carries it to the Kubernetes side and a
 * bindings file: the literal name an aws-eks(-v2) cluster created in the app
 * was given (`clusterName` prop), where the cluster's own `clusterName` is a
 * Ref token; otherwise its `clusterName`.
 */
export function bindingClusterName(cluster: IWorkloadCluster): string {
  return cluster._literalClusterName ?? cluster.clusterName;
}

/** A created cluster's physical name (aws-cdk-lib's `Resource.physicalName`, protected), when it is a literal. */
function literalPhysicalName(cluster: EksLikeCluster): string | undefined {
  const physicalName: unknown = (cluster as unknown as { physicalName?: unknown }).physicalName;
  return typeof physicalName === 'string' && !Token.isUnresolved(physicalName) ? physicalName : undefined;
}
