import { IConstruct } from 'constructs';
import { describeSubjectPattern, iamLikeMatches, likePatternsOverlap } from '../../core/subject-pattern';
import { WorkloadIdentityError } from '../../core/validation-error';
import { AppState } from '../app-state';
import { clusterDisplayName, IWorkloadCluster } from '../cluster/i-workload-cluster';

/**
 * Records that `owner` binds (cluster, namespace, ServiceAccount), and throws
 * if another identity in the app already does: a ServiceAccount carries one
 * role. The cluster is known by its key, whichever handle of it is used.
 */
export function claimSubject(owner: IConstruct, cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
  const bound = AppState.of(owner).boundSubjects;
  const key = `${cluster._clusterKey}|${namespace}|${serviceAccountName}`;
  const previous = bound.get(key);
  if (previous !== undefined) {
    const where = previous === owner.node.path ? `twice by '${previous}'` : `by both '${previous}' and '${owner.node.path}'`;
    throw new WorkloadIdentityError(
      `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${clusterDisplayName(cluster)}' is bound ${where}. ` +
      'A ServiceAccount carries one role: give each workload its own ServiceAccount, or grant both sets of permissions to one WorkloadIdentity.',
      owner.node.path);
  }
  const pattern = AppState.of(owner).boundPatterns.get(cluster._clusterKey)
    ?.find(p => p.owner !== owner.node.path && iamLikeMatches(p.namespace, namespace) && iamLikeMatches(p.serviceAccountName, serviceAccountName));
  if (pattern) {
    throw new WorkloadIdentityError(
      `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${clusterDisplayName(cluster)}' is bound by '${owner.node.path}' and also matches ` +
      `the pattern '${describeSubjectPattern(pattern.namespace, pattern.serviceAccountName)}' of '${pattern.owner}'. A ServiceAccount carries one role: ` +
      'give it a namespace or name outside the pattern, or narrow the pattern (a longer literal prefix).', owner.node.path);
  }
  bound.set(key, owner.node.path);
}

/**
 * Records that `owner` admits the ServiceAccounts a pattern matches on
 * `cluster` (either half may be literal), and throws if the pattern also
 * matches a ServiceAccount another identity binds, or overlaps another
 * identity's pattern: both roles would trust the same pods.
 */
export function claimPattern(owner: IConstruct, cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
  const state = AppState.of(owner);
  const where = `ServiceAccount pattern '${describeSubjectPattern(namespace, serviceAccountName)}' of '${owner.node.path}' on cluster '${clusterDisplayName(cluster)}'`;
  const clusterPrefix = `${cluster._clusterKey}|`;
  for (const [key, path] of state.boundSubjects) {
    if (path === owner.node.path || !key.startsWith(clusterPrefix)) { continue; }
    const [boundNamespace, boundName] = key.slice(clusterPrefix.length).split('|');
    if (iamLikeMatches(namespace, boundNamespace) && iamLikeMatches(serviceAccountName, boundName)) {
      throw new WorkloadIdentityError(
        `${where} also matches '${boundNamespace}/${boundName}', which '${path}' binds. A ServiceAccount carries one role: ` +
        'narrow the pattern (a longer literal prefix) so it leaves that ServiceAccount out, or move the ServiceAccount out of the pattern.', owner.node.path);
    }
  }
  const patterns = state.boundPatterns.get(cluster._clusterKey) ?? [];
  const other = patterns.find(p => likePatternsOverlap(p.namespace, namespace) && likePatternsOverlap(p.serviceAccountName, serviceAccountName));
  if (other) {
    const twice = other.owner === owner.node.path;
    if (!twice || (other.namespace === namespace && other.serviceAccountName === serviceAccountName)) {
      throw new WorkloadIdentityError(twice
        ? `${where} is declared twice. Declare each pattern once.`
        : `${where} overlaps the pattern '${describeSubjectPattern(other.namespace, other.serviceAccountName)}' of '${other.owner}': a ServiceAccount ` +
          'matching both would be trusted by both roles. Give the two patterns prefixes that cannot both match one name.', owner.node.path);
    }
  }
  patterns.push({ namespace, serviceAccountName, owner: owner.node.path });
  state.boundPatterns.set(cluster._clusterKey, patterns);
}
