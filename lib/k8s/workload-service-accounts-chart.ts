import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { WorkloadBinding, WorkloadBindings } from '../core/workload-binding';
import { WorkloadServiceAccount } from './workload-service-account';

/** Props of `WorkloadServiceAccountsChart`. */
export interface WorkloadServiceAccountsChartProps extends ChartProps {
  /**
   * The bindings to render: `WorkloadIdentity.bindings` in the same app, or
   * `WorkloadBindings.readFile(...)` in a cdk8s-only repository.
   */
  readonly bindings: WorkloadBinding[];

  /**
   * Render only the bindings of this cluster (one chart per cluster).
   *
   * @default - every binding
   */
  readonly clusterName?: string;
}

/**
 * A chart with one `WorkloadServiceAccount` per binding, for repositories
 * that own the Kubernetes side only.
 */
export class WorkloadServiceAccountsChart extends Chart {
  /** The ServiceAccounts, in binding order. */
  public readonly serviceAccounts: WorkloadServiceAccount[];

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountsChartProps) {
    super(scope, id, props);
    const bindings = props.bindings.filter(b => props.clusterName === undefined || b.clusterName === props.clusterName);
    bindings.forEach(b => WorkloadBindings.validate(b));
    this.serviceAccounts = bindings.map(b =>
      new WorkloadServiceAccount(this, `${b.namespace}-${b.serviceAccountName}`, { binding: b }));
  }
}
