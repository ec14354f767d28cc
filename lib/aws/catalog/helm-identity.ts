import { Construct } from 'constructs';
import { CatalogEntryDefinition, CatalogIdentity, CatalogIdentityProps } from './catalog-identity';

/** A Helm chart a catalog entry's workload is installed from. */
export interface HelmChartReference {
  /** The chart repository URL. */
  readonly repository: string;
  /** The chart name. */
  readonly chart: string;
}

/** What a Helm-installed entry tells the base. */
export interface HelmEntryDefinition extends CatalogEntryDefinition {
  /** The chart the workload is installed from. */
  readonly chart: HelmChartReference;
}

/**
 * A catalog entry for a controller installed with Helm. The Kubernetes side
 * is the ServiceAccount rendered from `binding` (`WorkloadServiceAccount`,
 * with `automountToken: true`: controllers call the Kubernetes API) and the
 * Helm values that make the chart use it instead of creating its own.
 */
export abstract class HelmIdentity extends CatalogIdentity {
  /** The chart the workload is installed from. */
  public readonly chart: HelmChartReference;

  protected constructor(scope: Construct, id: string, props: CatalogIdentityProps, definition: HelmEntryDefinition) {
    super(scope, id, props, definition);
    this.chart = definition.chart;
  }

  /**
   * The Helm values to install the chart with: the chart must not create
   * its ServiceAccount (`serviceAccount.create: false`) and must use the one
   * from the binding, plus the chart's own keys this identity depends on
   * (e.g. the cluster name). Merge them into your release's values.
   */
  public abstract helmValues(): { [key: string]: any };

  /** `{ create: false, name }`, the usual shape of a chart's serviceAccount block. */
  protected serviceAccountValues(): { [key: string]: any } {
    return { create: false, name: this.binding.serviceAccountName };
  }
}
