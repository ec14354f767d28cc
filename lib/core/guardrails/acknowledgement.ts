import { show } from '../validation/describe';
import { WorkloadIdentityError } from '../validation-error';
import { GuardrailFinding, GuardrailRule } from './guardrail-level';
import { WorkloadRuntime } from './workload-runtime';

// Acknowledgements and runtime marks as plain data: the wings read them off
// their constructs (aws-cdk-lib's or cdk8s's) and hand them here, so this
// module knows no construct library.

/**
 * The metadata key aws-cdk-lib's `Validations.of(c).acknowledge()` writes,
 * and cdk-nag 3 reads; using it means either API acknowledges our rules.
 */
export const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';
/** The metadata key of `markRuntime`. */
export const RUNTIME_METADATA_KEY = 'cdk-eks-workload-identity:runtime';
const RUNTIMES = Object.values(WorkloadRuntime) as string[];

/** One construct, as the guardrails read it: its path and its metadata entries. */
export interface MetadataScope {
  readonly path: string;
  readonly metadata: readonly { readonly type: string; readonly data?: any }[];
}

/** An acknowledgement found on a construct. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: string;
  readonly path: string;
}

/**
 * The metadata entry that acknowledges `ruleId` with `reason` at `path`.
 * Refuses rules not in `rules` (naming them) and blank reasons.
 */
export function acknowledgementData(rules: readonly GuardrailRule[], ruleId: string, reason: string, path: string): { [ruleId: string]: string } {
  if (!rules.some(r => r.id === ruleId)) {
    throw new WorkloadIdentityError(`Cannot acknowledge '${ruleId}' at '${path}': no such guardrail on this side. Use one of ${rules.map(r => r.id).join(', ')}.`, path);
  }
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw new WorkloadIdentityError(`Cannot acknowledge ${ruleId} at '${path}' without a reason. Say why it is acceptable here.`, path);
  }
  if (!isReason(reason)) {
    throw new WorkloadIdentityError(
      `Cannot acknowledge ${ruleId} at '${path}' with the reason ${show(reason)}: it has no visible letter or digit ` +
      '(only invisible, formatting or space characters). Say why it is acceptable here, in words.', path);
  }
  return { [ruleId]: reason };
}

/** Refuses values that are not a `WorkloadRuntime` (JavaScript callers can pass any string). */
export function checkRuntime(runtime: WorkloadRuntime, path: string): void {
  if (!RUNTIMES.includes(runtime)) {
    throw new WorkloadIdentityError(`Invalid runtime '${runtime}' for '${path}': use one of ${RUNTIMES.join(', ')}.`, path);
  }
}

/**
 * The acknowledgements recorded on one construct, in the order they were
 * added. Ids lose any namespace (`Validations.acknowledge` writes
 * `Annotation::WI-AWS-1`; aws-cdk-lib's report suggests
 * `WorkloadIdentityGuardrails::WI-AWS-1`); a reason that is not a string is
 * read as empty.
 */
export function acknowledgementsOn(scope: MetadataScope): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const entry of scope.metadata) {
    if (entry.type !== ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) { continue; }
    for (const [id, reason] of Object.entries<any>(entry.data)) {
      found.push({ ruleId: id.replace(/^.*::/, ''), reason: typeof reason === 'string' ? reason : '', path: scope.path });
    }
  }
  return found;
}

/** The nearest acknowledgement of `ruleId` along `chain` (a construct, then its scopes up to the root). */
export function findAcknowledgement(chain: Iterable<MetadataScope>, ruleId: string): Acknowledgement | undefined {
  for (const scope of chain) {
    const ack = acknowledgementsOn(scope).find(a => a.ruleId === ruleId);
    if (ack) { return ack; }
  }
  return undefined;
}

/** The nearest runtime mark along `chain`; the last mark on one construct wins. */
export function runtimeIn(chain: Iterable<MetadataScope>): WorkloadRuntime | undefined {
  for (const scope of chain) {
    const marks = scope.metadata.filter(e => e.type === RUNTIME_METADATA_KEY);
    if (marks.length > 0) { return marks[marks.length - 1].data as WorkloadRuntime; }
  }
  return undefined;
}

/**
 * A finding of `rule` at `path`, acknowledged if the nearest acknowledgement
 * along `chain` has a reason. One without a reason does not count: the
 * finding stays open, says so, and names where that acknowledgement is.
 */
export function makeFinding(rule: GuardrailRule, message: string, chain: Iterable<MetadataScope>, path: string): GuardrailFinding {
  const ack = findAcknowledgement(chain, rule.id);
  const base = { ruleId: rule.id, level: rule.level, path };
  if (ack && isReason(ack.reason)) {
    return { ...base, message, acknowledgedReason: ack.reason };
  }
  if (ack) {
    // A reason of invisible characters is named, escaped, so the reader sees why it does not count.
    const what = ack.reason.trim().length > 0 ? `no reason (${show(ack.reason)} has no visible letter or digit)` : 'no reason';
    return { ...base, message: `${message} The acknowledgement of ${rule.id} at '${ack.path}' has ${what}, so it does not count.`, unreasonedAcknowledgementPath: ack.path };
  }
  return { ...base, message };
}

/**
 * Whether `reason` says something a reviewer can read: at least one visible
 * letter or digit. Characters that render as nothing (zero-width spaces and
 * joiners U+200B-U+200D, the word joiner U+2060, the soft hyphen U+00AD, the
 * byte order mark U+FEFF, Hangul fillers, every other default-ignorable or
 * format character) and whitespace do not count, so a reason made of them
 * alone is no reason.
 */
export function isReason(reason: string): boolean {
  return typeof reason === 'string' && /(?![\p{Default_Ignorable_Code_Point}\p{Cf}])[\p{L}\p{N}]/u.test(reason);
}

/** The full text of a finding: what is wrong, why it matters. */
export function describe(rule: GuardrailRule, message: string): string {
  return `${rule.id}: ${message} ${rule.explanation}`;
}
