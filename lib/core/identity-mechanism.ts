/**
 * How a pod obtains the credentials of its AWS role.
 */
export enum IdentityMechanism {
  /**
   * IAM Roles for Service Accounts: the role trusts the cluster's OIDC issuer
   * for exactly `system:serviceaccount:<namespace>:<name>`, and the
   * ServiceAccount carries `eks.amazonaws.com/role-arn`. Works on any
   * Kubernetes cluster whose issuer is registered in IAM.
   */
  IRSA = 'IRSA',

  /**
   * EKS Pod Identity: the role trusts `pods.eks.amazonaws.com`, and a pod
   * identity association (cluster, namespace, ServiceAccount -> role) lives in
   * AWS. The ServiceAccount carries no annotation. EKS only.
   */
  POD_IDENTITY = 'POD_IDENTITY',

  /**
   * Both at once: the role trusts both, the association exists and the
   * ServiceAccount keeps its IRSA annotation. While the association exists
   * the EKS pod identity webhook injects only the Pod Identity credentials
   * ("container credentials method takes precedence"). For a staged move
   * between IRSA and Pod Identity declare `migration` instead
   * (`{ to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED }`
   * is this, and the ServiceAccount shows the phase): docs/migration.md.
   */
  BOTH = 'BOTH',
}

/** Whether the mechanism needs the IRSA half (OIDC trust, role-arn annotation). */
export function usesIrsa(mechanism: IdentityMechanism): boolean {
  return mechanism === IdentityMechanism.IRSA || mechanism === IdentityMechanism.BOTH;
}

/** Whether the mechanism needs the Pod Identity half (service trust, association). */
export function usesPodIdentity(mechanism: IdentityMechanism): boolean {
  return mechanism === IdentityMechanism.POD_IDENTITY || mechanism === IdentityMechanism.BOTH;
}
