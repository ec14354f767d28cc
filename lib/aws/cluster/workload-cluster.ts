import { Tokenization } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { atConstruct, childPath } from '../../core/validation-error';
import { AttributesCluster, WorkloadClusterAttributes } from './attributes-cluster';
import { EksClusterAdapter, EksClusterOptions, EksLikeCluster } from './eks-cluster-adapter';
import { isWorkloadCluster, IWorkloadCluster } from './i-workload-cluster';

/**
 * References to clusters for `WorkloadIdentity`.
 */
export class WorkloadCluster {
  /**
   * A cluster known by its attributes: an existing EKS cluster, or a cluster
   * that is not EKS (self-managed, EKS Anywhere, hybrid), known by its issuer.
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: WorkloadClusterAttributes): IWorkloadCluster {
    return atConstruct(childPath(scope, id), () => new AttributesCluster(scope, id, attrs));
  }

  /**
   * An `aws-eks-v2` cluster (created in this app or imported). Uses the
   * cluster's own OIDC provider and Pod Identity agent add-on, so nothing is
   * declared twice.
   */
  public static fromEksV2Cluster(scope: Construct, id: string, cluster: eksv2.ICluster, options: EksClusterOptions = {}): IWorkloadCluster {
    const created = cluster instanceof eksv2.Cluster ? cluster : undefined;
    return adapt(scope, id, cluster, options, created, created && isAutoMode(created) ? ClusterKind.EKS_AUTO_MODE : ClusterKind.EKS);
  }

  /**
   * An `aws-eks` (v1) cluster. Its OIDC provider is aws-eks's own
   * custom-resource-backed provider; prefer aws-eks-v2 for new clusters.
   */
  public static fromEksCluster(scope: Construct, id: string, cluster: eks.ICluster, options: EksClusterOptions = {}): IWorkloadCluster {
    return adapt(scope, id, cluster, options, cluster instanceof eks.Cluster ? cluster : undefined, ClusterKind.EKS);
  }

  /** Whether `x` is a cluster made by one of these factories (a construct found in the tree, for example). */
  public static isWorkloadCluster(x: any): x is IWorkloadCluster {
    return isWorkloadCluster(x);
  }

  private constructor() {}
}

/** The handle of an aws-eks(-v2) cluster: one created in the app owns its agent add-on and has its issuer, unless told otherwise. */
function adapt(scope: Construct, id: string, cluster: EksLikeCluster, options: EksClusterOptions, created: { readonly clusterOpenIdConnectIssuerUrl: string } | undefined,
  kind: ClusterKind): IWorkloadCluster {
  return atConstruct(childPath(scope, id), () => new EksClusterAdapter(scope, id, cluster, {
    ...options,
    installPodIdentityAgent: options.installPodIdentityAgent ?? created !== undefined,
    kind: options.kind ?? kind,
    oidcIssuerUrl: options.oidcIssuerUrl ?? created?.clusterOpenIdConnectIssuerUrl,
  }));
}

function isAutoMode(cluster: eksv2.Cluster): boolean {
  const cfn = cluster.node.defaultChild;
  const compute = cfn instanceof eksv2.CfnCluster ? cfn.computeConfig : undefined;
  return compute !== undefined && !Tokenization.isResolvable(compute) && compute.enabled === true;
}
