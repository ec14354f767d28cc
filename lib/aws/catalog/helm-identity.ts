import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HelmRelease, validateHelmRelease } from '../../core/helm-release';
import { CatalogEntryDefinition, CatalogIdentity, CatalogIdentityProps } from './catalog-identity';

/** A Helm chart a catalog entry's workload is installed from. */
export interface HelmChartReference {
  /** The chart repository URL (`https://…` or `oci://…`). */
  readonly repository: string;
  /** The chart name. */
  readonly chart: string;
  /**
   * The chart version the entry's values were checked against.
   *
   * @default - none named
   */
  readonly version?: string;
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
 * Helm values that make the chart use it instead of creating its own, with
 * the settings the entry's scoping needs.
 */
export abstract class HelmIdentity extends CatalogIdentity {
  /** The chart the workload is installed from. */
  public readonly chart: HelmChartReference;

  protected constructor(scope: Construct, id: string, props: CatalogIdentityProps, definition: HelmEntryDefinition) {
    super(scope, id, props, definition);
    this.chart = definition.chart;
  }

  /**
   * The Helm values to install the chart with, literal: the chart must not
   * create its ServiceAccount (`serviceAccount.create: false`) and must use
   * the one from the binding, plus the chart's own keys this identity's
   * scoping depends on (e.g. the cluster name, zone filters). Merge them into
   * your release's values.
   *
   * @throws if a value is known only at deployment (a token), naming it
   */
  public helmValues(): { [key: string]: any } {
    return this.helmRelease().values;
  }

  /**
   * The Helm release: chart, version, namespace and literal values, for
   * `WorkloadOutputs.synth({ helmReleases })`, which writes
   * `<release>.values.yaml` with its `helm install` line next to the
   * cluster's manifests.
   *
   * @param release the release name. @default - the chart name
   * @throws if a value is known only at deployment (a token), naming it
   */
  public helmRelease(release?: string): HelmRelease {
    const result: HelmRelease = {
      release: release ?? this.chart.chart,
      namespace: this.binding.namespace,
      repository: this.chart.repository,
      chart: this.chart.chart,
      version: this.chart.version,
      values: Stack.of(this).resolve(this.chartValues()),
    };
    validateHelmRelease(result, `${this.constructor.name} '${this.node.path}'`);
    return result;
  }

  /** The chart values (may hold tokens; `helmValues()` resolves and checks them). */
  protected abstract chartValues(): { [key: string]: any };

  /** `{ create: false, name }`, the usual shape of a chart's serviceAccount block. */
  protected serviceAccountValues(): { [key: string]: any } {
    return { create: false, name: this.binding.serviceAccountName };
  }
}
