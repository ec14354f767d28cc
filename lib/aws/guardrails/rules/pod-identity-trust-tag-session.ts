import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, isPodIdentityStatement, ResourceFinding, trustStatements } from '../template-model';

/** WI-AWS-6: a Pod Identity trust statement without `sts:TagSession`. */
export function podIdentityTrustTagSession(context: AwsRuleContext): ResourceFinding[] {
  return context.ofType('AWS::IAM::Role').filter(role => {
    const statements = trustStatements(context, role).filter(isPodIdentityStatement);
    return statements.length > 0 && !statements.some(s => s.actions.some(a => a === 'sts:TagSession' || a === 'sts:*' || a === '*'));
  }).map(role => context.finding(AWS_RULES.podIdentityTagSession, MESSAGES.podIdentityTagSession(context.nameOf(role)), role));
}
