import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { requireValue, validateClusterName } from '../core/validation';
import { WorkloadIdentityError } from '../core/validation-error';
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
    requireValue(props?.bindings, `WorkloadServiceAccountsChart '${id}' bindings`, 'Pass WorkloadIdentity.bindings, or WorkloadBindingFile.readFile(...).');
    if (props.clusterName !== undefined) { validateClusterName(props.clusterName); }
    const bindings = props.bindings.filter(b => props.clusterName === undefined || b.clusterName === props.clusterName);
    bindings.forEach(b => WorkloadBindingFile.validate(b));
    const clusters = [...new Set(bindings.map(b => b.clusterName))];
    if (clusters.length > 1) {
      throw new WorkloadIdentityError(
        `WorkloadServiceAccountsChart '${this.node.path}' has bindings of clusters ${clusters.map(c => `'${c}'`).join(', ')}; ` +
        'one chart renders one cluster, in that cluster\'s cdk8s app. Pass clusterName, with one cdk8s.App per cluster (outdir \'dist/<cluster>\').',
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
