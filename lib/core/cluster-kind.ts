import { IdentityMechanism } from './identity-mechanism';

/**
 * What kind of Kubernetes cluster the workloads run on. It decides which
 * mechanisms exist there and which one is the default.
 */
export enum ClusterKind {
  /** An Amazon EKS cluster with managed, self-managed or Karpenter nodes. */
  EKS = 'EKS',

  /**
   * An Amazon EKS cluster in Auto Mode: the Pod Identity agent is built in,
   * so no `eks-pod-identity-agent` add-on is installed.
   */
  EKS_AUTO_MODE = 'EKS_AUTO_MODE',

  /**
   * Not EKS: self-managed Kubernetes, EKS Anywhere, or another distribution.
   * Only IRSA exists there (the cluster's issuer registered in IAM).
   */
  NOT_EKS = 'NOT_EKS',
}

/** Whether EKS Pod Identity is available on this kind of cluster. */
export function supportsPodIdentity(kind: ClusterKind): boolean {
  return kind !== ClusterKind.NOT_EKS;
}

/**
 * The decision tree of the EKS user guide: EKS (Auto Mode included) uses Pod
 * Identity, anything else uses IRSA.
 */
export function defaultMechanismFor(kind: ClusterKind): IdentityMechanism {
  return supportsPodIdentity(kind) ? IdentityMechanism.POD_IDENTITY : IdentityMechanism.IRSA;
}
