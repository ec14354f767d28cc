import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { asArray, AwsRuleContext, ResourceFinding, TemplateResource } from '../template-model';

/** IAM's quota on the inline policies of one role, together, in characters without whitespace. */
export const MAX_ROLE_INLINE_POLICIES_LENGTH = 10_240;

/**
 * WI-AWS-14: a role whose inline policies (its `Policies` and the
 * `AWS::IAM::Policy` resources that name it) are longer than IAM allows,
 * measured on the rendered documents as IAM counts them.
 */
export function inlinePoliciesTooLong(context: AwsRuleContext): ResourceFinding[] {
  const attached = new Map<TemplateResource, any[]>();
  for (const policy of context.ofType('AWS::IAM::Policy')) {
    for (const ref of asArray(policy.properties.Roles)) {
      const role = typeof ref?.Ref === 'string' ? context.target(policy.stack, ref.Ref) : undefined;
      if (!role) { continue; }
      const documents = attached.get(role);
      if (documents) { documents.push(policy.properties.PolicyDocument); } else { attached.set(role, [policy.properties.PolicyDocument]); }
    }
  }
  return context.ofType('AWS::IAM::Role').flatMap(role => {
    const documents = [...asArray(role.properties.Policies).map((p: any) => p?.PolicyDocument), ...attached.get(role) ?? []];
    const length = documents.reduce((sum, d) => sum + JSON.stringify(context.render(role.stack, d ?? {})).length, 0);
    return length > MAX_ROLE_INLINE_POLICIES_LENGTH
      ? [context.finding(AWS_RULES.inlinePoliciesTooLong, MESSAGES.inlinePoliciesTooLong(context.nameOf(role), length, MAX_ROLE_INLINE_POLICIES_LENGTH), role)]
      : [];
  });
}
