import { Construct, IConstruct } from 'constructs';
import {
  ACKNOWLEDGED_RULES_METADATA_KEY, acknowledgementData, checkRuntime, describe, RUNTIME_METADATA_KEY,
} from '../../core/guardrails/acknowledgement';
import { GuardrailFinding, GuardrailLevel } from '../../core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../core/guardrails/workload-runtime';
import { WorkloadBinding } from '../../core/workload-binding';
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
   * ServiceAccounts that exist in the cluster without being defined in this
   * app, as `namespace/name` (e.g. `kube-system/aws-node`).
   *
   * @default - none
   */
  readonly externalServiceAccounts?: string[];
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
    guardrails.externalServiceAccounts.push(...options.externalServiceAccounts ?? []);
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
  private readonly externalServiceAccounts: string[] = [];
  private readonly ownBindings = new Map<IConstruct, WorkloadBinding>();
  private readonly warned = new Set<string>();
  private readonly openFindings = new PerSynthMemo<GuardrailFinding[]>();

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
    const context = new K8sRuleContext(new AppManifests(this.node.root), this.ownBindings, this.bindings, this.externalServiceAccounts);
    return K8S_RULES.flatMap(rule => rule.check(context));
  }

  private validateApp(): string[] {
    const open = this.openFindings.get(() => this._findings().filter(f => f.acknowledgedReason === undefined));
    for (const f of open.filter(w => w.level === GuardrailLevel.WARNING)) {
      const text = `[WARNING] ${format(f)}`;
      // cdk8s validates the whole app once per chart rendered: say it once.
      if (!this.warned.has(text)) {
        this.warned.add(text);
        process.stderr.write(`${text}\n`);
      }
    }
    return open.filter(f => f.level === GuardrailLevel.ERROR).map(format);
  }
}

function format(f: GuardrailFinding): string {
  const rule = RULES_BY_ID.get(f.ruleId)!;
  return `${describe(rule, f.message)} Fix: ${rule.fix} (at ${f.path.replace(/(\/Resource)+$/, '')}; ` +
    `acknowledge with KubernetesGuardrails.acknowledge(construct, '${f.ruleId}', reason))`;
}
