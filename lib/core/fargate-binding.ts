import { describeFargateSelector, FargatePlacement, FargateProfileSelector } from './fargate-selector';
import { IdentityMechanism } from './identity-mechanism';
import { MechanismPlan } from './migration-plan';
import { WorkloadIdentityError } from './validation-error';

// Construct-free: the AWS side binds a subject with it, and a bindings file's
// subject patterns bind a new match with it, so both say the same.

/** What a subject's binding records of Fargate: the selectors of its namespace, and why its mechanism is what it is. */
export interface FargateBinding {
  readonly fargateSelectors?: FargateProfileSelector[];
  readonly mechanismReason?: string;
}

/**
 * Checks the subject's plan against where its pods run and says why it has
 * its mechanism. Refused: a plan that associates the subject (EKS then gives
 * its pods Pod Identity, which Fargate cannot serve) or does not annotate it
 * (no IRSA) in a namespace every pod of which runs on Fargate. Allowed where
 * only labelled pods run on Fargate: the Kubernetes guardrails (WI-K8S-7)
 * refuse a pod of this ServiceAccount that carries the labels.
 *
 * @param declared the mechanism or migration the subject (or its identity) declared, for messages; undefined when the cluster picked it
 * @param fix what to do instead, where the declaration is not the subject's own (a pattern's)
 */
export function fargateBinding(placement: FargatePlacement, plan: MechanismPlan, mechanism: IdentityMechanism,
  declared: string | undefined, where: string, namespace: string, path: string, fix?: string): FargateBinding {
  const { everyPod, labelledPods } = placement;
  if (everyPod.length === 0 && labelledPods.length === 0) { return {}; }
  const fargateSelectors = [...everyPod, ...labelledPods];
  const everyPodSelector = everyPod[0];
  if (everyPodSelector && (plan.associates || !plan.annotates)) {
    const wants = plan.associates ? 'a pod identity association' : 'no IRSA annotation';
    throw new WorkloadIdentityError(
      `${where} cannot use ${declared}: ${describeFargateSelector(everyPodSelector)} runs every pod of namespace '${namespace}' on Fargate, ` +
      `where EKS Pod Identity gives no credentials (no DaemonSets on Fargate, so no Pod Identity agent), and ${declared} gives it ${wants}. ` +
      (fix ?? 'Drop the mechanism and migration of this ServiceAccount (the cluster picks IRSA for the namespaces its Fargate profiles select), ' +
      'or declare IdentityMechanism.IRSA for it (a subject added with addSubject then takes no identity-wide mechanism or migration). ' +
      'To move a ServiceAccount onto Fargate, migrate it to IRSA up to SWITCHED (the association is removed) before the profile selects its namespace.'), path);
  }
  const selector = everyPodSelector ?? labelledPods[0];
  const onFargate = everyPodSelector
    ? `${describeFargateSelector(selector)} runs every pod of namespace '${namespace}' on Fargate`
    : `${describeFargateSelector(selector)} runs the pods of namespace '${namespace}' with those labels on Fargate`;
  let mechanismReason: string;
  if (declared === undefined) {
    mechanismReason = `IRSA: ${onFargate}, where Pod Identity gives no credentials; IRSA serves pods on Fargate and on nodes`;
  } else if (plan.associates) {
    mechanismReason = `${mechanism} as declared: ${onFargate}, where Pod Identity gives no credentials; no pod of this ServiceAccount may carry those labels (WI-K8S-7)`;
  } else {
    mechanismReason = `${mechanism} as declared: ${onFargate}, where IRSA serves them`;
  }
  return { fargateSelectors, mechanismReason };
}
