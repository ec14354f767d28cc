import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, conditionValues, isWebIdentityStatement, ResourceFinding, trustStatements } from '../template-model';

/**
 * WI-AWS-4: a wildcard Kubernetes subject (`system:serviceaccount:team-*:*`,
 * `*`) under a Like operator that is not in `subjectPatterns`. Subjects of
 * other OIDC issuers (e.g. `repo:org/repo:*` of GitHub) are not Kubernetes
 * ServiceAccounts and are left alone.
 */
export function irsaWildcardSubject(context: AwsRuleContext): ResourceFinding[] {
  return context.ofType('AWS::IAM::Role').flatMap(role => trustStatements(context, role).filter(isWebIdentityStatement).flatMap(s =>
    conditionValues(s, k => k.endsWith(':sub'))
      .filter(c => c.operator.includes('Like'))
      .flatMap(c => c.values.filter(v => /[*?]/.test(v) && (v.startsWith('system:') || v === '*' || c.key.startsWith('oidc.eks.'))))
      .filter(v => !context.options.subjectPatterns.includes(v))
      .map(v => context.finding(AWS_RULES.irsaWildcardSubject, MESSAGES.irsaWildcardSubject(context.nameOf(role), v), role))));
}
