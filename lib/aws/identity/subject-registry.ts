import { IConstruct } from 'constructs';
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
  bound.set(key, owner.node.path);
}
