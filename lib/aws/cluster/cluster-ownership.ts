import { WorkloadIdentityError } from '../../core/validation-error';
import { AppState } from '../app-state';
import { clusterDisplayName, isWorkloadCluster, IWorkloadCluster } from './i-workload-cluster';

/** What a handle owns, for messages: a created cluster's pieces come with it. */
export const CREATED_IN_APP = 'created in this app';

/**
 * Registers a new handle of its cluster, at construction: the rules that
 * keep one owner per cluster, whatever the construction order. Throws, naming
 * the first handle, for a second owner, for a handle of an owned cluster that
 * was not handed the owner, and for an owner of a cluster that already has
 * handles constructed without it (they would reference what it declares).
 *
 * @param owns what makes `handle` the owner (its options, or CREATED_IN_APP), undefined if it owns nothing
 */
export function registerClusterHandle(handle: IWorkloadCluster, owns: string | undefined): void {
  const state = AppState.of(handle);
  const key = handle._clusterKey;
  const entry = state.clusters.get(key);
  const me = `WorkloadCluster '${handle.node.path}'`;
  const name = clusterDisplayName(handle);
  if (owns === undefined) {
    if (entry?.owner) {
      throw new WorkloadIdentityError(`${me} is a handle of cluster '${name}', which '${entry.owner.node.path}' owns (${entry.owns}): ` +
        'pass owner: to this handle (or use the owning handle itself), so that it uses the owner\'s OIDC provider and agent add-on.', handle.node.path);
    }
    if (!entry) { state.clusters.set(key, { first: handle }); }
    return;
  }
  if (entry?.owner) {
    const fix = owns === CREATED_IN_APP
      ? `Drop ${entry.owns} from '${entry.owner.node.path}' and construct this handle first, passing it as owner: to the others.`
      : `Drop ${owns} and pass owner: ${entry.owner.node.path}, or use that handle.`;
    throw new WorkloadIdentityError(`${me} would own cluster '${name}' (${owns}), which '${entry.owner.node.path}' already owns (${entry.owns}): ` +
      `a cluster has one owner in an app. ${fix}`, handle.node.path);
  }
  if (entry) {
    throw new WorkloadIdentityError(`${me} would own cluster '${name}' (${owns}), but '${entry.first.node.path}' is a handle of it constructed before without an owner: ` +
      'construct the owning handle first and pass it as owner: to the others (or use it everywhere).', handle.node.path);
  }
  state.clusters.set(key, { first: handle, owner: handle, owns });
}

/**
 * The owner a handle was handed (`owner:`), checked: a handle of the library
 * that owns something of the same cluster (a handle that follows an owner
 * stands for it), and not beside owner options of the handle's own.
 *
 * @param key the cluster key of the handle's own attributes
 * @param owns what the handle's own options would own, if anything
 */
export function ownerOf(handle: IWorkloadCluster, given: IWorkloadCluster, key: string, owns: string | undefined): IWorkloadCluster {
  const me = `WorkloadCluster '${handle.node.path}'`;
  if (!isWorkloadCluster(given)) {
    throw new WorkloadIdentityError(`The owner of ${me} is not a handle of WorkloadCluster: pass the handle (fromClusterAttributes, fromEksV2Cluster, fromEksCluster) that owns the cluster.`, handle.node.path);
  }
  const entry = AppState.of(handle).clusters.get(given._clusterKey);
  const owner = entry?.owner as IWorkloadCluster | undefined;
  if (owns !== undefined) {
    throw new WorkloadIdentityError(`${me} has owner: '${given.node.path}' and ${owns}: the owner holds the cluster's pieces. ` +
      `Drop ${owns}, or drop owner:.`, handle.node.path);
  }
  if (!owner) {
    throw new WorkloadIdentityError(`The owner of ${me}, '${given.node.path}', owns nothing of cluster '${clusterDisplayName(given)}': ` +
      'pass the handle that owns it (createOpenIdConnectProvider, installPodIdentityAgent, openIdConnectProvider, or a cluster created in this app), or drop owner:.',
    handle.node.path);
  }
  if (given._clusterKey !== key) {
    throw new WorkloadIdentityError(`${me} names cluster ${describeKey(key)}, but its owner '${owner.node.path}' is a handle of cluster ${describeKey(given._clusterKey)}: ` +
      'pass the owning handle of this cluster as owner:.', handle.node.path);
  }
  return owner;
}

/** A cluster key for people: account/region/name, or the created cluster's path. */
function describeKey(key: string): string {
  return key.startsWith('resource:') ? `'${key.slice('resource:'.length)}' (created in this app)` : `'${key}' (account/region/name)`;
}
