import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { makeFinding, runtimeIn } from '../../core/guardrails/acknowledgement';
import { GuardrailFinding, GuardrailRule } from '../../core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../core/guardrails/workload-runtime';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { ROLE_ARN_ANNOTATION } from '../../core/service-account-annotations';
import { WorkloadBinding } from '../../core/workload-binding';
import { ancestry } from './construct-scopes';

/** One rendered Kubernetes object and the construct it came from. */
export interface Manifest {
  readonly json: any;
  readonly construct: ApiObject;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `Kind 'namespace/name'`, for messages. */
  readonly display: string;
}

/** A pod template inside a workload object. */
export interface PodTemplate {
  readonly manifest: Manifest;
  readonly spec: any;
  readonly serviceAccountName: string;
}

const POD_SPECS: { [kind: string]: (o: any) => any } = {
  Pod: o => o.spec,
  Deployment: o => o.spec?.template?.spec,
  StatefulSet: o => o.spec?.template?.spec,
  DaemonSet: o => o.spec?.template?.spec,
  ReplicaSet: o => o.spec?.template?.spec,
  ReplicationController: o => o.spec?.template?.spec,
  Job: o => o.spec?.template?.spec,
  CronJob: o => o.spec?.jobTemplate?.spec?.template?.spec,
};

/** The kinds the rules read: pod templates, ServiceAccounts, and the objects keys may hide in. */
const INSPECTED_KINDS = new Set(['ServiceAccount', 'Secret', 'ConfigMap', ...Object.keys(POD_SPECS)]);

/** The objects of a cdk8s app that the rules read, each rendered once and indexed. */
export class AppManifests {
  private readonly byConstruct = new Map<IConstruct, Manifest>();
  private readonly byKey = new Lookup<Manifest>();
  private readonly serviceAccountNamespaces = new Map<string, string[]>();

  constructor(root: IConstruct) {
    for (const c of root.node.findAll()) {
      // Other kinds (Services, Roles, CRDs...) are never read: not rendered.
      if (c instanceof ApiObject && INSPECTED_KINDS.has(c.kind)) {
        const m = manifestOf(c);
        this.byConstruct.set(c, m);
        // The first match wins, as a search from the start would.
        this.byKey.addFirst([m.kind, m.namespace, m.name], m);
        if (m.kind === 'ServiceAccount') {
          const namespaces = this.serviceAccountNamespaces.get(m.name) ?? [];
          if (!namespaces.includes(m.namespace)) { namespaces.push(m.namespace); }
          this.serviceAccountNamespaces.set(m.name, namespaces);
        }
      }
    }
  }

  /** Every object the rules read, in construct tree order. */
  public all(): Manifest[] {
    return [...this.byConstruct.values()];
  }

  /** The object of `kind` named `name` in `namespace`, anywhere in the app. */
  public find(kind: string, namespace: string, name: string): Manifest | undefined {
    return this.byKey.get([kind, namespace, name]);
  }

  /** The namespaces in which the app defines a ServiceAccount named `name`. */
  public namespacesDefining(name: string): string[] {
    return [...this.serviceAccountNamespaces.get(name) ?? []];
  }
}

/** What Kubernetes rules see: every object of the app, and the declared bindings. */
export class K8sRuleContext {
  public readonly manifests: Manifest[];
  // Indexes built once: rules look objects and bindings up per pod and per ServiceAccount.
  private readonly byKind = new Map<string, Manifest[]>();
  private readonly bindingsByKey = new Lookup<WorkloadBinding>();
  private podTemplates?: PodTemplate[];

  /**
   * `ownBindings`: the binding each WorkloadServiceAccount was rendered
   * from, by that construct; `bindings`: bindings declared to the guardrails.
   */
  constructor(private readonly app: AppManifests, private readonly ownBindings: ReadonlyMap<IConstruct, WorkloadBinding>,
    bindings: readonly WorkloadBinding[], public readonly externalServiceAccounts: readonly string[]) {
    this.manifests = app.all();
    for (const m of this.manifests) {
      const list = this.byKind.get(m.kind);
      if (list) { list.push(m); } else { this.byKind.set(m.kind, [m]); }
    }
    for (const b of bindings) { this.bindingsByKey.addFirst([b.namespace, b.serviceAccountName], b); }
  }

  public ofKind(...kinds: string[]): Manifest[] {
    if (kinds.length === 1) { return [...this.byKind.get(kinds[0]) ?? []]; }
    return this.manifests.filter(m => kinds.includes(m.kind));
  }

  public get pods(): PodTemplate[] {
    this.podTemplates ??= this.manifests.filter(m => POD_SPECS[m.kind]).flatMap(m => {
      const spec = POD_SPECS[m.kind](m.json);
      return spec ? [{ manifest: m, spec, serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount ?? 'default' }] : [];
    });
    return [...this.podTemplates];
  }

  /** The object of `kind` named `name` in `namespace`, anywhere in the app. */
  public find(kind: string, namespace: string, name: string): Manifest | undefined {
    return this.app.find(kind, namespace, name);
  }

  /** The namespaces in which the app defines a ServiceAccount named `name`. */
  public namespacesDefining(name: string): string[] {
    return this.app.namespacesDefining(name);
  }

  /**
   * The binding behind a ServiceAccount: its WorkloadServiceAccount's, or a
   * declared one with the same namespace and name.
   */
  public bindingOf(namespace: string, name: string): WorkloadBinding | undefined {
    const sa = this.find('ServiceAccount', namespace, name);
    const owned = sa?.construct.node.scope ? this.ownBindings.get(sa.construct.node.scope) : undefined;
    return owned ?? this.bindingsByKey.get([namespace, name]);
  }

  public usesPodIdentity(namespace: string, name: string): boolean {
    const mechanism = this.bindingOf(namespace, name)?.mechanism;
    return mechanism === IdentityMechanism.POD_IDENTITY || mechanism === IdentityMechanism.BOTH;
  }

  public roleArnAnnotation(m: Manifest): string | undefined {
    return m.json.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  }

  /** The runtime marked on the object's construct or a scope of it. */
  public runtimeOf(m: Manifest): WorkloadRuntime | undefined {
    return runtimeIn(ancestry(m.construct));
  }

  public finding(rule: GuardrailRule, message: string, m: Manifest): GuardrailFinding {
    return makeFinding(rule, message, ancestry(m.construct), m.construct.node.path);
  }
}

function manifestOf(construct: ApiObject): Manifest {
  const json = construct.toJson();
  const namespace = json.metadata?.namespace ?? 'default';
  const name = json.metadata?.name ?? construct.name;
  return { json, construct, kind: json.kind, namespace, name, display: `${json.kind} '${namespace}/${name}'` };
}

/** Values by a tuple of keys, compared as `===` does (nested maps, no string joining). */
class Lookup<T> {
  private readonly root = new Map<unknown, any>();

  /** Records `value` unless the keys already have one: the first wins, as a search from the start would. */
  public addFirst(keys: unknown[], value: T): void {
    let map = this.root;
    for (const k of keys.slice(0, -1)) {
      let next = map.get(k);
      if (!next) {
        next = new Map();
        map.set(k, next);
      }
      map = next;
    }
    const last = keys[keys.length - 1];
    if (!map.has(last)) { map.set(last, value); }
  }

  public get(keys: unknown[]): T | undefined {
    let value: any = this.root;
    for (const k of keys) {
      value = value.get(k);
      if (value === undefined) { return undefined; }
    }
    return value;
  }
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function containersOf(spec: any): any[] {
  return [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []];
}
