import { Construct, IConstruct } from 'constructs';
import {
  ACKNOWLEDGED_RULES_METADATA_KEY, acknowledgementData, checkRuntime, describe, RUNTIME_METADATA_KEY,
} from '../../core/guardrails/acknowledgement';
import { GuardrailFinding, GuardrailLevel } from '../../core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../core/guardrails/workload-runtime';
import { BindingCluster, describeCluster, describeRole, sameCluster, sameIdentity } from '../../core/binding-cluster';
import { validateClusterArn, validateClusterName } from '../../core/validation';
import { atConstruct, WorkloadIdentityError } from '../../core/validation-error';
import { WorkloadBinding } from '../../core/workload-binding';
import { WorkloadBindingFile } from '../../core/workload-binding-file';
import { WorkloadSubjectPattern } from '../../core/workload-subject-pattern';
import { PerSynthMemo } from '../per-synth-memo';
import { AppManifests, K8sRuleContext } from './manifest-model';
import { K8S_RULES } from './rules';

/** Options of `KubernetesGuardrails`. */
export interface KubernetesGuardrailsOptions {
  /**
   * Declared identities whose ServiceAccounts this app renders by other means
   * (e.g. `WorkloadBindingFile.readFile(...)` in a cdk8s-only repository): they
   * back role ARN annotations and mark Pod Identity ServiceAccounts.
   * `WorkloadServiceAccount`s need not be listed.
   *
   * @default - only the bindings of the app's WorkloadServiceAccounts
   */
  readonly bindings?: WorkloadBinding[];

  /**
   * Declared subject patterns (`WorkloadBindingFile.readDocument(file).subjectPatterns`):
   * an IRSA pattern of the app's cluster backs the role ARN annotation of a
   * ServiceAccount it matches, with its role, however the ServiceAccount is
   * rendered. `WorkloadServiceAccount`s bound with `bindPatternMatch` need no pattern listed.
   *
   * @default - none
   */
  readonly subjectPatterns?: WorkloadSubjectPattern[];

  /**
   * ServiceAccounts that exist in the cluster without being defined in this
   * app, as `namespace/name` (e.g. `kube-system/aws-node`).
   *
   * @default - none
   */
  readonly externalServiceAccounts?: string[];

  /**
   * The cluster this app renders, when the declared `bindings` hold several:
   * only bindings of this cluster back its ServiceAccounts.
   *
   * @default - the cluster of the app's WorkloadServiceAccounts; without any, the one cluster the matching bindings name
   */
  readonly clusterName?: string;

  /**
   * The ARN of the cluster this app renders: tells apart clusters of one name in several accounts or regions.
   *
   * @default - any ARN of the cluster named by clusterName
   */
  readonly clusterArn?: string;
}

const ID = 'KubernetesGuardrails';
const RULES_BY_ID = new Map(K8S_RULES.map(r => [r.id, r]));

/**
 * The guardrails of the Kubernetes side, as a validation cdk8s runs on synth
 * (and on `chart.toJson()`), over every chart of the app: refuses static AWS
 * keys in containers, Secrets and ConfigMaps, pods on `default` or on a
 * ServiceAccount their namespace does not define, role ARN annotations no
 * identity backs, Pod Identity on pods that cannot use it, and warns about
 * ServiceAccounts without AWS identity that mount their token.
 *
 * One per app, held as a construct at the app's root. On by default in apps
 * with a `WorkloadServiceAccount`; for any other app:
 * `KubernetesGuardrails.of(app)`. Acknowledge a finding with
 * `KubernetesGuardrails.acknowledge(construct, 'WI-K8S-n', reason)`.
 */
export class KubernetesGuardrails extends Construct {
  /**
   * The guardrails of the app of `scope`, added on first call. Options of
   * later calls are added to those of earlier ones.
   */
  public static of(scope: IConstruct, options: KubernetesGuardrailsOptions = {}): KubernetesGuardrails {
    const root = scope.node.root;
    const existing = root.node.tryFindChild(ID);
    const guardrails = existing instanceof KubernetesGuardrails ? existing : new KubernetesGuardrails(root);
    guardrails.bindings.push(...options.bindings ?? []);
    if (options.subjectPatterns !== undefined) {
      atConstruct(guardrails.node.path, () => options.subjectPatterns!.forEach(p => WorkloadBindingFile.validateSubjectPattern(p)));
      guardrails.subjectPatterns.push(...options.subjectPatterns);
    }
    guardrails.externalServiceAccounts.push(...options.externalServiceAccounts ?? []);
    if (options.clusterName !== undefined || options.clusterArn !== undefined) {
      atConstruct(guardrails.node.path, () => {
        if (options.clusterName !== undefined) { validateClusterName(options.clusterName); }
        if (options.clusterArn !== undefined) { validateClusterArn(options.clusterArn, options.clusterName); }
      });
      const clusterName = options.clusterName ?? options.clusterArn!.slice(options.clusterArn!.indexOf(':cluster/') + ':cluster/'.length);
      const cluster = { clusterName, clusterArn: options.clusterArn };
      if (guardrails.cluster && !sameCluster(guardrails.cluster, cluster)) {
        throw new WorkloadIdentityError(
          `KubernetesGuardrails of '${root.node.path || 'the app'}' were told cluster ${describeCluster(guardrails.cluster)} and then cluster ${describeCluster(cluster)}; ` +
          'one app renders one cluster. Pass one clusterName (and clusterArn), with one cdk8s.App per cluster.', root.node.path);
      }
      guardrails.cluster = { ...guardrails.cluster, ...cluster, clusterArn: cluster.clusterArn ?? guardrails.cluster?.clusterArn };
    }
    return guardrails;
  }

  /**
   * Acknowledges a Kubernetes guardrail rule for this construct and
   * everything below it, with the reason it is acceptable here.
   *
   * @param ruleId the rule, e.g. 'WI-K8S-3'
   * @param reason why it is acceptable here; must not be empty
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    construct.node.addMetadata(ACKNOWLEDGED_RULES_METADATA_KEY, acknowledgementData(K8S_RULES, ruleId, reason, construct.node.path));
  }

  /**
   * Marks where the pods of this construct's workloads run (a Deployment, a
   * chart), so the guardrails refuse Pod Identity where it does not exist.
   * The nearest mark up the construct tree wins.
   */
  public static markRuntime(construct: IConstruct, runtime: WorkloadRuntime): void {
    checkRuntime(runtime, construct.node.path);
    construct.node.addMetadata(RUNTIME_METADATA_KEY, runtime);
  }

  /**
   * Turns the guardrails on for the app of `serviceAccount`, which was
   * rendered from `binding`.
   *
   * @internal
   */
  public static _register(serviceAccount: IConstruct, binding: WorkloadBinding): void {
    KubernetesGuardrails.of(serviceAccount).ownBindings.set(serviceAccount, binding);
  }

  private readonly bindings: WorkloadBinding[] = [];
  private readonly subjectPatterns: WorkloadSubjectPattern[] = [];
  private readonly externalServiceAccounts: string[] = [];
  private readonly ownBindings = new Map<IConstruct, WorkloadBinding>();
  private readonly warned = new Set<string>();
  private readonly openFindings = new PerSynthMemo<{ readonly open: GuardrailFinding[]; readonly conflicts: string[] }>();
  private cluster?: BindingCluster;

  private constructor(root: IConstruct) {
    super(root, ID);
    // cdk8s validates every construct of the app once per validation pass (once
    // per synth, and again before each chart it renders): one validation here
    // reads the whole app, and the first pass of a synth reads it for all.
    this.node.addValidation({ validate: () => this.validateApp() });
  }

  /**
   * Every finding of the app, acknowledged ones included (with their reason).
   *
   * @internal
   */
  public _findings(): GuardrailFinding[] {
    return this.evaluate().findings;
  }

  /** The rules' findings, and what no acknowledgement can excuse: one ServiceAccount written twice, or with two roles. */
  private evaluate(): { findings: GuardrailFinding[]; conflicts: string[] } {
    const manifests = new AppManifests(this.node.root);
    const cluster = this.cluster ?? this.ownBindings.values().next().value;
    const context = new K8sRuleContext(manifests, this.ownBindings, this.bindings, this.externalServiceAccounts, cluster, this.subjectPatterns);
    return {
      findings: K8S_RULES.flatMap(rule => rule.check(context)),
      conflicts: [...this.clusterConflicts(), ...this.roleConflicts(context), ...this.serviceAccountsWrittenTwice(manifests)],
    };
  }

  /** WorkloadServiceAccounts of another cluster than the one the guardrails were told. */
  private clusterConflicts(): string[] {
    let other: WorkloadBinding | undefined;
    if (this.cluster) {
      for (const b of this.ownBindings.values()) {
        if (!sameCluster(b, this.cluster)) { other = b; break; }
      }
    }
    return other ? [`This app renders ServiceAccounts of cluster ${describeCluster(other)} ('${other.namespace}/${other.serviceAccountName}'), ` +
      `but its KubernetesGuardrails were told cluster ${describeCluster(this.cluster!)}. One app renders one cluster: correct clusterName/clusterArn, or move the ServiceAccount to its cluster's app.`] : [];
  }

  /** One ServiceAccount of the app's cluster with two roles, across the app's own and declared bindings. */
  private roleConflicts(context: K8sRuleContext): string[] {
    const byKey = new Map<string, WorkloadBinding>();
    const conflicts: string[] = [];
    const own = new Set(this.ownBindings.values());
    for (const b of [...own, ...this.bindings]) {
      const key = `${b.namespace}/${b.serviceAccountName}`;
      // Declared bindings of other clusters are not this folder's.
      if (!own.has(b) && !context.declaredBindings(b.namespace, b.serviceAccountName).includes(b)) { continue; }
      const first = byKey.get(key);
      if (!first) { byKey.set(key, b); continue; }
      if (!sameIdentity(first, b)) {
        conflicts.push(`ServiceAccount '${key}' of cluster ${describeCluster(first.clusterArn !== undefined ? first : b)} has two bindings with different identities, ` +
          `${describeRole(first)} and ${describeRole(b)}; a ServiceAccount has one role. Remove the binding that is not what the CDK app declares ` +
          '(passed to KubernetesGuardrails, or read from a merged or edited bindings file).');
      }
    }
    return conflicts;
  }

  /** Another ServiceAccount object of the same namespace and name as a WorkloadServiceAccount: `kubectl apply` keeps the last one. */
  private serviceAccountsWrittenTwice(manifests: AppManifests): string[] {
    const found: string[] = [];
    for (const [construct, b] of this.ownBindings) {
      const objects = manifests.lookup('ServiceAccount', b.namespace, b.serviceAccountName);
      // Mostly the WorkloadServiceAccount's own object alone: nothing to list.
      if (objects.length === 1 && objects[0].construct.node.scope === construct) { continue; }
      const others = objects.filter(m => m.construct.node.scope !== construct);
      if (others.length > 0) {
        found.push(`ServiceAccount '${b.namespace}/${b.serviceAccountName}' is written twice in this cluster's folder: by the WorkloadServiceAccount '${construct.node.path}' ` +
          `(${describeRole(b)}) and by ${others.map(m => `'${m.construct.node.path}'`).join(', ')}; kubectl apply keeps whichever comes last, with its annotations. ` +
          'Remove the other object, and run pods as the WorkloadServiceAccount.');
      }
    }
    return found;
  }

  private validateApp(): string[] {
    const { open, conflicts } = this.openFindings.get(() => {
      const { findings, conflicts: found } = this.evaluate();
      return { open: findings.filter(f => f.acknowledgedReason === undefined), conflicts: found };
    });
    for (const f of open.filter(w => w.level === GuardrailLevel.WARNING)) {
      const text = `[WARNING] ${format(f)}`;
      // cdk8s validates the whole app once per chart rendered: say it once.
      if (!this.warned.has(text)) {
        this.warned.add(text);
        process.stderr.write(`${text}\n`);
      }
    }
    return [...conflicts, ...open.filter(f => f.level === GuardrailLevel.ERROR).map(format)];
  }
}

function format(f: GuardrailFinding): string {
  const rule = RULES_BY_ID.get(f.ruleId)!;
  return `${describe(rule, f.message)} Fix: ${rule.fix} (at ${f.path.replace(/(\/Resource)+$/, '')}; ` +
    `acknowledge with KubernetesGuardrails.acknowledge(construct, '${f.ruleId}', reason))`;
}
