import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { ClusterEnvironment } from './cluster-environment';
import { FargateProfileSelector } from '../../core/fargate-selector';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { FargateProfiles } from '../fargate/fargate-profiles';

/**
 * A handle of a Kubernetes cluster that workloads get AWS identities on: its
 * name, ARN, OIDC issuer and kind, and the cluster-wide pieces identities need
 * (OIDC provider, Pod Identity agent). One handle of a cluster owns the pieces
 * the app declares; every other handle of that cluster is handed it (`owner`).
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
   * The `eks-pod-identity-agent` add-on of the cluster where this app owns it
   * (a created cluster's is declared when first read).
   *
   * @default - none: Auto Mode builds the agent in, or it is installed outside this app
   */
  readonly podIdentityAgent?: IConstruct;

  /**
   * The selectors of the cluster's Fargate profiles this handle knows: those
   * it was given (`fargateProfileSelectors`), its owner's, and those of the
   * aws-eks-v2 `FargateProfile`s of a cluster created in the app. A subject
   * in a namespace they match gets IRSA unless it declares its mechanism.
   */
  readonly fargateProfileSelectors: FargateProfileSelector[];

  /**
   * The IAM OIDC provider an IRSA role of `account` trusts: the one the
   * cluster's owner declares or was handed (wherever the role is), else the
   * one IAM registers for the issuer in `account` (STS takes a web identity
   * only through a provider of the role's own account), referenced by ARN.
   * Throws if the cluster has neither an issuer URL nor a provider.
   */
  openIdConnectProviderFor(account: string): iam.IOpenIdConnectProvider;

  /**
   * What identifies the cluster in the app, whichever handle reached it: its
   * account, region and literal name, or the resource of a created cluster
   * without one. A handle handed an owner has the owner's.
   *
   * @internal
   */
  readonly _clusterKey: string;

  /**
   * Where the cluster is (account and region, either may be unknown), read
   * once when the handle is constructed.
   *
   * @internal
   */
  readonly _clusterEnvironment: ClusterEnvironment;

  /**
   * The cluster's name as a literal, where known: a created cluster's
   * `clusterName` is a Ref, its literal name the one it was given.
   *
   * @internal
   */
  readonly _literalClusterName?: string;

  /**
   * What the IRSA trust of a role in `role`'s stack reads of the cluster, in
   * one call: the provider of the role's account (refused if it is another
   * account's), and the prefix of the condition keys (`<prefix>:sub`,
   * `<prefix>:aud`: the issuer without `https://`, a token split out of a value
   * that stack may split). The provider is made to list `audience`: one the app
   * declares gets it added; for one owned elsewhere a note (info) on this
   * handle says which provider must list it.
   *
   * @internal
   */
  _irsaTrust(audience: string, role: IConstruct): IrsaTrust;

  /**
   * The cluster's Fargate profiles as this handle knows them: where a
   * namespace's pods run, each decision recorded, so that a Fargate profile
   * read only later that would have changed it fails the synth.
   *
   * @internal
   */
  readonly _fargateProfiles: FargateProfiles;
}

/** What the IRSA trust reads of a cluster. */
export interface IrsaTrust {
  readonly provider: iam.IOpenIdConnectProvider;
  readonly conditionKeyPrefix: string;
}

/** The brand of the library's cluster handles: they are found by it, not by their shape. */
export const WORKLOAD_CLUSTER_BRAND = Symbol.for('cdk-eks-workload-identity.WorkloadCluster');

/** Whether `x` is a cluster made by `WorkloadCluster`'s factories (they carry the brand). */
export function isWorkloadCluster(x: unknown): x is IWorkloadCluster {
  return x !== null && typeof x === 'object' && WORKLOAD_CLUSTER_BRAND in x;
}

/** The cluster's name for messages: the literal name, or the handle's construct path. */
export function clusterDisplayName(cluster: IWorkloadCluster): string {
  return cluster._literalClusterName ?? cluster.node.path;
}
