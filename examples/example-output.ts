import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { BindingsFileOutput, HelmRelease, HelmValuesOutput, IssuerFilesOutput, ServiceAccountIssuerDocuments, WorkloadBinding, WorkloadSubjectPattern } from '../lib';

/**
 * Where one example's Kubernetes side goes: one cdk8s app per cluster, each
 * writing `<outdir>/<cluster>/` (one `kubectl apply -f` per cluster), and the
 * bindings files it hands to a cdk8s-only repository.
 */
export class ExampleOutput {
  private readonly clusterApps = new Map<string, cdk8s.App>();
  private readonly files: BindingsFileOutput[] = [];
  private readonly issuers: IssuerFilesOutput[] = [];
  private readonly helm: HelmValuesOutput[] = [];

  constructor(private readonly outdir: string, private readonly newApp: (outdir: string) => cdk8s.App = outdir => new cdk8s.App({ outdir })) {}

  /** The cdk8s app of the binding's cluster, created on first use. */
  public appFor(binding: WorkloadBinding): cdk8s.App {
    return this.app(binding.clusterName);
  }

  /** The cdk8s app of a cluster, writing `<outdir>/<cluster>/`, created on first use. */
  public app(cluster: string): cdk8s.App {
    let app = this.clusterApps.get(cluster);
    if (!app) {
      app = this.newApp(path.join(this.outdir, cluster));
      this.clusterApps.set(cluster, app);
    }
    return app;
  }

  /** Writes `bindings` (and subject patterns) to `<outdir>/<fileName>` once both sides have synthesized. */
  public addBindingsFile(fileName: string, bindings: WorkloadBinding[], subjectPatterns?: WorkloadSubjectPattern[]): void {
    this.files.push({ file: path.join(this.outdir, fileName), bindings, ...(subjectPatterns ? { subjectPatterns } : {}) });
  }

  /** Writes an issuer's documents and API server flags to `<outdir>/<cluster>-issuer/`, beside the cluster's YAML. */
  public addIssuerFiles(cluster: string, documents: ServiceAccountIssuerDocuments): void {
    this.issuers.push({ directory: path.join(this.outdir, `${cluster}-issuer`), documents });
  }

  public get issuerFiles(): IssuerFilesOutput[] {
    return [...this.issuers];
  }

  /** Writes the releases' values to `<cluster outdir>/helm/<release>.values.yaml` with the manifests. */
  public addHelmReleases(app: cdk8s.App, releases: HelmRelease[]): void {
    this.helm.push({ app, releases });
  }

  public get helmValues(): HelmValuesOutput[] {
    return [...this.helm];
  }

  public get apps(): cdk8s.App[] {
    return [...this.clusterApps.values()];
  }

  public get bindingsFiles(): BindingsFileOutput[] {
    return [...this.files];
  }
}
