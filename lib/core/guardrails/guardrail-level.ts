/** How a guardrail finding affects synthesis. */
export enum GuardrailLevel {
  /** Synthesis fails until the finding is fixed or acknowledged with a reason. */
  ERROR = 'error',
  /** Reported; synthesis goes on. */
  WARNING = 'warning',
}

/** One rule of the guardrails: what it refuses, why, and how to fix it. */
export interface GuardrailRule {
  /** Stable id, e.g. `WI-AWS-1`; acknowledge findings by it. */
  readonly id: string;
  /** Short name of the rule; its file is `<id in lower case>-<name>.ts`. */
  readonly name: string;
  /** Whether a finding fails synthesis. */
  readonly level: GuardrailLevel;
  /** Why the rule exists. */
  readonly explanation: string;
  /** What to change. */
  readonly fix: string;
}

/** One thing a guardrail found. */
export interface GuardrailFinding {
  /** The rule, e.g. `WI-K8S-3`. */
  readonly ruleId: string;
  /** The rule's level. */
  readonly level: GuardrailLevel;
  /** What is wrong with this resource: names the value and the fix. */
  readonly message: string;
  /** Construct path of the offending resource. */
  readonly path: string;
  /**
   * The reason it was acknowledged with.
   *
   * @default - not acknowledged: the finding counts
   */
  readonly acknowledgedReason?: string;

  /**
   * Where an acknowledgement of this finding without a reason is. It does
   * not count, and on the AWS side it fails synthesis even for a warning, as
   * aws-cdk-lib would otherwise honour it.
   *
   * @default - no such acknowledgement
   */
  readonly unreasonedAcknowledgementPath?: string;
}
