import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, isWorkloadRole, ResourceFinding, trustStatements } from '../template-model';

const ACCOUNT_ROOT = /^(arn:[^:]+:iam::[^:]+:root|\d{12})$/;

/** WI-AWS-5: a workload role (IRSA or Pod Identity) that also trusts `*` or an account root. */
export function workloadRoleTrustsAnyone(context: AwsRuleContext): ResourceFinding[] {
  return context.ofType('AWS::IAM::Role').filter(role => isWorkloadRole(context, role)).flatMap(role =>
    trustStatements(context, role).filter(s => s.effect === 'Allow').flatMap(s => {
      const principals = s.anyPrincipal ? ['*'] : (s.principals.AWS ?? []).filter(p => p === '*' || ACCOUNT_ROOT.test(p));
      return principals.map(p => context.finding(AWS_RULES.trustsAnyone, MESSAGES.trustsAnyone(context.nameOf(role), p), role));
    }));
}
