import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, ResourceFinding } from '../template-model';

/**
 * WI-AWS-8: a trust policy longer than the quota, measured on the rendered
 * policy (intrinsics replaced by their values, no whitespace), as IAM counts.
 */
export function trustPolicyTooLong(context: AwsRuleContext): ResourceFinding[] {
  const max = context.options.maxTrustPolicyLength;
  return context.ofType('AWS::IAM::Role').flatMap(role => {
    const length = JSON.stringify(context.trustPolicy(role)).length;
    return length > max ? [context.finding(AWS_RULES.trustPolicyTooLong, MESSAGES.trustPolicyTooLong(context.nameOf(role), length, max), role)] : [];
  });
}
