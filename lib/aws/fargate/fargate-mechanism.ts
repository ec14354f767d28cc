import { FargatePlacement } from '../../core/fargate-selector';
import { IdentityMechanism } from '../../core/identity-mechanism';

export { FargateBinding, fargateBinding } from '../../core/fargate-binding';

/**
 * The mechanism the cluster picks for a namespace when the subject declares
 * none: IRSA where Fargate profiles select its pods (all of them, or some by
 * labels: IRSA serves them on Fargate and on nodes alike), else the cluster's
 * default.
 */
export function defaultMechanismIn(placement: FargatePlacement, clusterDefault: IdentityMechanism): IdentityMechanism {
  return placement.everyPod.length > 0 || placement.labelledPods.length > 0 ? IdentityMechanism.IRSA : clusterDefault;
}
