import { WorkloadIdentityError } from './validation-error';
import { WorkloadBinding } from './workload-binding';

/**
 * The cluster a binding is for: its name, and its ARN when known. Two EKS
 * clusters of one name in two accounts or regions are two clusters; the ARN
 * tells them apart. A binding without an ARN (a cluster that is not EKS, or
 * whose ARN is known only at deployment) may be either.
 */
export interface BindingCluster {
  readonly clusterName: string;
  readonly clusterArn?: string;
}

/** Whether `a` and `b` may be the same cluster: one name, and the same ARN where both know it. */
export function sameCluster(a: BindingCluster, b: BindingCluster): boolean {
  return a.clusterName === b.clusterName && (a.clusterArn === undefined || b.clusterArn === undefined || a.clusterArn === b.clusterArn);
}

/** `'name'`, or `'name' (ARN)` when the ARN is known, for messages. */
export function describeCluster(c: BindingCluster): string {
  return c.clusterArn !== undefined ? `'${c.clusterName}' (${c.clusterArn})` : `'${c.clusterName}'`;
}

/** What a binding gives its ServiceAccount, for messages: the role, or the mechanism when the role lives only in AWS. */
export function describeRole(b: Pick<WorkloadBinding, 'roleArn' | 'mechanism'>): string {
  return b.roleArn !== undefined ? `role '${b.roleArn}' (${b.mechanism})` : `${b.mechanism} (role associated in AWS)`;
}

/** Whether two bindings give one ServiceAccount the same identity (same role, mechanism, settings and migration). */
export function sameIdentity(a: WorkloadBinding, b: WorkloadBinding): boolean {
  return a.mechanism === b.mechanism && a.roleArn === b.roleArn &&
    JSON.stringify(a.irsa ?? {}) === JSON.stringify(b.irsa ?? {}) && JSON.stringify(a.migration ?? {}) === JSON.stringify(b.migration ?? {});
}

/**
 * Throws if two of `bindings` are for one ServiceAccount of one cluster: a
 * ServiceAccount has one role, and a folder applies it once. A merged or
 * edited bindings file is the usual cause.
 *
 * @param name how each binding is named in the error (e.g. `binding #3`)
 * @param fix what to do about it
 */
export function refuseDuplicateBindings(bindings: readonly WorkloadBinding[], name: (index: number) => string, fix: string): void {
  const seen = new Map<string, number[]>();
  bindings.forEach((b, i) => {
    const key = `${b.namespace}/${b.serviceAccountName}`;
    const earlier = (seen.get(key) ?? []).find(j => sameCluster(bindings[j], b));
    if (earlier !== undefined) {
      const first = bindings[earlier];
      const roles = sameIdentity(first, b) ? `both ${describeRole(b)}` : `${describeRole(first)} and ${describeRole(b)}`;
      throw new WorkloadIdentityError(
        `${capitalize(name(earlier))} and ${name(i)} are both for ServiceAccount '${key}' on cluster ${describeCluster(b.clusterArn !== undefined ? b : first)} (${roles}); ` +
        `a ServiceAccount has one role and is written once per cluster. ${fix}`);
    }
    seen.set(key, [...seen.get(key) ?? [], i]);
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
