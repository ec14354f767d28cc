import { GuardrailRule } from '../../../core/guardrails/guardrail-level';
import { AwsRuleContext, ResourceFinding } from '../template-model';

/** A rule of the AWS side: its id, level, texts, and the check over the app's templates. */
export interface AwsRule extends GuardrailRule {
  /**
   * Whether a finding lands on one resource of a group (the second add-on of a
   * cluster, say), picked in the order of the stacks: with another order it
   * may land on another resource, acknowledged or not.
   */
  readonly picksFromGroup?: boolean;
  check(context: AwsRuleContext): ResourceFinding[];
}
