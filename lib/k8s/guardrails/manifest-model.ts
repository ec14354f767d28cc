import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GuardrailFinding, GuardrailRule } from '../../core/guardrails/guardrail-level';
import { makeFinding } from '../../core/guardrails/finding';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { ROLE_ARN_ANNOTATION } from '../../core/service-account-annotations';
import { WorkloadBinding } from '../../core/workload-binding';

/** The environment variables that carry static AWS credentials. */
export const AWS_KEY_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
/** Access key ids: AKIA (long-term) or ASIA (temporary) and 16 more characters. */
export const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z2-7]{16}\b/;

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

/** What Kubernetes rules see: the objects in scope, the whole app's ServiceAccounts, the declared bindings. */
export class K8sRuleContext {
  public readonly manifests: Manifest[];
  /** Every object of the cdk8s app, to resolve references across charts. */
  public readonly appManifests: Manifest[];

  constructor(scope: IConstruct, public readonly bindings: WorkloadBinding[], public readonly externalServiceAccounts: string[]) {
    this.appManifests = manifestsUnder(scope.node.root);
    const inScope = new Set(scope.node.findAll());
    this.manifests = this.appManifests.filter(m => inScope.has(m.construct));
  }

  public ofKind(...kinds: string[]): Manifest[] {
    return this.manifests.filter(m => kinds.includes(m.kind));
  }

  public get pods(): PodTemplate[] {
    return this.manifests.filter(m => POD_SPECS[m.kind]).flatMap(m => {
      const spec = POD_SPECS[m.kind](m.json);
      return spec ? [{ manifest: m, spec, serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount ?? 'default' }] : [];
    });
  }

  /** The object of `kind` named `name` in `namespace`, anywhere in the app. */
  public find(kind: string, namespace: string, name: string): Manifest | undefined {
    return this.appManifests.find(m => m.kind === kind && m.namespace === namespace && m.name === name);
  }

  /**
   * The binding behind a ServiceAccount: its WorkloadServiceAccount's, or a
   * declared one with the same namespace and name.
   */
  public bindingOf(namespace: string, name: string): WorkloadBinding | undefined {
    const sa = this.find('ServiceAccount', namespace, name);
    const owned = (sa?.construct.node.scope as any)?.binding as WorkloadBinding | undefined;
    return owned ?? this.bindings.find(b => b.namespace === namespace && b.serviceAccountName === name);
  }

  public usesPodIdentity(namespace: string, name: string): boolean {
    const mechanism = this.bindingOf(namespace, name)?.mechanism;
    return mechanism === IdentityMechanism.POD_IDENTITY || mechanism === IdentityMechanism.BOTH;
  }

  public roleArnAnnotation(m: Manifest): string | undefined {
    return m.json.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  }

  public finding(rule: GuardrailRule, message: string, m: Manifest): GuardrailFinding {
    return makeFinding(rule, message, m.construct);
  }
}

function manifestsUnder(root: IConstruct): Manifest[] {
  return root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(construct => {
    const json = construct.toJson();
    const namespace = json.metadata?.namespace ?? 'default';
    const name = json.metadata?.name ?? construct.name;
    return { json, construct, kind: json.kind, namespace, name, display: `${json.kind} '${namespace}/${name}'` };
  });
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function containersOf(spec: any): any[] {
  return [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []];
}

/** The data keys and decoded values of a Secret or ConfigMap. */
export function entriesOf(m: Manifest): [string, string][] {
  const decoded = Object.entries<any>(m.json.data ?? {}).map(([k, v]): [string, string] =>
    [k, m.kind === 'Secret' ? Buffer.from(String(v), 'base64').toString('utf-8') : String(v)]);
  return [...decoded, ...Object.entries<any>(m.json.stringData ?? {}).map(([k, v]): [string, string] => [k, String(v)])];
}
