import { App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { BindingCluster, describeCluster, describeRole, sameCluster } from '../core/binding-cluster';
import { containsCdkToken } from '../core/cdk-token';
import { WorkloadIdentityError } from '../core/validation-error';
import { WorkloadBinding } from '../core/workload-binding';
import { writeAfterNamespaces } from './namespaces-first';
import { PerSynthMemo } from './per-synth-memo';
import { expectWritten } from './unwritten-outputs';

/** The annotation that says which cluster an object of the library was rendered for. */
export const CLUSTER_ANNOTATION = 'cdk-eks-workload-identity/cluster';

/** The id of the one `WorkloadNamespaces` chart of an app. */
const ID = 'workload-namespaces';

/** Marks the chart: cdk8s's `instanceof Chart` is true for any chart, subclasses included. */
const IS_WORKLOAD_NAMESPACES = Symbol.for('cdk-eks-workload-identity.WorkloadNamespaces');

/** Namespaces every cluster has: never declared, so no GitOps prune can delete them. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** What the app knows about one namespace. */
interface NamespaceUse {
  /** Whether this app creates the Namespace object (false: managed elsewhere). */
  readonly create: boolean;
  /** The construct that first asked, for error messages. */
  readonly by: string;
}

/**
 * The Namespace objects of one cdk8s app, which is one cluster's folder:
 * each namespace a `WorkloadServiceAccount` lives in, once. Created on first
 * use, like aws-eks-v2's cluster-wide pieces. Every chart with a
 * ServiceAccount is ordered after this chart, so cdk8s writes it first
 * (`0000-workload-namespaces.k8s.yaml`, then the other charts in order) and
 * `kubectl apply -f <folder>` creates the namespaces before what lives in them.
 *
 * It also checks, when the app synthesizes, that one app renders one cluster
 * and that every pod running as a `WorkloadServiceAccount` is in its namespace.
 */
export class WorkloadNamespaces extends Chart {
  /** The app's `WorkloadNamespaces` chart, created on first use. */
  public static ofApp(scope: IConstruct): WorkloadNamespaces {
    const app = App.of(scope);
    const existing: IConstruct | undefined = app.node.tryFindChild(ID);
    if (existing && !(existing as any)[IS_WORKLOAD_NAMESPACES]) {
      throw new WorkloadIdentityError(`'${existing.node.path}' is not the library's namespaces chart; the id '${ID}' is reserved for it.`, existing.node.path);
    }
    return (existing as WorkloadNamespaces | undefined) ?? new WorkloadNamespaces(app, ID);
  }

  /**
   * The app's `WorkloadNamespaces` chart, if it has one (an app with a WorkloadServiceAccount).
   *
   * @internal
   */
  public static _findInApp(app: IConstruct): WorkloadNamespaces | undefined {
    const existing: IConstruct | undefined = app.node.root.node.tryFindChild(ID);
    return existing && (existing as any)[IS_WORKLOAD_NAMESPACES] ? existing as WorkloadNamespaces : undefined;
  }

  private readonly uses = new Map<string, NamespaceUse>();
  private readonly serviceAccounts: kplus.ServiceAccount[] = [];
  /** Each ServiceAccount the app renders, by 'namespace/name': a cluster's folder holds it once. */
  private readonly rendered = new Map<string, { readonly binding: WorkloadBinding; readonly by: string }>();
  private cluster?: BindingCluster & { readonly by: string };
  private readonly misplacedPods = new PerSynthMemo<string[]>();
  /** Whether the app was rendered (validated for a synth), so its folder was written or its error reported. */
  private synthesized = false;
  /** Whether WorkloadOutputs.synth held its folder back on purpose (deploy-time values not known yet), having said why. */
  private deferred = false;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, IS_WORKLOAD_NAMESPACES, { value: true });
    // It reads the whole app, and cdk8s validates once per chart it renders: once per synth is enough.
    this.node.addValidation({
      validate: () => {
        this.synthesized = true;
        const outputType = outputTypeProblem(App.of(this));
        return [...outputType ? [outputType] : [], ...this.misplacedPods.get(() => this.podsOutsideTheirNamespace())];
      },
    });
    const outdir = (scope.node.root as Partial<App>).outdir;
    expectWritten({ describe: () => outdir ? `writing '${outdir}'` : `'${this.node.path}'`, written: () => this.synthesized || this.deferred });
  }

  /**
   * Records that `WorkloadOutputs.synth` held this app's folder back on
   * purpose (a deploy-time value is not known before the first deployment)
   * and said so: the run is not one that forgot to write it.
   *
   * @internal
   */
  public _deferWriting(): void {
    this.deferred = true;
  }

  /**
   * The bindings of the app's WorkloadServiceAccounts, with the construct that rendered each.
   *
   * @internal
   */
  public _renderedBindings(): { readonly binding: WorkloadBinding; readonly by: string }[] {
    return [...this.rendered.values()];
  }

  /** The cluster this app renders, once a ServiceAccount named it. */
  public get clusterName(): string | undefined {
    return this.cluster?.clusterName;
  }

  /**
   * Registers a ServiceAccount of `clusterName` in `namespace`: the
   * namespace gets its Namespace object (unless `create` is false, for a
   * namespace managed elsewhere, or it is one every cluster has) and the ServiceAccount's chart is written
   * after it.
   *
   * @internal
   */
  public _register(serviceAccount: kplus.ServiceAccount, binding: WorkloadBinding, create: boolean): void {
    const by = serviceAccount.node.path;
    const { clusterName, namespace } = binding;
    this.claimCluster(binding, by);
    this.claimServiceAccount(binding, by);
    this.ensureNamespace(namespace, clusterName, create, by);
    this.serviceAccounts.push(serviceAccount);
    writeAfterNamespaces(Chart.of(serviceAccount), this);
  }

  /**
   * Registers a chart of `clusterName` that needs `namespace` but holds no
   * workload identity (the pod identity webhook's): the namespace gets its
   * Namespace object once, and the chart is written after it.
   *
   * @internal
   */
  public _requireNamespace(chart: Chart, clusterName: string, namespace: string): void {
    const by = chart.node.path;
    this.claimCluster({ clusterName }, by);
    this.ensureNamespace(namespace, clusterName, true, by);
    writeAfterNamespaces(chart, this);
  }

  private ensureNamespace(namespace: string, clusterName: string, create: boolean, by: string): void {
    const use = this.uses.get(namespace);
    if (use && use.create !== create) {
      const [creates, elsewhere] = use.create ? [use.by, by] : [by, use.by];
      throw new WorkloadIdentityError(
        `Namespace '${namespace}' is created by '${creates}' but '${elsewhere}' says it is managed elsewhere (createNamespace: false). ` +
        'Set createNamespace the same way for every ServiceAccount of one namespace.', by);
    }
    if (!use) {
      this.uses.set(namespace, { create, by });
      if (create && !BUILT_IN_NAMESPACES.includes(namespace)) {
        new kplus.Namespace(this, namespace, { metadata: { name: namespace, annotations: clusterAnnotation(clusterName) } });
      }
    }
  }

  /**
   * One app is one cluster's folder: a second cluster is refused, and so is a
   * cluster of the same name in another account or region (its ARN differs).
   * An ARN learnt later is kept, so a third binding is compared with it.
   */
  private claimCluster(cluster: BindingCluster, by: string): void {
    if (!this.cluster) {
      this.cluster = { clusterName: cluster.clusterName, clusterArn: cluster.clusterArn, by };
      return;
    }
    if (!sameCluster(this.cluster, cluster)) {
      const outdir = (this.node.root as Partial<App>).outdir;
      const sameName = this.cluster.clusterName === cluster.clusterName;
      throw new WorkloadIdentityError(
        `The cdk8s app${outdir ? ` writing '${outdir}'` : ''} renders ServiceAccounts of cluster ${describeCluster(this.cluster)} ('${this.cluster.by}') ` +
        `and of cluster ${describeCluster(cluster)} ('${by}')` + (sameName ? ': two clusters of one name, in different accounts or regions' : '') +
        "; one app writes one cluster's folder. Create one cdk8s.App per cluster " +
        (sameName
          ? "(outdir 'dist/<account>-<region>-<cluster>'), or pass clusterArn to WorkloadServiceAccountsChart."
          : "(outdir 'dist/<cluster>'), or pass clusterName to WorkloadServiceAccountsChart."), by);
    }
    if (this.cluster.clusterArn === undefined && cluster.clusterArn !== undefined) {
      // The first ServiceAccount that knew the ARN is named in a later error.
      this.cluster = { clusterName: cluster.clusterName, clusterArn: cluster.clusterArn, by };
    }
  }

  /**
   * A ServiceAccount is written once per cluster folder, with one role: a
   * second WorkloadServiceAccount of the same namespace and name (another
   * chart, or a duplicate binding) would make `kubectl apply` keep whichever
   * file comes last.
   */
  private claimServiceAccount(binding: WorkloadBinding, by: string): void {
    const key = `${binding.namespace}/${binding.serviceAccountName}`;
    const first = this.rendered.get(key);
    if (first) {
      const roles = describeRole(first.binding) === describeRole(binding)
        ? `both with ${describeRole(binding)}` : `with ${describeRole(first.binding)} and ${describeRole(binding)}`;
      throw new WorkloadIdentityError(
        `ServiceAccount '${key}' of cluster ${describeCluster(this.cluster!)} is rendered twice, by '${first.by}' and by '${by}' (${roles}); ` +
        "a cluster's folder holds each ServiceAccount once, with one role. Render each binding once (one WorkloadChart or WorkloadServiceAccount), " +
        'and remove the duplicate binding.', by);
    }
    this.rendered.set(key, { binding, by });
  }

  /** Pods that run as one of this app's ServiceAccounts from another namespace: Kubernetes would refuse them. */
  private podsOutsideTheirNamespace(): string[] {
    const ours = new Set<kplus.IServiceAccount>(this.serviceAccounts);
    return this.node.root.node.findAll()
      .filter((c): c is kplus.AbstractPod => c instanceof kplus.AbstractPod && c.serviceAccount !== undefined && ours.has(c.serviceAccount))
      .filter(pod => (pod.metadata.namespace ?? 'default') !== (pod.serviceAccount as kplus.ServiceAccount).metadata.namespace)
      .map(pod => {
        const sa = pod.serviceAccount as kplus.ServiceAccount;
        const where = pod.metadata.namespace ? `namespace '${pod.metadata.namespace}'` : "no namespace (so 'default')";
        return `${pod.kind} '${pod.node.path}' runs as ServiceAccount '${sa.metadata.namespace}/${sa.name}' but has ${where}; ` +
          'a pod can only use a ServiceAccount of its own namespace. Create the pod in a WorkloadChart of that binding ' +
          `(its namespace comes from the binding), or set metadata.namespace to '${sa.metadata.namespace}'.`;
      });
  }
}

/** The cluster annotation, unless the name is a CDK token (a cluster created in the app without a literal name). */
export function clusterAnnotation(clusterName: string): { [key: string]: string } {
  return containsCdkToken(clusterName) ? {} : { [CLUSTER_ANNOTATION]: clusterName };
}

/**
 * What is wrong with the app's output type for `kubectl apply -f <folder>`,
 * or undefined. One file per resource is named `<Kind>.<name>`, so
 * `Deployment.*` sorts before `Namespace.*` and `ServiceAccount.*`: the
 * Deployment is refused in a namespace that does not exist yet. In a folder
 * per chart, `kubectl apply -f <folder>` reads no file at all (only `-R` does).
 */
export function outputTypeProblem(app: App): string | undefined {
  const type = app.yamlOutputType;
  if (type !== YamlOutputType.FILE_PER_RESOURCE && type !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) { return undefined; }
  const name = YamlOutputType[type];
  return `The cdk8s app${app.outdir ? ` writing '${app.outdir}'` : ''} has yamlOutputType ${name}: ` +
    (type === YamlOutputType.FILE_PER_RESOURCE
      ? "its files are named '<Kind>.<name>', so kubectl apply -f <folder> applies Deployment.* before Namespace.* and ServiceAccount.*, and the pods' namespace does not exist yet. "
      : "its files are in a folder per chart, which kubectl apply -f <folder> does not read (only -R does), and within a chart Deployment.* comes before ServiceAccount.*. ") +
    'Keep YamlOutputType.FILE_PER_CHART (the default) or FILE_PER_APP: the namespaces chart is then written and applied first.';
}
