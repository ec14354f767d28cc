import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { describeCluster, sameCluster } from '../core/binding-cluster';
import { requireValue, validateClusterArn, validateClusterName } from '../core/validation';
import { atConstruct, WorkloadIdentityError } from '../core/validation-error';
import { WorkloadBinding } from '../core/workload-binding';
import { WorkloadBindingFile } from '../core/workload-binding-file';
import { WorkloadServiceAccount } from './workload-service-account';

/** Props of `WorkloadServiceAccountsChart`. */
export interface WorkloadServiceAccountsChartProps extends ChartProps {
  /**
   * The bindings to render: `WorkloadIdentity.bindings` in the same app, or
   * `WorkloadBindingFile.readFile(...)` in a cdk8s-only repository.
   */
  readonly bindings: WorkloadBinding[];

  /**
   * Render only the bindings of this cluster (one chart per cluster).
   *
   * @default - every binding
   */
  readonly clusterName?: string;

  /**
   * Render only the bindings of the cluster with this ARN: tells apart
   * clusters of one name in several accounts or regions. Bindings without a
   * cluster ARN of the same name are rendered too.
   *
   * @default - bindings of any ARN (a second ARN of one name is an error)
   */
  readonly clusterArn?: string;

  /**
   * Whether the app emits the Namespace objects of the bindings' namespaces.
   * Set false for namespaces managed elsewhere.
   *
   * @default true
   */
  readonly createNamespaces?: boolean;
}

/**
 * A chart with one `WorkloadServiceAccount` per binding, for repositories
 * that own the Kubernetes side only. Render one cluster per cdk8s app (pass
 * `clusterName` when the bindings hold several); the namespaces come with it.
 */
export class WorkloadServiceAccountsChart extends Chart {
  /** The ServiceAccounts, in binding order. */
  public readonly serviceAccounts: WorkloadServiceAccount[];

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountsChartProps) {
    super(scope, id, props);
    atConstruct(this.node.path, () => {
      requireValue(props?.bindings, `WorkloadServiceAccountsChart '${id}' bindings`, 'Pass WorkloadIdentity.bindings, or WorkloadBindingFile.readFile(...).');
      if (props.clusterName !== undefined) { validateClusterName(props.clusterName); }
      if (props.clusterArn !== undefined) { validateClusterArn(props.clusterArn, props.clusterName); }
    });
    const arnName = props.clusterArn?.slice(props.clusterArn.indexOf(':cluster/') + ':cluster/'.length);
    const wanted = props.clusterName ?? arnName;
    const bindings = props.bindings.filter(b => (wanted === undefined || b.clusterName === wanted) &&
      (props.clusterArn === undefined || sameCluster(b, { clusterName: b.clusterName, clusterArn: props.clusterArn })));
    atConstruct(this.node.path, () => bindings.forEach(b => WorkloadBindingFile.validate(b)));
    // One cluster: one name, and at most one ARN (a binding without one may be of any).
    const names = new Set(bindings.map(b => b.clusterName));
    const arns = new Set(bindings.flatMap(b => b.clusterArn !== undefined ? [b.clusterArn] : []));
    if (names.size > 1 || arns.size > 1) {
      const sameName = names.size === 1;
      throw new WorkloadIdentityError(
        `WorkloadServiceAccountsChart '${this.node.path}' has bindings of clusters ${distinctClusters(bindings).map(describeCluster).join(', ')}; ` +
        'one chart renders one cluster, in that cluster\'s cdk8s app. ' +
        (sameName
          ? 'Pass clusterArn, with one cdk8s.App per cluster (outdir \'dist/<account>-<region>-<cluster>\').'
          : 'Pass clusterName, with one cdk8s.App per cluster (outdir \'dist/<cluster>\').'),
        this.node.path);
    }
    const seen = new Set<string>();
    this.serviceAccounts = bindings.map(b => {
      // ':' is in neither name, so ids are unique per ServiceAccount ('a-b'/'c' and 'a'/'b-c' would collide with '-').
      const id = `${b.namespace}:${b.serviceAccountName}`;
      if (seen.has(id)) {
        throw new WorkloadIdentityError(
          `ServiceAccount '${b.namespace}/${b.serviceAccountName}' on cluster '${b.clusterName}' has two bindings; ` +
          'a ServiceAccount has one role. Remove the duplicate binding.', this.node.path);
      }
      seen.add(id);
      return new WorkloadServiceAccount(this, id, { binding: b, createNamespace: props.createNamespaces });
    });
  }
}

/** The clusters of `bindings`, each once: by ARN where known, else by name. */
function distinctClusters(bindings: readonly WorkloadBinding[]): WorkloadBinding[] {
  const byArn = bindings.filter((b, i) => b.clusterArn !== undefined && bindings.findIndex(o => o.clusterArn === b.clusterArn) === i);
  const byName = bindings.filter((b, i) => b.clusterArn === undefined && !byArn.some(a => a.clusterName === b.clusterName) &&
    bindings.findIndex(o => o.clusterArn === undefined && o.clusterName === b.clusterName) === i);
  return [...byArn, ...byName];
}
