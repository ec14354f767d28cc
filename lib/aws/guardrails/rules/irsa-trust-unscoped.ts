import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, conditionValues, isWebIdentityStatement, ResourceFinding, trustStatements } from '../template-model';

const SCOPING_OPERATORS = /^(ForAnyValue:|ForAllValues:)?String(Equals|Like)$/;

/** WI-AWS-3: a web identity statement without a `:sub` or without an `:aud` condition. */
export function irsaTrustUnscoped(context: AwsRuleContext): ResourceFinding[] {
  return context.ofType('AWS::IAM::Role').flatMap(role => trustStatements(context, role).filter(isWebIdentityStatement).flatMap(s => {
    const has = (suffix: string) => conditionValues(s, k => k.endsWith(suffix))
      .some(c => SCOPING_OPERATORS.test(c.operator) && c.values.length > 0 && !c.values.includes('*'));
    const missing = [':sub', ':aud'].filter(suffix => !has(suffix));
    return missing.length > 0 ? [context.finding(AWS_RULES.irsaTrustUnscoped, MESSAGES.irsaTrustMissing(context.nameOf(role), missing), role)] : [];
  }));
}
