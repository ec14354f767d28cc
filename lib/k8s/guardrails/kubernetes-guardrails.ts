import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GuardrailFinding, GuardrailLevel } from '../../core/guardrails/guardrail-level';
import { ALL_RULES, describe } from '../../core/guardrails/messages';
import { WorkloadBinding } from '../../core/workload-binding';
import { AppManifests, K8sRuleContext } from './manifest-model';
import { K8S_RULE_CHECKS } from './rules';

/** Options of `KubernetesGuardrails`. */
export interface KubernetesGuardrailsOptions {
  /**
   * Declared identities whose ServiceAccounts this app renders by other means
   * (e.g. `WorkloadBindings.readFile(...)` in a cdk8s-only repository): they
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

const registry = new WeakMap<IConstruct, KubernetesGuardrails>();

/** One cdk8s validation pass over an app: the guardrails validated in it so far, and its one rendering. */
interface ValidationPass {
  readonly validated: Set<KubernetesGuardrails>;
  rendering?: AppManifests;
}
// cdk8s validates the whole app once per synth and again before each chart it
// renders, visiting the root first. A hook on the root opens a pass; the
// guardrails of every chart validated in it share one rendering of the app.
const passes = new WeakMap<IConstruct, ValidationPass>();
const roots = new WeakSet<IConstruct>();

function openPassOnValidation(root: IConstruct): void {
  if (roots.has(root)) { return; }
  roots.add(root);
  root.node.addValidation({
    validate: () => {
      const pass: ValidationPass = { validated: new Set() };
      passes.set(root, pass);
      // A pass is synchronous: nothing carries over to code that runs after it.
      queueMicrotask(() => { if (passes.get(root) === pass) { passes.delete(root); } });
      return [];
    },
  });
}

/**
 * The guardrails of the Kubernetes side, as validations cdk8s runs on synth
 * (and on `chart.toJson()`): refuses static AWS keys in containers, Secrets
 * and ConfigMaps, pods on `default` or on an undefined ServiceAccount, role
 * ARN annotations no identity backs, Pod Identity on pods that cannot use it,
 * and warns about ServiceAccounts without AWS identity that mount their token.
 *
 * On by default in charts with a `WorkloadServiceAccount`; for any other
 * chart or app: `KubernetesGuardrails.of(chart)`. Acknowledge a finding on a
 * construct with `Guardrails.acknowledge(construct, 'WI-K8S-n', reason)`.
 */
export class KubernetesGuardrails {
  /**
   * The guardrails of a chart or app, added on first call. Options of later
   * calls are added to those of earlier ones.
   */
  public static of(scope: IConstruct, options: KubernetesGuardrailsOptions = {}): KubernetesGuardrails {
    let guardrails = registry.get(scope);
    if (!guardrails) {
      guardrails = new KubernetesGuardrails(scope);
      registry.set(scope, guardrails);
    }
    guardrails.bindings.push(...options.bindings ?? []);
    guardrails.externalServiceAccounts.push(...options.externalServiceAccounts ?? []);
    return guardrails;
  }

  /** Turns the guardrails on for the chart of `scope` (its app if it has no chart). */
  public static ensureEnabled(scope: IConstruct): void {
    let chart: IConstruct;
    try {
      chart = Chart.of(scope);
    } catch {
      chart = scope.node.root;
    }
    KubernetesGuardrails.of(chart);
  }

  private readonly bindings: WorkloadBinding[] = [];
  private readonly externalServiceAccounts: string[] = [];
  private readonly warned = new Set<string>();

  private constructor(private readonly scope: IConstruct) {
    // Registered first, so the root's pass opens before guardrails on the root itself run.
    openPassOnValidation(scope.node.root);
    scope.node.addValidation({ validate: () => this.validate() });
  }

  /** Every finding in scope, acknowledged ones included (with their reason). */
  public findings(): GuardrailFinding[] {
    return this.evaluate(new AppManifests(this.scope.node.root));
  }

  private evaluate(app: AppManifests): GuardrailFinding[] {
    const context = new K8sRuleContext(this.scope, this.bindings, this.externalServiceAccounts, app);
    return K8S_RULE_CHECKS.flatMap(check => check(context));
  }

  /**
   * The app as rendered in the current validation pass. A second validation of
   * the same guardrails in one pass (a manual `node.validate()`) renders afresh.
   */
  private renderingForValidation(): AppManifests {
    const root = this.scope.node.root;
    const pass = passes.get(root);
    if (!pass || pass.validated.has(this)) { return new AppManifests(root); }
    pass.validated.add(this);
    return pass.rendering ??= new AppManifests(root);
  }

  private validate(): string[] {
    // Guardrails on an enclosing chart or app already cover this scope.
    for (let c = this.scope.node.scope; c; c = c.node.scope) {
      if (registry.has(c)) { return []; }
    }
    const open = this.evaluate(this.renderingForValidation()).filter(f => f.acknowledgedReason === undefined);
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
  const rule = ALL_RULES.find(r => r.id === f.ruleId)!;
  return `${describe(rule, f.message)} Fix: ${rule.fix} (at ${f.path.replace(/(\/Resource)+$/, '')}; acknowledge with Guardrails.acknowledge(construct, '${f.ruleId}', reason))`;
}
