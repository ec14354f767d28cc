import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { HelmRelease, helmInstallCommand, validateHelmRelease } from '../core/helm-release';
import { ApiServerIssuerFlags } from '../core/issuer/api-server-issuer-flags';
import { DISCOVERY_PATH, JWKS_PATH, ServiceAccountIssuerDocuments } from '../core/issuer/service-account-issuer-documents';
import { bindingOrigin } from '../core/synth-order';
import { WorkloadIdentityError, WorkloadIdentityErrors } from '../core/validation-error';
import { WorkloadBinding } from '../core/workload-binding';
import { WorkloadBindingFile } from '../core/workload-binding-file';
import { WorkloadSubjectPattern } from '../core/workload-subject-pattern';
import { DeployTimeConfigMap } from './deploy-time-config-map';
import { refuseUnresolvedTokensInFiles } from './unresolved-tokens';
import { outputTypeProblem, WorkloadNamespaces } from './workload-namespaces';

/** A bindings file to write, for a cdk8s-only repository to read. */
export interface BindingsFileOutput {
  /** Path of the file. */
  readonly file: string;
  /** The bindings it holds (`WorkloadIdentity.bindings`). */
  readonly bindings: WorkloadBinding[];

  /**
   * The subject patterns it records (`WorkloadIdentity.subjectPatterns`):
   * with them, the repository binds a new ServiceAccount an IRSA pattern
   * matches (`WorkloadBindingFile.bindPatternMatch`). A file with subject
   * patterns is format version 3.
   *
   * @default - none (format version 2)
   */
  readonly subjectPatterns?: WorkloadSubjectPattern[];
}

/**
 * An issuer's files, for a cluster that is not EKS: the two documents to host
 * under the issuer URL (byte for byte what `ServiceAccountIssuer` serves) and
 * the API server's flags for it.
 */
export interface IssuerFilesOutput {
  /**
   * Folder to write to, beside the cluster's YAML but not in it (kubectl
   * would try to apply the flag files): `.well-known/openid-configuration`
   * and `openid/v1/jwks` (copy the folder's content to the issuer URL),
   * `kube-apiserver.flags`, `kubeadm-cluster-configuration.yaml` and
   * `k3s-config.yaml`.
   */
  readonly directory: string;
  /** The issuer's documents (`ServiceAccountIssuer.documents`, or built from the same keys). */
  readonly documents: ServiceAccountIssuerDocuments;
  /**
   * The API server's flags.
   *
   * @default - the flags for `documents` with kubeadm's key paths
   */
  readonly apiServerFlags?: ApiServerIssuerFlags;
}

/** Helm releases to write next to one cluster's manifests. */
export interface HelmValuesOutput {
  /** The cluster's cdk8s app (one of `apps`): the files go to `<outdir>/helm/`. */
  readonly app: App;
  /** The releases (`HelmIdentity.helmRelease()` of catalog entries). */
  readonly releases: HelmRelease[];
}

/** Props of `WorkloadOutputs.synth`. */
export interface WorkloadOutputsProps {
  /** The cdk8s apps to synthesize: one per cluster, each with its own outdir. */
  readonly apps: App[];

  /**
   * Bindings files to write with them.
   *
   * @default - none
   */
  readonly bindingsFiles?: BindingsFileOutput[];

  /**
   * Issuer files to write with them.
   *
   * @default - none
   */
  readonly issuerFiles?: IssuerFilesOutput[];

  /**
   * Helm values to write with the manifests: `<outdir>/helm/<release>.values.yaml`
   * per release, headed by the `helm install` line of the chart version its
   * values were checked against.
   *
   * @default - none
   */
  readonly helmValues?: HelmValuesOutput[];
}

/**
 * Writes the library's outputs all or nothing. Call it after the CDK app's
 * `synth()`, which throws on a validation or guardrail error before anything
 * here runs:
 *
 * ```ts
 * app.synth();
 * WorkloadOutputs.synth({ apps: [campusManifests], bindingsFiles: [{ file: 'bindings/campus.json', bindings: upload.bindings }] });
 * ```
 */
export class WorkloadOutputs {
  /**
   * Synthesizes every cdk8s app into its outdir, replacing the previous
   * manifests (files with the app's output extension), and writes each
   * bindings file once all of them passed (cdk8s validation, the Kubernetes
   * guardrails, the bindings' checks). On an error nothing of this run is left
   * behind: every outdir holds its previous manifests again.
   */
  public static synth(props: WorkloadOutputsProps): void {
    refuseOutOfOrder(props);
    const outdirs = props.apps.map(app => path.resolve(app.outdir));
    const twice = outdirs.find((dir, i) => outdirs.indexOf(dir) !== i);
    if (twice) {
      throw new WorkloadIdentityError(`Two cdk8s apps write '${twice}'; give each cluster's app its own outdir (e.g. 'dist/<cluster>').`);
    }
    // Values known only after a deployment: before it, write nothing and say what to run (cdk deploy runs the app too).
    const missing = props.apps.flatMap(app => app.node.findAll().filter(DeployTimeConfigMap.isDeployTimeConfigMap).flatMap(c => c._missing));
    if (missing.length > 0) {
      process.stderr.write(`Kubernetes manifests not written yet: ${missing.join(' ')}\n`);
      // Held back on purpose and said why: `cdk deploy` must get past this first run.
      props.apps.forEach(app => WorkloadNamespaces._findInApp(app)?._deferWriting());
      return;
    }
    const files = [
      ...(props.bindingsFiles ?? []).map(f => ({ file: path.resolve(f.file), json: WorkloadBindingFile.toJson(f.bindings, f.subjectPatterns) })),
      ...(props.issuerFiles ?? []).flatMap(f => issuerFiles(f, outdirs)),
    ];
    const helmFiles = helmValuesFiles(props.apps, props.helmValues ?? []);
    // cdk8s writes to its app's outdir, its only target: the manifests a previous run left there are moved aside
    // first, to a sibling folder (one file system), and come back, this run's files gone, on an error.
    const runs: PreviousOutput[] = [];
    // Folders this run created, removed again on an error.
    const created: string[] = [];
    try {
      props.apps.forEach((app, i) => {
        const outdir = outdirs[i];
        const first = fs.mkdirSync(outdir, { recursive: true });
        if (first) { created.push(first); }
        const helm = helmFiles.get(app) ?? [];
        runs.push(moveAside(outdir, entry => entry.endsWith(app.outputFileExtension) || entry === CONSTRUCT_METADATA || (helm.length > 0 && entry === 'helm')));
        try {
          app.synth();
        } catch (e) {
          throw asLibraryError(e);
        }
        refuseUnresolvedTokensInFiles(app, outdir, path.relative(process.cwd(), outdir) || outdir);
        if (helm.length > 0) { fs.mkdirSync(path.join(outdir, 'helm')); }
        for (const { name, text } of helm) { fs.writeFileSync(path.join(outdir, 'helm', name), text); }
      });
    } catch (e) {
      runs.forEach(restore);
      created.forEach(dir => fs.rmSync(dir, { recursive: true, force: true }));
      throw e;
    }
    runs.forEach(r => fs.rmSync(r.aside, { recursive: true, force: true }));
    for (const { file, json } of files) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, json);
      fs.renameSync(tmp, file);
    }
  }

  private constructor() {}
}

/** The files of one issuer, refused where kubectl would apply them. */
function issuerFiles(output: IssuerFilesOutput, outdirs: string[]): Array<{ readonly file: string; readonly json: string }> {
  const directory = path.resolve(output.directory);
  const inside = outdirs.find(dir => directory === dir || directory.startsWith(dir + path.sep));
  if (inside) {
    throw new WorkloadIdentityError(`The issuer files' directory '${directory}' is inside the cluster's YAML folder '${inside}', where kubectl would try to apply them: ` +
      `write them beside it, e.g. '${inside}-issuer'.`);
  }
  const flags = output.apiServerFlags ?? new ApiServerIssuerFlags({ documents: output.documents });
  if (flags.flags[0] !== `--service-account-issuer=${output.documents.issuerUrl}`) {
    throw new WorkloadIdentityError(`The API server flags sign as '${flags.flags[0].replace(/^[^=]*=/, '')}' but the issuer files are for '${output.documents.issuerUrl}': ` +
      'build apiServerFlags from the same documents.');
  }
  return [
    { file: path.join(directory, DISCOVERY_PATH), json: output.documents.discoveryDocument },
    { file: path.join(directory, JWKS_PATH), json: output.documents.jwks },
    { file: path.join(directory, 'kube-apiserver.flags'), json: flags.flags.join('\n') + '\n' },
    { file: path.join(directory, 'kubeadm-cluster-configuration.yaml'), json: flags.kubeadmClusterConfiguration },
    { file: path.join(directory, 'k3s-config.yaml'), json: flags.k3sConfig },
  ];
}

/**
 * The values files per app, checked before anything is written: each
 * release literal and named once per cluster, each app one of `apps`.
 */
function helmValuesFiles(apps: App[], outputs: HelmValuesOutput[]): Map<App, Array<{ readonly name: string; readonly text: string }>> {
  const files = new Map<App, Array<{ readonly name: string; readonly text: string }>>();
  for (const output of outputs) {
    if (!apps.includes(output.app)) {
      throw new WorkloadIdentityError(`Helm values are given for the cdk8s app writing '${output.app.outdir}', which is not in apps: add it to apps, or give the releases to the app of their cluster.`);
    }
    const list = files.get(output.app) ?? [];
    for (const release of output.releases) {
      validateHelmRelease(release, `for '${output.app.outdir}'`);
      const name = `${release.release}.values.yaml`;
      if (list.some(f => f.name === name)) {
        throw new WorkloadIdentityError(`Two Helm releases named '${release.release}' for the cluster writing '${output.app.outdir}': give each release its own name.`);
      }
      const header = `# ${helmInstallCommand(release)}\n# Values checked against chart ${release.chart} ${release.version ?? '(no version named)'}; merge your own values into these.\n`;
      list.push({ name, text: header + Yaml.stringify(release.values) });
    }
    files.set(output.app, list);
  }
  return files;
}

/** What an outdir held before this run: its entries, and the sibling folder its previous output was moved to. */
interface PreviousOutput { readonly outdir: string; readonly aside: string; readonly before: string[] }

/**
 * Moves the entries of `outdir` this run writes (`ours`: manifests, cdk8s's
 * construct metadata, the Helm values folder) aside, so a removed chart does
 * not linger. Other files in `outdir` are kept.
 */
function moveAside(outdir: string, ours: (entry: string) => boolean): PreviousOutput {
  const aside = fs.mkdtempSync(path.join(path.dirname(outdir), `.${path.basename(outdir)}-previous-`));
  const before = fs.readdirSync(outdir);
  for (const entry of before.filter(ours)) {
    fs.renameSync(path.join(outdir, entry), path.join(aside, entry));
  }
  return { outdir, aside, before };
}

/** Undoes a run in `outdir`: what it wrote goes, what was moved aside comes back. */
function restore(previous: PreviousOutput): void {
  const moved = fs.readdirSync(previous.aside);
  for (const entry of fs.readdirSync(previous.outdir).filter(e => !previous.before.includes(e) || moved.includes(e))) {
    fs.rmSync(path.join(previous.outdir, entry), { recursive: true, force: true });
  }
  for (const entry of moved) { fs.renameSync(path.join(previous.aside, entry), path.join(previous.outdir, entry)); }
  fs.rmSync(previous.aside, { recursive: true, force: true });
}

/** The file cdk8s writes beside the manifests when it records construct metadata. */
const CONSTRUCT_METADATA = 'construct-metadata.json';

/**
 * The outputs are written after the CDK app's templates passed, never before:
 * YAML applied by a GitOps controller while the roles it names were refused
 * is half an identity. What is observable here without aws-cdk-lib:
 *
 * - each binding the AWS side handed out carries the record of its app's
 *   synthesis, filled in by the guardrails at the end of `app.synth()`
 *   (lib/core/synth-order.ts): not yet run, or failed, is refused;
 * - a process whose exit code is already set failed somewhere (aws-cdk-lib
 *   sets it instead of throwing when validation errors do not fail synth);
 * - the apps' output type: one file per resource breaks the apply order.
 *
 * Bindings read from a file, or copied, carry no record: the CDK app that
 * wrote them synthesized in another run.
 */
function refuseOutOfOrder(props: WorkloadOutputsProps): void {
  const exitCode = process.exitCode;
  if (exitCode !== undefined && exitCode !== null && Number(exitCode) !== 0) {
    throw new WorkloadIdentityError(
      `WorkloadOutputs.synth refuses to write: this process has already failed (exit code ${exitCode}, set for example by aws-cdk-lib when ` +
      'validation errors do not fail app.synth()). Fix the error reported above, then synthesize again.');
  }
  for (const app of props.apps) {
    const problem = outputTypeProblem(app);
    if (problem) { throw new WorkloadIdentityError(problem, WorkloadNamespaces._findInApp(app)?.node.path); }
  }
  const bindings = [
    ...props.apps.flatMap(app => (WorkloadNamespaces._findInApp(app)?._renderedBindings() ?? []).map(r => ({ ...r, where: `rendered by '${r.by}'` }))),
    ...(props.bindingsFiles ?? []).flatMap(f => f.bindings.map(binding => ({ binding, by: undefined, where: `in bindings file '${f.file}'` }))),
  ];
  const patterns = (props.bindingsFiles ?? []).flatMap(f => (f.subjectPatterns ?? []).map(pattern => ({
    origin: bindingOrigin(pattern), subject: `the subject pattern '${pattern.subjectPattern}' on cluster '${pattern.clusterName}' (in bindings file '${f.file}')`, by: undefined,
  })));
  const declared = [
    ...bindings.map(({ binding, by, where }) => ({
      origin: bindingOrigin(binding), subject: `the binding of '${binding.namespace}/${binding.serviceAccountName}' on cluster '${binding.clusterName}' (${where})`, by,
    })),
    ...patterns,
  ];
  for (const { origin, subject, by } of declared) {
    if (!origin || (origin.validated && !origin.failed)) { continue; }
    throw new WorkloadIdentityError(origin.validated
      ? `WorkloadOutputs.synth refuses to write: ${origin.app} failed validation, and ${subject} comes from it. ` +
        'Fix the errors of its synth (the guardrails\' and aws-cdk-lib\'s report), then synthesize again.'
      : `WorkloadOutputs.synth ran before ${origin.app} synthesized, and ${subject} comes from it: YAML written now would stand ` +
        'even if its templates then fail. Call app.synth() first, then WorkloadOutputs.synth({ apps, bindingsFiles }) as the last call of the program.', by);
  }
}

/** A cdk8s validation error (a plain Error listing '[path] message' lines) as the library's error, naming the first construct. */
function asLibraryError(e: unknown): unknown {
  if (WorkloadIdentityErrors.isWorkloadIdentityError(e) || !(e instanceof Error)) { return e; }
  const match = /^Validation failed with the following errors:\n\s*\[([^\]]*)\]/.exec(e.message);
  return match ? new WorkloadIdentityError(e.message, match[1]) : e;
}
