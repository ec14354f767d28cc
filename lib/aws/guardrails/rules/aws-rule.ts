import { GuardrailRule } from '../../../core/guardrails/guardrail-level';
import { AwsRuleContext, ResourceFinding } from '../template-model';

/** A rule of the AWS side: its id, level, texts, and the check over the app's templates. */
export interface AwsRule extends GuardrailRule {
  check(context: AwsRuleContext): ResourceFinding[];
}
