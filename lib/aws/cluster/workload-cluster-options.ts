import { ClusterKind } from '../../core/cluster-kind';
import { FargateProfileSelector } from '../../core/fargate-selector';
import { IWorkloadCluster } from './i-workload-cluster';

/**
 * What every cluster handle may be told: the cluster's kind and issuer, what
 * of the cluster's pieces it owns (or the handle that owns them), and its
 * Fargate profiles.
 */
export interface WorkloadClusterOptions {
  /**
   * What kind of cluster it is (an aws-eks(-v2) cluster is not NOT_EKS).
   *
   * @default - EKS_AUTO_MODE for an aws-eks-v2 `Cluster` created with Auto Mode, otherwise EKS
   */
  readonly kind?: ClusterKind;

  /**
   * The cluster's OIDC issuer URL, e.g.
   * `https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
   * for a cluster not created in this app. With a literal URL the IRSA trust
   * needs no custom resource.
   *
   * @default - a created cluster's issuer attribute; otherwise none: IRSA needs an `openIdConnectProvider`
   */
  readonly oidcIssuerUrl?: string;

  /**
   * Whether this handle owns the cluster's IAM OIDC provider: one is declared in
   * its stack when it is constructed, used or not, listing `sts.amazonaws.com`
   * and every audience identities add. Set it on the cluster's owner, in the
   * cluster's stack; drop it once nothing on the cluster uses IRSA. Needs
   * `oidcIssuerUrl`; not with an `openIdConnectProvider` (a cluster created in
   * the app has its own) or `owner`.
   *
   * @default false - the provider must exist: IRSA roles reference it by ARN, and a note on this handle says which
   */
  readonly createOpenIdConnectProvider?: boolean;

  /**
   * Whether this handle owns the cluster's `eks-pod-identity-agent` add-on.
   * A created cluster's is its own `eksPodIdentityAgent`, on the first Pod
   * Identity use; another's is declared in this handle's stack when it is
   * constructed, used or not (one already declared there is reused; never on
   * Auto Mode). Set it on the cluster's owner, in the cluster's stack. Not
   * with `owner`.
   *
   * @default - true for a cluster created in this app; otherwise false: the agent is installed outside this app, and a note on this handle says it must be present
   */
  readonly installPodIdentityAgent?: boolean;

  /**
   * The handle that owns this cluster in the app (`createOpenIdConnectProvider`,
   * `installPodIdentityAgent`, `openIdConnectProvider`, or a cluster created in
   * the app): this handle is then the owner's cluster. Every other handle of an
   * owned cluster must be handed it, or construction fails naming the owner;
   * handles of one created cluster object follow its first one without it.
   *
   * @default - this handle is the owner, or the cluster has none in the app
   */
  readonly owner?: IWorkloadCluster;

  /**
   * The selectors of the cluster's Fargate profiles (namespace and labels,
   * with EKS's `*` and `?` wildcards). A subject in a namespace every pod of
   * which they send to Fargate gets IRSA, where Pod Identity gives no
   * credentials; one in a namespace only some labelled pods of which they
   * send gets IRSA too (it serves them on Fargate and on nodes) unless it
   * declares Pod Identity; the rest keep the default (Pod Identity).
   * The aws-eks-v2 `FargateProfile`s of a cluster created in the app
   * (`cluster.addFargateProfile`, a `FargateCluster`'s default profile) are
   * read as well; give here those of other clusters, or of profiles
   * constructed elsewhere. Not on a NOT_EKS cluster.
   *
   * @default - none besides a created cluster's own profiles
   */
  readonly fargateProfileSelectors?: FargateProfileSelector[];

  /**
   * Version of the `eks-pod-identity-agent` add-on if this handle declares it, e.g. `v1.3.4-eksbuild.1`.
   *
   * @default - the default version EKS picks for the cluster's Kubernetes version
   */
  readonly podIdentityAgentVersion?: string;
}
