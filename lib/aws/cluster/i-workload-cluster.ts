import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { clusterEnvironment, referencedResource } from './cluster-environment';

/**
 * A Kubernetes cluster that workloads get AWS identities on: its name, ARN,
 * OIDC issuer and kind. The cluster-wide resources identities need (OIDC
 * provider, Pod Identity agent) are declared once, by the handle that owns
 * them (when it is constructed; a created cluster's add-on on first use).
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
   * The IAM OIDC provider of the cluster's issuer (declared by its owning
   * handle, else referenced by ARN) that accepts `audience`, for a role in `role`'s stack (default: the
   * handle's): a cluster owned elsewhere is trusted through the provider of
   * the role's account. Throws if the cluster has neither an issuer URL nor a
   * provider.
   *
   * @internal
   */
  _ensureOpenIdConnectProvider(audience: string, role?: IConstruct): iam.IOpenIdConnectProvider;

  /**
   * The prefix of the IRSA condition keys (`<prefix>:sub`, `<prefix>:aud`):
   * the issuer without `https://`. May be a token: split, for a role in
   * `role`'s stack (default: the handle's), out of a value that stack may split.
   *
   * @internal
   */
  _oidcConditionKeyPrefix(role?: IConstruct): string;

  /**
   * The `eks-pod-identity-agent` add-on an association must wait for, where
   * this app owns it (declared by the owning handle when constructed; a
   * created cluster's on first use).
   *
   * @returns the add-on, or undefined where the app declares none (Auto Mode, or installed outside this app)
   * @internal
   */
  _ensurePodIdentityAgent(): IConstruct | undefined;
}

/** The brand of the library's cluster handles: they are found by it, not by their shape. */
export const WORKLOAD_CLUSTER_BRAND = Symbol.for('cdk-eks-workload-identity.WorkloadCluster');

/** Whether `x` is a cluster made by `WorkloadCluster`'s factories (they carry the brand). */
export function isWorkloadCluster(x: unknown): x is IWorkloadCluster {
  return x !== null && typeof x === 'object' && WORKLOAD_CLUSTER_BRAND in x;
}

/** The cluster's name for messages: the literal name, or its construct path. */
export function clusterDisplayName(cluster: IWorkloadCluster): string {
  return Token.isUnresolved(cluster.clusterName) ? cluster.node.path : cluster.clusterName;
}

/**
 * What identifies a cluster, whichever handle adapts it: its account, region
 * and name (clusters of the same name in two accounts are two clusters). A
 * cluster created in the app has a token name: the resource it refers to
 * identifies it (two adapters of one created cluster are one cluster).
 */
export function clusterIdentity(cluster: IWorkloadCluster): string {
  if (Token.isUnresolved(cluster.clusterName)) {
    const resource = referencedResource(cluster.clusterName);
    return resource ? `resource:${resource.node.path}` : `path:${cluster.node.path}`;
  }
  const env = clusterEnvironment(cluster);
  return `${env.account}/${env.region}/${cluster.clusterName}`;
}
