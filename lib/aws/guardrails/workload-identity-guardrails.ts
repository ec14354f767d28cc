import {
  IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stage, Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GuardrailFinding, GuardrailLevel } from '../../core/guardrails/guardrail-level';
import { AWS_RULES, describe } from '../../core/guardrails/messages';
import { AWS_RULE_CHECKS } from './rules';
import { AwsRuleContext, loadStacks, ResourceFinding } from './template-model';

/** The IAM quota on a role's trust policy, without whitespace. */
export const DEFAULT_MAX_TRUST_POLICY_LENGTH = 2048;
/** The EKS quota on pod identity associations per cluster. */
export const DEFAULT_MAX_POD_IDENTITY_ASSOCIATIONS = 5000;

const PLUGIN_NAME = 'WorkloadIdentityGuardrails';
const RULES_BY_ID = new Map(Object.values(AWS_RULES).map(r => [r.id, r]));
// Recognizes instances across copies of this library in one app.
const GUARDRAILS_SYMBOL = Symbol.for('cdk-eks-workload-identity.WorkloadIdentityGuardrails');
// The default instance of each app, added by ensureEnabled.
const automatic = new WeakMap<IConstruct, WorkloadIdentityGuardrails>();

/** Props of `WorkloadIdentityGuardrails`. */
export interface WorkloadIdentityGuardrailsProps {
  /**
   * The longest trust policy allowed, in characters without whitespace. Raise
   * it if your account's role trust policy quota was raised (up to 4,096).
   *
   * @default 2048
   */
  readonly maxTrustPolicyLength?: number;

  /**
   * The most pod identity associations allowed per cluster.
   *
   * @default 5000 (the EKS quota)
   */
  readonly maxPodIdentityAssociationsPerCluster?: number;

  /**
   * Wildcard IRSA subjects that are intended, exactly as written in the trust
   * policy, e.g. `system:serviceaccount:ci:runner-*`.
   *
   * @default - none: every wildcard Kubernetes subject is reported
   */
  readonly subjectPatterns?: string[];
}

/**
 * The guardrails of the AWS side, as a CDK validation plugin: refuses static
 * keys, over-broad or over-long trust policies, a second Pod Identity agent,
 * Pod Identity where it does not exist, and (warning) nodes whose pods reach
 * the node role. Findings are acknowledged per construct, with a reason, by
 * `Guardrails.acknowledge(construct, 'WI-AWS-n', reason)` or
 * `Validations.of(construct).acknowledge({ id: 'WI-AWS-n', reason })`.
 *
 * On by default in apps with a `WorkloadIdentity`; for any other app:
 * `Validations.of(app).addPlugins(new WorkloadIdentityGuardrails())`.
 * An instance added that way replaces the default one.
 */
export class WorkloadIdentityGuardrails implements IPolicyValidationPlugin {
  /**
   * Turns the guardrails on for the app of `scope`, once; does nothing if the
   * scope is not in a CDK App.
   */
  public static ensureEnabled(scope: IConstruct): void {
    const root = scope.node.root;
    if (!Stage.isStage(root) || automatic.has(root)) { return; }
    const guardrails = new WorkloadIdentityGuardrails();
    guardrails.isDefault = true;
    automatic.set(root, guardrails);
    Validations.of(root).addPlugins(guardrails);
  }

  public readonly name = PLUGIN_NAME;
  public readonly version?: string = '0.1.0';
  public readonly ruleIds?: string[] = Object.values(AWS_RULES).map(r => r.id);
  private readonly options: { maxTrustPolicyLength: number; maxPodIdentityAssociationsPerCluster: number; subjectPatterns: string[] };
  private isDefault = false;

  constructor(props: WorkloadIdentityGuardrailsProps = {}) {
    for (const [key, value] of [['maxTrustPolicyLength', props.maxTrustPolicyLength], ['maxPodIdentityAssociationsPerCluster', props.maxPodIdentityAssociationsPerCluster]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new Error(`Invalid ${key} ${value}: it must be a positive whole number.`);
      }
    }
    this.options = {
      maxTrustPolicyLength: props.maxTrustPolicyLength ?? DEFAULT_MAX_TRUST_POLICY_LENGTH,
      maxPodIdentityAssociationsPerCluster: props.maxPodIdentityAssociationsPerCluster ?? DEFAULT_MAX_POD_IDENTITY_ASSOCIATIONS,
      subjectPatterns: props.subjectPatterns ?? [],
    };
    Object.defineProperty(this, GUARDRAILS_SYMBOL, { value: true });
  }

  /** Called by the CDK at synthesis: every finding that is not acknowledged becomes a violation. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // One walk of the construct tree, shared by every step below.
    const constructs = context.appConstruct.node.findAll();
    if (this.isDefault && hasExplicitGuardrails(context.appConstruct, constructs)) {
      return { success: true, violations: [] };
    }
    const results = this.evaluate(context, constructs).filter(r => r.finding.acknowledgedReason === undefined);
    const violations: PolicyViolation[] = results.map(({ finding, resource }) => {
      const rule = RULES_BY_ID.get(finding.ruleId)!;
      return {
        ruleName: finding.ruleId,
        description: describe(rule, finding.message),
        fix: rule.fix,
        severity: finding.level,
        violatingResources: [resource
          ? { resourceLogicalId: resource.logicalId, templatePath: resource.stack.templatePath, locations: ['Properties'] }
          : { constructPath: finding.path, locations: [] }],
      };
    });
    return { success: !violations.some(v => v.severity === GuardrailLevel.ERROR), violations };
  }

  /**
   * Every finding, acknowledged ones included (with their reason), for
   * tests and audits. `context` is what `validate` receives.
   */
  public findings(context: IPolicyValidationContext): GuardrailFinding[] {
    return this.evaluate(context, context.appConstruct.node.findAll()).map(r => r.finding);
  }

  private evaluate(context: IPolicyValidationContext, constructs: IConstruct[]): ResourceFinding[] {
    const stacks = loadStacks(context.appConstruct, context.stackTemplates.length > 0
      ? context.stackTemplates
      : context.templatePaths.map(templatePath => ({ stackConstructPath: '', templatePath })), constructs);
    const ruleContext = new AwsRuleContext(stacks, context.appConstruct, this.options, constructs);
    return AWS_RULE_CHECKS.flatMap(check => check(ruleContext));
  }
}

/** Whether the user registered guardrails of their own on a stage of the app. */
function hasExplicitGuardrails(app: IConstruct, constructs: IConstruct[]): boolean {
  const stages = [app, ...constructs.filter(c => c !== app && Stage.isStage(c))];
  return stages.some(stage => {
    // Stage keeps its plugins in an internal list; without it, keep the default instance.
    const plugins: any[] = (stage as any)._validationPlugins ?? [];
    return plugins.some(p => p && p[GUARDRAILS_SYMBOL] && !p.isDefault);
  });
}
