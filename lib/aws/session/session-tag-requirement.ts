import { describeFargateSelector } from '../../core/fargate-selector';
import { usesIrsa } from '../../core/identity-mechanism';
import { WorkloadIdentityError } from '../../core/validation-error';
import { WorkloadBinding } from '../../core/workload-binding';
import { PodSessionTag } from './pod-session-tag';

/**
 * Why the sessions of these bindings would lack `tag`, or undefined when
 * every one carries it: IRSA sessions carry no tags (a binding on BOTH may run
 * on IRSA), and associations with session tags disabled carry none.
 */
export function missingSessionTag(path: string, tag: PodSessionTag, bindings: WorkloadBinding[], sessionTags: boolean): string | undefined {
  const fix = 'Grant by session tags only on identities whose subjects all use IdentityMechanism.POD_IDENTITY with session tags on, or grant without them.';
  if (!sessionTags) {
    return `WorkloadIdentity '${path}' disables session tags (podIdentity.sessionTags: false), so no session carries ${tag.principalTagKey} and a grant by it allows nothing. ${fix}`;
  }
  const irsa = bindings.filter(b => usesIrsa(b.mechanism));
  if (irsa.length > 0) {
    const why = (b: WorkloadBinding) => b.fargateSelectors?.length ? `${b.mechanism}: its pods run on Fargate by ${describeFargateSelector(b.fargateSelectors[0])}` : b.mechanism;
    return `WorkloadIdentity '${path}' grants by ${tag.principalTagKey}, but ServiceAccount ${irsa.map(b => `'${b.namespace}/${b.serviceAccountName}' on cluster '${b.clusterName}' (${why(b)})`).join(', ')} ` +
      `can use IRSA, whose sessions carry no tags: its pods would be denied. ${fix}`;
  }
  return undefined;
}

/** Throws the library's error when `missingSessionTag` finds a reason. */
export function requireSessionTag(path: string, tag: PodSessionTag, bindings: WorkloadBinding[], sessionTags: boolean): void {
  const problem = missingSessionTag(path, tag, bindings, sessionTags);
  if (problem) { throw new WorkloadIdentityError(problem, path); }
}
