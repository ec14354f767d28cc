import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WorkloadIdentityError } from '../core/validation-error';
import type { IWorkloadCluster } from './workload-cluster';

// One registry per app (construct tree root): a ServiceAccount can carry one role.
const registries = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `owner` binds (cluster, namespace, ServiceAccount), and throws if
 * another identity in the app already does.
 */
export function claimServiceAccount(owner: IConstruct, cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
  const root = owner.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const key = `${clusterKey(cluster)}|${namespace}|${serviceAccountName}`;
  const previous = registry.get(key);
  if (previous !== undefined) {
    const where = previous === owner.node.path ? `twice by '${previous}'` : `by both '${previous}' and '${owner.node.path}'`;
    throw new WorkloadIdentityError(
      `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${displayName(cluster)}' is bound ${where}. ` +
      'A ServiceAccount carries one role: give each workload its own ServiceAccount, or grant both sets of permissions to one WorkloadIdentity.');
  }
  registry.set(key, owner.node.path);
}

/**
 * What identifies a cluster: its account, region and name (clusters of the same
 * name in two accounts are two clusters). A cluster created in the app has a
 * token name; its construct path identifies it instead.
 */
function clusterKey(cluster: IWorkloadCluster): string {
  if (Token.isUnresolved(cluster.clusterName)) { return `path:${cluster.node.path}`; }
  const arn = cluster.clusterArn;
  const env = arn && !Token.isUnresolved(arn)
    ? Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME)
    : { account: Stack.of(cluster).account, region: Stack.of(cluster).region };
  return `${env.account}/${env.region}/${cluster.clusterName}`;
}

/** The cluster's name for messages: the literal name, or its construct path. */
export function displayName(cluster: IWorkloadCluster): string {
  return Token.isUnresolved(cluster.clusterName) ? cluster.node.path : cluster.clusterName;
}
