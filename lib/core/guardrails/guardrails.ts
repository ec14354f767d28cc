import type { IConstruct } from 'constructs';
import { WorkloadIdentityError } from '../validation-error';
import { ALL_RULES } from './messages';
import { WorkloadRuntime } from './workload-runtime';

/**
 * The metadata key aws-cdk-lib's `Validations.of(c).acknowledge()` writes,
 * and cdk-nag 3 reads; using it means either API acknowledges our rules.
 */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';
const RUNTIME_METADATA_KEY = 'cdk-eks-workload-identity:runtime';
const RUNTIMES = Object.values(WorkloadRuntime) as string[];
// The apps where some construct is marked: the others need no search for marks.
const appsWithRuntimeMarks = new WeakSet<IConstruct>();

/**
 * Acknowledgements and workload marks, for the AWS guardrails
 * (`WorkloadIdentityGuardrails`) and the Kubernetes ones
 * (`KubernetesGuardrails`) alike. Works on aws-cdk-lib and cdk8s constructs.
 */
export class Guardrails {
  /**
   * Acknowledges a guardrail rule for this construct and everything below it,
   * with the reason it is acceptable here. The finding is then not reported.
   * Same effect as `Validations.of(construct).acknowledge({ id, reason })`.
   *
   * @param ruleId the rule, e.g. 'WI-AWS-7'
   * @param reason why it is acceptable here; must not be empty
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    if (!ALL_RULES.some(r => r.id === ruleId)) {
      throw new WorkloadIdentityError(`Cannot acknowledge '${ruleId}' at '${construct.node.path}': no such guardrail. Use one of ${ALL_RULES.map(r => r.id).join(', ')}.`);
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new WorkloadIdentityError(`Cannot acknowledge ${ruleId} at '${construct.node.path}' without a reason. Say why it is acceptable here.`);
    }
    construct.node.addMetadata(ACKNOWLEDGED_RULES_METADATA_KEY, { [ruleId]: reason });
  }

  /**
   * Marks where the pods of this construct's workloads run (a
   * WorkloadIdentity, a stack, a cdk8s Deployment or chart), so the
   * guardrails can refuse Pod Identity where it does not exist. The nearest
   * mark up the construct tree wins.
   */
  public static markRuntime(construct: IConstruct, runtime: WorkloadRuntime): void {
    if (!RUNTIMES.includes(runtime)) {
      throw new WorkloadIdentityError(`Invalid runtime '${runtime}' for '${construct.node.path}': use one of ${RUNTIMES.join(', ')}.`);
    }
    construct.node.addMetadata(RUNTIME_METADATA_KEY, runtime);
    appsWithRuntimeMarks.add(construct.node.root);
  }

  private constructor() {}
}

/** Whether any construct of the app of `scope` is marked with `Guardrails.markRuntime`. */
export function hasRuntimeMarks(scope: IConstruct): boolean {
  return appsWithRuntimeMarks.has(scope.node.root);
}

/** An acknowledgement found up the tree. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: string;
  readonly path: string;
}

/**
 * The nearest acknowledgement of `ruleId` for `construct`, from
 * `Guardrails.acknowledge` or `Validations.acknowledge` (which prefixes ids
 * with a namespace such as 'Annotation::').
 */
export function findAcknowledgement(construct: IConstruct | undefined, ruleId: string): Acknowledgement | undefined {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    const ack = acknowledgementsOn(c).find(a => a.ruleId === ruleId);
    if (ack) { return ack; }
  }
  return undefined;
}

/** Every acknowledgement of a guardrail rule in the tree below `root`. */
export function listAcknowledgements(root: IConstruct): Acknowledgement[] {
  const ids = new Set(ALL_RULES.map(r => r.id));
  return root.node.findAll().flatMap(acknowledgementsOn).filter(a => ids.has(a.ruleId));
}

/** The acknowledgements recorded on `c` itself, in the order they were added. */
function acknowledgementsOn(c: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const entry of c.node.metadata) {
    if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) { continue; }
    for (const [id, reason] of Object.entries<any>(entry.data)) {
      found.push({ ruleId: id.replace(/^.*::/, ''), reason: typeof reason === 'string' ? reason : '', path: c.node.path });
    }
  }
  return found;
}

/** The nearest runtime mark up the tree. */
export function runtimeOf(construct: IConstruct | undefined): WorkloadRuntime | undefined {
  if (!construct || !hasRuntimeMarks(construct)) { return undefined; }
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    const marks = c.node.metadata.filter(e => e.type === RUNTIME_METADATA_KEY);
    if (marks.length > 0) { return marks[marks.length - 1].data as WorkloadRuntime; }
  }
  return undefined;
}
