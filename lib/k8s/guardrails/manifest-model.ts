import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BindingCluster, sameCluster } from '../../core/binding-cluster';
import { makeFinding, runtimeIn } from '../../core/guardrails/acknowledgement';
import { GuardrailFinding, GuardrailRule } from '../../core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../core/guardrails/workload-runtime';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { POD_LABELS_OF, POD_SPEC_OF } from '../../core/pod-spec';
import { ROLE_ARN_ANNOTATION } from '../../core/service-account-annotations';
import { WorkloadBinding } from '../../core/workload-binding';
import { subjectPatternAdmits, WorkloadSubjectPattern } from '../../core/workload-subject-pattern';
import { ancestry } from './construct-scopes';

/**
 * What the rules read of one rendered Kubernetes object, and the construct it
 * came from. The rendered object itself is not kept: an app's objects are
 * rendered one at a time and only these facts stay for the evaluation, so
 * the evaluation never holds every rendered object of the app at once (a
 * Deployment's image, ports, probes and volumes are not kept). A rule that
 * needs another field of an object adds it here and in `manifestOf`.
 */
export interface Manifest {
  readonly construct: ApiObject;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `Kind 'namespace/name'`, for messages. */
  readonly display: string;
  /** A ServiceAccount's `eks.amazonaws.com/role-arn` annotation, as rendered. */
  readonly roleArnAnnotation?: string;
  /** A ServiceAccount's `automountServiceAccountToken`, as rendered (absent: Kubernetes mounts it). */
  readonly automountServiceAccountToken?: unknown;
  /** A Secret's or ConfigMap's entries (`data`, decoded for a Secret, then `stringData`), as rendered; none for other kinds. */
  readonly entries: readonly (readonly [string, string])[];
}

/** A pod template inside a workload object. */
export interface PodTemplate {
  readonly manifest: Manifest;
  /** The parts of the pod spec the rules read (see `PodSpecFacts`). */
  readonly spec: PodSpecFacts;
  readonly serviceAccountName: string;
  /** The labels of the pods it makes (a Fargate profile selects pods by them). */
  readonly labels: { readonly [key: string]: string };
}

/** The fields of a rendered pod spec the rules read, as rendered; the rest of the spec (images, volumes, probes...) is not kept. */
export interface PodSpecFacts {
  readonly containers?: readonly ContainerFacts[];
  readonly initContainers?: readonly ContainerFacts[];
  readonly ephemeralContainers?: readonly ContainerFacts[];
  readonly hostNetwork?: unknown;
  /** The pod's OS (PodOS: `name` linux or windows); the kubelet admits the pod only on a node of that OS. */
  readonly os?: { readonly name?: unknown };
  readonly nodeSelector?: any;
  readonly affinity?: { readonly nodeAffinity?: { readonly requiredDuringSchedulingIgnoredDuringExecution?: any } };
}

/** The fields of a rendered container the rules read, as rendered. */
export interface ContainerFacts {
  readonly name?: string;
  readonly env?: any[];
  readonly envFrom?: any[];
}

const NO_ENTRIES: readonly (readonly [string, string])[] = Object.freeze([]);

/** The kinds the rules read: pod templates, ServiceAccounts, and the objects keys may hide in. */
const INSPECTED_KINDS = new Set(['ServiceAccount', 'Secret', 'ConfigMap', ...Object.keys(POD_SPEC_OF)]);

/** The objects of a cdk8s app that the rules read, each rendered once, reduced to what the rules read, and indexed. */
export class AppManifests {
  private readonly manifests: Manifest[] = [];
  private readonly podTemplates: PodTemplate[] = [];
  private readonly byKey = new Lookup<Manifest>();
  private readonly charts = new Map<Manifest, IConstruct | undefined>();
  private readonly serviceAccountNamespaces = new Map<string, string[]>();

  constructor(root: IConstruct) {
    for (const c of root.node.findAll()) {
      // Other kinds (Services, Roles, CRDs...) are never read: not rendered.
      if (c instanceof ApiObject && INSPECTED_KINDS.has(c.kind)) {
        // The rendered object goes out of scope here: only its facts are kept.
        const m = manifestOf(c, this.podTemplates);
        this.manifests.push(m);
        // The first match wins, as a search from the start would.
        this.byKey.add(m.kind, m.namespace, m.name, m);
        if (m.kind === 'ServiceAccount') {
          const namespaces = this.serviceAccountNamespaces.get(m.name);
          if (!namespaces) {
            this.serviceAccountNamespaces.set(m.name, [m.namespace]);
          } else if (!namespaces.includes(m.namespace)) {
            namespaces.push(m.namespace);
          }
        }
      }
    }
  }

  /** Every object the rules read, in construct tree order. */
  public all(): Manifest[] {
    return [...this.manifests];
  }

  /** Every object the rules read, in construct tree order, not copied: do not modify it. */
  public get list(): readonly Manifest[] {
    return this.manifests;
  }

  /** Every pod template of those objects, in construct tree order. */
  public pods(): PodTemplate[] {
    return [...this.podTemplates];
  }

  /** The object of `kind` named `name` in `namespace`, anywhere in the app. */
  public find(kind: string, namespace: string, name: string, near?: Manifest): Manifest | undefined {
    const all = this.byKey.get(kind, namespace, name);
    if (!all || all.length === 0) { return undefined; }
    // An app may render several clusters (one chart each): the object of the chart at hand wins.
    const chart = near && all.length > 1 ? this.chartOf(near) : undefined;
    return (chart && all.find(m => this.chartOf(m) === chart)) || all[0];
  }

  private chartOf(m: Manifest): IConstruct | undefined {
    if (!this.charts.has(m)) {
      let chart: IConstruct | undefined;
      try { chart = Chart.of(m.construct); } catch { chart = undefined; }
      this.charts.set(m, chart);
    }
    return this.charts.get(m);
  }

  /** The namespaces in which the app defines a ServiceAccount named `name`. */
  public namespacesDefining(name: string): string[] {
    return [...this.serviceAccountNamespaces.get(name) ?? []];
  }

  /** Every object of `kind` named `name` in `namespace`, in construct tree order. */
  public findAll(kind: string, namespace: string, name: string): Manifest[] {
    return [...this.byKey.get(kind, namespace, name) ?? NONE];
  }

  /** How many objects of `kind` are named `name` in `namespace`, and the first (no list copied: one lookup per WorkloadServiceAccount). */
  public lookup(kind: string, namespace: string, name: string): readonly Manifest[] {
    return this.byKey.get(kind, namespace, name) ?? NONE;
  }
}

/** What Kubernetes rules see: every object of the app, and the declared bindings. */
export class K8sRuleContext {
  public readonly manifests: Manifest[];
  // Indexes built once: rules look objects and bindings up per pod and per ServiceAccount.
  private readonly byKind = new Map<string, Manifest[]>();
  private readonly bindingsByKey = new Lookup2<WorkloadBinding>();

  /**
   * `ownBindings`: the binding each WorkloadServiceAccount was rendered
   * from, by that construct; `bindings`: bindings declared to the guardrails.
   */
  /**
   * `cluster`: the cluster the app renders, when known (its
   * WorkloadServiceAccounts', or the guardrails' clusterName option); declared
   * bindings of other clusters back nothing here.
   */
  constructor(private readonly app: AppManifests, private readonly ownBindings: ReadonlyMap<IConstruct, WorkloadBinding>,
    bindings: readonly WorkloadBinding[], public readonly externalServiceAccounts: readonly string[], public readonly cluster?: BindingCluster,
    private readonly subjectPatterns: readonly WorkloadSubjectPattern[] = []) {
    this.manifests = app.all();
    for (const m of app.list) {
      const list = this.byKind.get(m.kind);
      if (list) { list.push(m); } else { this.byKind.set(m.kind, [m]); }
    }
    for (const b of bindings) { this.bindingsByKey.add(b.namespace, b.serviceAccountName, b); }
  }

  public ofKind(...kinds: string[]): Manifest[] {
    if (kinds.length === 1) { return [...this.byKind.get(kinds[0]) ?? []]; }
    return this.manifests.filter(m => kinds.includes(m.kind));
  }

  public get pods(): PodTemplate[] {
    return this.app.pods();
  }

  /** The object of `kind` named `name` in `namespace`, anywhere in the app. */
  /** The object of `kind` named `name` in `namespace`, in the chart of `near` if it has one, else anywhere in the app. */
  public find(kind: string, namespace: string, name: string, near?: Manifest): Manifest | undefined {
    return this.app.find(kind, namespace, name, near);
  }

  /** The namespaces in which the app defines a ServiceAccount named `name`. */
  public namespacesDefining(name: string): string[] {
    return this.app.namespacesDefining(name);
  }

  /**
   * The bindings behind a ServiceAccount object: its WorkloadServiceAccount's,
   * else every declared one with its namespace and name (one per cluster).
   */
  public bindingsOf(sa: Manifest): WorkloadBinding[] {
    const owned = sa.construct.node.scope ? this.ownBindings.get(sa.construct.node.scope) : undefined;
    return owned ? [owned] : this.declaredBindings(sa.namespace, sa.name);
  }

  /**
   * The declared bindings of `namespace/name` for the app's cluster. When the
   * app's cluster is unknown, only bindings that all name one cluster count:
   * a binding of another cluster backs nothing in this one.
   */
  public declaredBindings(namespace: string, name: string): WorkloadBinding[] {
    const all = this.bindingsByKey.get(namespace, name) ?? [];
    if (all.length === 0) { return []; }
    if (this.cluster) { return all.filter(b => sameCluster(b, this.cluster!)); }
    return all.every(b => sameCluster(b, all[0])) ? all : [];
  }

  /**
   * The declared subject patterns of the app's cluster that admit
   * `namespace/name` (the cluster unknown: only when the matching patterns
   * all name one cluster), as declaredBindings.
   */
  public declaredPatterns(namespace: string, name: string): WorkloadSubjectPattern[] {
    const all = this.subjectPatterns.filter(p => subjectPatternAdmits(p.subjectPattern, namespace, name));
    if (this.cluster) { return all.filter(p => sameCluster(p, this.cluster!)); }
    return all.every(p => sameCluster(p, all[0])) ? all : [];
  }

  /** Declared bindings of `namespace/name` that are not for the app's cluster (or, the cluster unknown, span several). */
  public otherClustersBindings(namespace: string, name: string): WorkloadBinding[] {
    const mine = this.declaredBindings(namespace, name);
    return (this.bindingsByKey.get(namespace, name) ?? []).filter(b => !mine.includes(b));
  }

  /** Whether the pod's ServiceAccount (in its chart if there, else in the app, else declared) uses Pod Identity. */
  public usesPodIdentity(pod: PodTemplate): boolean {
    return this.podIdentityBindings(pod).length > 0;
  }

  /** The bindings of the pod's ServiceAccount (in its chart if there, else in the app, else declared) that use Pod Identity. */
  public podIdentityBindings(pod: PodTemplate): WorkloadBinding[] {
    const sa = this.find('ServiceAccount', pod.manifest.namespace, pod.serviceAccountName, pod.manifest);
    const bindings = sa ? this.bindingsOf(sa) : this.declaredBindings(pod.manifest.namespace, pod.serviceAccountName);
    return bindings.filter(b => b.mechanism === IdentityMechanism.POD_IDENTITY || b.mechanism === IdentityMechanism.BOTH);
  }

  public roleArnAnnotation(m: Manifest): string | undefined {
    return m.roleArnAnnotation;
  }

  /** The runtime marked on the object's construct or a scope of it. */
  public runtimeOf(m: Manifest): WorkloadRuntime | undefined {
    return runtimeIn(ancestry(m.construct));
  }

  public finding(rule: GuardrailRule, message: string, m: Manifest): GuardrailFinding {
    return makeFinding(rule, message, ancestry(m.construct), m.construct.node.path);
  }
}

/** Renders `construct` once and keeps what the rules read of it: its facts, and (added to `pods`) its pod template's if it has one. */
function manifestOf(construct: ApiObject, pods: PodTemplate[]): Manifest {
  const json = construct.toJson();
  const kind: string = json.kind;
  const namespace = json.metadata?.namespace ?? 'default';
  const name = json.metadata?.name ?? construct.name;
  const manifest = kind === 'ServiceAccount'
    ? new ServiceAccountFacts(construct, kind, namespace, name, json.metadata?.annotations?.[ROLE_ARN_ANNOTATION], json.automountServiceAccountToken)
    : new ObjectFacts(construct, kind, namespace, name, kind === 'Secret' || kind === 'ConfigMap' ? entriesOf(kind, json) : NO_ENTRIES);
  const spec = POD_SPEC_OF[kind]?.(json);
  if (spec) {
    pods.push({
      manifest,
      spec: {
        containers: containersFacts(spec.containers),
        initContainers: containersFacts(spec.initContainers),
        ephemeralContainers: containersFacts(spec.ephemeralContainers),
        hostNetwork: spec.hostNetwork,
        os: spec.os,
        nodeSelector: spec.nodeSelector,
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution } },
      },
      serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
      labels: POD_LABELS_OF[kind](json) ?? {},
    });
  }
  return manifest;
}

/** The facts of an object other than a ServiceAccount (one class per shape: built once per object of the app). */
class ObjectFacts implements Manifest {
  constructor(public readonly construct: ApiObject, public readonly kind: string, public readonly namespace: string, public readonly name: string,
    public readonly entries: readonly (readonly [string, string])[]) {}

  /** For messages only: made when one is written. */
  public get display(): string {
    return `${this.kind} '${this.namespace}/${this.name}'`;
  }
}

/** The facts of a ServiceAccount. */
class ServiceAccountFacts implements Manifest {
  public readonly entries = NO_ENTRIES;

  constructor(public readonly construct: ApiObject, public readonly kind: string, public readonly namespace: string, public readonly name: string,
    public readonly roleArnAnnotation: string | undefined, public readonly automountServiceAccountToken: unknown) {}

  public get display(): string {
    return `${this.kind} '${this.namespace}/${this.name}'`;
  }
}

/** The facts of a list of containers (anything else as rendered, for `containersOf` to read as before). */
function containersFacts(containers: any): any {
  return Array.isArray(containers) ? containers.map((c): ContainerFacts => ({ name: c.name, env: c.env, envFrom: c.envFrom })) : containers;
}

/** The data keys and decoded values of a rendered Secret or ConfigMap, then its stringData. */
function entriesOf(kind: string, json: any): [string, string][] {
  const decoded = Object.entries<any>(json.data ?? {}).map(([k, v]): [string, string] =>
    [k, kind === 'Secret' ? Buffer.from(String(v), 'base64').toString('utf-8') : String(v)]);
  return [...decoded, ...Object.entries<any>(json.stringData ?? {}).map(([k, v]): [string, string] => [k, String(v)])];
}

const NONE: readonly Manifest[] = Object.freeze([]);

/** Lists of values by three keys, compared as `===` does (nested maps, no string joining). */
class Lookup<T> {
  private readonly root = new Map<unknown, Map<unknown, Map<unknown, T[]>>>();

  /** Adds `value` to those of the keys, in order. */
  public add(a: unknown, b: unknown, c: unknown, value: T): void {
    let byB = this.root.get(a);
    if (!byB) { this.root.set(a, byB = new Map()); }
    let byC = byB.get(b);
    if (!byC) { byB.set(b, byC = new Map()); }
    const values = byC.get(c);
    if (values) { values.push(value); } else { byC.set(c, [value]); }
  }

  public get(a: unknown, b: unknown, c: unknown): T[] | undefined {
    return this.root.get(a)?.get(b)?.get(c);
  }
}

/** Lists of values by two keys, compared as `===` does. */
class Lookup2<T> {
  private readonly root = new Map<unknown, Map<unknown, T[]>>();

  public add(a: unknown, b: unknown, value: T): void {
    let byB = this.root.get(a);
    if (!byB) { this.root.set(a, byB = new Map()); }
    const values = byB.get(b);
    if (values) { values.push(value); } else { byB.set(b, [value]); }
  }

  public get(a: unknown, b: unknown): T[] | undefined {
    return this.root.get(a)?.get(b);
  }
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function containersOf(spec: PodSpecFacts): ContainerFacts[] {
  return [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []];
}
