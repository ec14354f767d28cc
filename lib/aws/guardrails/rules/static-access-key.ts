import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, ResourceFinding } from '../template-model';

/** WI-AWS-1: any AWS::IAM::AccessKey. */
export function staticAccessKey(context: AwsRuleContext): ResourceFinding[] {
  return context.ofType('AWS::IAM::AccessKey').map(r => context.finding(AWS_RULES.staticAccessKey, MESSAGES.staticAccessKey(context.nameOf(r)), r));
}
