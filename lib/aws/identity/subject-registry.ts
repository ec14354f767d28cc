import { Construct, IConstruct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { appSingleton } from '../app-singleton';
import { clusterDisplayName, clusterIdentity, IWorkloadCluster } from '../cluster/i-workload-cluster';

const REGISTRY_ID = 'cdk-eks-workload-identity.SubjectRegistry';

/**
 * Which identity binds each (cluster, namespace, ServiceAccount) of the app:
 * a ServiceAccount carries one role. One hidden construct per app, a child of
 * the construct tree's root, found by its id.
 */
export class SubjectRegistry extends Construct {
  /** The app's registry, created on first use. */
  public static of(scope: IConstruct): SubjectRegistry {
    return appSingleton(scope, REGISTRY_ID, SubjectRegistry);
  }

  private readonly owners = new Map<string, string>();

  /**
   * Records that `owner` binds (cluster, namespace, ServiceAccount), and throws if
   * another identity in the app already does.
   */
  public claim(owner: IConstruct, cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
    const key = `${clusterIdentity(cluster)}|${namespace}|${serviceAccountName}`;
    const previous = this.owners.get(key);
    if (previous !== undefined) {
      const where = previous === owner.node.path ? `twice by '${previous}'` : `by both '${previous}' and '${owner.node.path}'`;
      throw new WorkloadIdentityError(
        `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${clusterDisplayName(cluster)}' is bound ${where}. ` +
        'A ServiceAccount carries one role: give each workload its own ServiceAccount, or grant both sets of permissions to one WorkloadIdentity.',
        owner.node.path);
    }
    this.owners.set(key, owner.node.path);
  }
}
