import { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyValidationStack, PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { acknowledgementData, checkRuntime, describe, RUNTIME_METADATA_KEY } from '../../core/guardrails/acknowledgement';
import { GuardrailFinding, GuardrailLevel } from '../../core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../core/guardrails/workload-runtime';
import { AwsSynthRecord } from '../../core/synth-order';
import { WorkloadIdentityError } from '../../core/validation-error';
import { IWorkloadCluster } from '../cluster/i-workload-cluster';
import { AppScan, appStackTemplates, scanApp } from './app-stacks';
import { GuardrailsState } from './guardrails-state';
import { AWS_RULES } from './rules';
import { AwsRuleContext, loadStacks, ResourceFinding } from './template-model';

/** The IAM quota on a role's trust policy, without whitespace. */
export const DEFAULT_MAX_TRUST_POLICY_LENGTH = 2048;
/** The EKS quota on pod identity associations per cluster. */
export const DEFAULT_MAX_POD_IDENTITY_ASSOCIATIONS = 5000;

const PLUGIN_NAME = 'WorkloadIdentityGuardrails';
const RULES_BY_ID = new Map(AWS_RULES.map(r => [r.id, r]));

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
   * policy, e.g. `system:serviceaccount:ci:runner-*`. Each must name a
   * namespace (`system:serviceaccount:<namespace>:...` without wildcards in
   * the namespace): a pattern that admits every namespace is refused.
   *
   * @default - none: every wildcard Kubernetes subject is reported
   */
  readonly subjectPatterns?: string[];
}

/**
 * The guardrails of the AWS side, as a CDK validation plugin: refuses static
 * keys, over-broad or over-long trust policies, a second Pod Identity agent,
 * Pod Identity where it does not exist, and (warning) nodes whose pods reach
 * the node role. Every stack of the app is checked, those in Stages and
 * NestedStacks included.
 *
 * Acknowledge a finding per construct, with a reason, by
 * `WorkloadIdentityGuardrails.acknowledge(construct, 'WI-AWS-n', reason)` or
 * `Validations.of(construct).acknowledge({ id: 'WI-AWS-n', reason })`; an
 * acknowledgement without a reason fails synthesis.
 *
 * On by default in apps with a `WorkloadIdentity`; for any other app:
 * `Validations.of(app).addPlugins(new WorkloadIdentityGuardrails())`. An
 * instance added to a Stage (or the app) checks that Stage's stacks in place
 * of the default one, which still checks the rest of the app. The default
 * one evaluates the app at the end of its synthesis and becomes a validation
 * plugin only when it has something to report.
 */
export class WorkloadIdentityGuardrails implements IPolicyValidationPlugin {
  /**
   * Acknowledges an AWS guardrail rule for this construct and everything
   * below it, with the reason it is acceptable here. The finding is then not
   * reported. Same effect as
   * `Validations.of(construct).acknowledge({ id, reason })`.
   *
   * @param ruleId the rule, e.g. 'WI-AWS-7'
   * @param reason why it is acceptable here; must not be empty
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    construct.node.addMetadata(ACKNOWLEDGED_RULES_KEY, acknowledgementData(AWS_RULES, ruleId, reason, construct.node.path));
  }

  /**
   * Marks where the pods of this construct's workloads run (a
   * WorkloadIdentity or a stack), so the guardrails refuse Pod Identity
   * where it does not exist. The nearest mark up the construct tree wins.
   */
  public static markRuntime(construct: IConstruct, runtime: WorkloadRuntime): void {
    checkRuntime(runtime, construct.node.path);
    construct.node.addMetadata(RUNTIME_METADATA_KEY, runtime);
    GuardrailsState.of(construct).hasRuntimeMarks = true;
  }

  /**
   * Turns the default guardrails on for the app of `scope`, once; does
   * nothing if the scope is not in a CDK App. Returns the record of the app's
   * synthesis that the bindings it hands out carry, when its synth fills it in.
   *
   * @internal
   */
  public static _ensureEnabled(scope: IConstruct): AwsSynthRecord | undefined {
    return GuardrailsState.of(scope).enableDefault(() => {
      const guardrails = new WorkloadIdentityGuardrails();
      guardrails.isDefault = true;
      return guardrails;
    });
  }

  public readonly name = PLUGIN_NAME;
  public readonly version?: string = '0.1.0';
  public readonly ruleIds?: string[] = AWS_RULES.map(r => r.id);
  private readonly options: { maxTrustPolicyLength: number; maxPodIdentityAssociationsPerCluster: number; subjectPatterns: string[] };
  private isDefault = false;
  /** The default's findings at synthesis, and the stacks they cover, for validate when aws-cdk-lib hands it the same stacks in the same order. */
  private atSynthesis?: { readonly stacks: string; readonly findings: ResourceFinding[] };

  constructor(props: WorkloadIdentityGuardrailsProps = {}) {
    for (const [key, value] of [['maxTrustPolicyLength', props.maxTrustPolicyLength], ['maxPodIdentityAssociationsPerCluster', props.maxPodIdentityAssociationsPerCluster]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new WorkloadIdentityError(`Invalid ${key} ${value}: it must be a positive whole number.`);
      }
    }
    for (const pattern of props.subjectPatterns ?? []) {
      checkSubjectPattern(pattern);
    }
    this.options = {
      maxTrustPolicyLength: props.maxTrustPolicyLength ?? DEFAULT_MAX_TRUST_POLICY_LENGTH,
      maxPodIdentityAssociationsPerCluster: props.maxPodIdentityAssociationsPerCluster ?? DEFAULT_MAX_POD_IDENTITY_ASSOCIATIONS,
      subjectPatterns: props.subjectPatterns ?? [],
    };
  }

  /** Called by the CDK at synthesis: every finding that is not acknowledged becomes a violation. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const results = this.evaluate(context).filter(r => r.finding.acknowledgedReason === undefined);
    const violations: PolicyViolation[] = results.map(({ finding, resource }) => {
      const rule = RULES_BY_ID.get(finding.ruleId)!;
      return {
        ruleName: finding.ruleId,
        description: describe(rule, finding.message),
        fix: finding.unreasonedAcknowledgementPath
          ? `Give the acknowledgement at '${finding.unreasonedAcknowledgementPath}' a reason, or ${lowerFirst(rule.fix)}`
          : rule.fix,
        // aws-cdk-lib honours any acknowledgement of its id, reason or not; a fatal
        // violation is one it cannot suppress, so a blank reason silences nothing.
        severity: finding.unreasonedAcknowledgementPath ? 'fatal' : finding.level,
        violatingResources: [resource
          ? { resourceLogicalId: resource.logicalId, templatePath: resource.stack.templatePath, locations: ['Properties'] }
          : { constructPath: finding.path, locations: [] }],
      };
    });
    const success = !violations.some(v => v.severity !== GuardrailLevel.WARNING);
    // The end of app.synth(): WorkloadOutputs.synth writes YAML only for bindings of an app that got here, and passed.
    const record = GuardrailsState.find(context.appConstruct)?.synthRecord;
    if (record) {
      record.validated = true;
      record.failed ||= !success;
    }
    return { success, violations };
  }

  /**
   * Every finding, acknowledged ones included (with their reason), for tests
   * and audits. `context` is what `validate` receives.
   *
   * @internal
   */
  public _findings(context: IPolicyValidationContext): GuardrailFinding[] {
    return this.evaluate(context).map(r => r.finding);
  }

  /**
   * Whether these (default) guardrails have nothing to hand aws-cdk-lib for
   * `app`, whose templates are written: every finding over all its stacks is
   * acknowledged with a reason. Then they have nothing for any part of its
   * stacks either (the stacks explicit instances leave them): a rule sees
   * fewer resources there and reports a subset of the same findings on the
   * same resources (a duplicate or a count needs at least as many resources,
   * a gate on the app declaring workload identities opens no later). Two
   * exceptions, which keep them a plugin: a rule that picks one resource of a
   * group (`picksFromGroup`) reported at all, and a resource named a cluster
   * declared NOT_EKS (without the stack declaring it, that name matches alone).
   *
   * @internal
   */
  public _nothingToReport(app: App): boolean {
    this.atSynthesis = undefined;
    const scan = scanApp(app.node.findAll());
    const stackTemplates = appStackTemplates(scan);
    const { findings, context } = this.check(app, stackTemplates, scan);
    const quiet = !context.namedNotEksCluster &&
      findings.every(({ finding }) => finding.acknowledgedReason !== undefined && !RULES_BY_ID.get(finding.ruleId)!.picksFromGroup);
    // Kept only for the validate that follows in this synthesis (the templates are not held otherwise).
    if (!quiet) { this.atSynthesis = { stacks: stacksKey(stackTemplates), findings }; }
    return quiet;
  }

  private evaluate(context: IPolicyValidationContext): ResourceFinding[] {
    const app = context.appConstruct;
    const state = GuardrailsState.find(app);
    let stackTemplates = context.stackTemplates.length > 0
      ? context.stackTemplates
      : context.templatePaths.map(templatePath => ({ stackConstructPath: '', templatePath, accountId: undefined, region: undefined }));
    if (state && this.isDefault) {
      // aws-cdk-lib runs the default last: it leaves out what explicit instances checked.
      stackTemplates = stackTemplates.filter(s => !state.coveredStacks.has(s.stackConstructPath));
      state.coveredStacks.clear();
    } else if (state) {
      stackTemplates.forEach(s => state.coveredStacks.add(s.stackConstructPath));
    }
    const atSynthesis = this.atSynthesis;
    this.atSynthesis = undefined;
    if (atSynthesis && this.isDefault && atSynthesis.stacks === stacksKey(stackTemplates)) {
      // The same stacks, in the same order, as at the end of this synthesis: the same templates, tree and acknowledgements.
      return atSynthesis.findings;
    }
    return this.check(app, stackTemplates, scanApp(app.node.findAll())).findings;
  }

  /** Runs every rule over these stacks of `app`; `scan` sorts every construct of `app` (one walk of the tree, shared by every step). */
  private check(app: IConstruct, stackTemplates: readonly PolicyValidationStack[], scan: AppScan): { findings: ResourceFinding[]; context: AwsRuleContext } {
    const stacks = loadStacks(app, [...stackTemplates], scan.constructs, scan.nestedStacks);
    const context = new AwsRuleContext(stacks, app, this.options, {
      notEksClusters: notEksClusters(scan.workloadClusters),
      hasRuntimeMarks: GuardrailsState.find(app)?.hasRuntimeMarks ?? false,
    }, scan.constructs);
    return { findings: AWS_RULES.flatMap(rule => rule.check(context)), context };
  }
}

const ACKNOWLEDGED_RULES_KEY = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;

/** What tells two lists of stacks apart for the rules: order, paths, templates and environments. */
function stacksKey(stackTemplates: readonly PolicyValidationStack[]): string {
  return JSON.stringify(stackTemplates.map(s => [s.stackConstructPath, s.templatePath, s.accountId ?? null, s.region ?? null]));
}

/** The clusters of the app declared `ClusterKind.NOT_EKS`, with the stack their handle is in. */
function notEksClusters(clusters: IWorkloadCluster[]): { name: string; stackPath: string }[] {
  return clusters.filter(c => c.kind === ClusterKind.NOT_EKS)
    .map(c => ({ name: c.clusterName, stackPath: Stack.of(c).node.path }));
}

/**
 * Refuses subject patterns that are not a ServiceAccount pattern inside one
 * namespace: `*` or `system:serviceaccount:*:*` would declare every
 * ServiceAccount of the cluster intended, which is what WI-AWS-4 exists to stop.
 */
function checkSubjectPattern(pattern: string): void {
  const match = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(pattern);
  if (typeof pattern !== 'string' || !match || /[*?]/.test(match[1])) {
    throw new WorkloadIdentityError(
      `Invalid subjectPatterns entry '${pattern}': a pattern must be system:serviceaccount:<namespace>:<name pattern> with a literal namespace ` +
      "(e.g. 'system:serviceaccount:ci:runner-*'). List each namespace's pattern on its own.");
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
