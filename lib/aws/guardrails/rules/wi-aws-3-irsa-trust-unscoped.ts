import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { ResourceFinding, TrustStatement, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

const SCOPING_OPERATORS = /^(ForAnyValue:|ForAllValues:)?String(Equals|Like)$/;

/** WI-AWS-3 irsa-trust-unscoped: a web identity statement without a `:sub` or without an `:aud` condition. */
export const irsaTrustUnscoped: AwsRule = {
  id: 'WI-AWS-3',
  name: 'irsa-trust-unscoped',
  level: GuardrailLevel.ERROR,
  explanation: 'Without a :sub condition every ServiceAccount of the cluster can assume the role; without :aud tokens minted for other audiences are accepted.',
  fix: 'Add StringEquals <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud = sts.amazonaws.com (WorkloadIdentity writes both).',
  check: context => {
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      for (const s of trustStatements(context, role)) {
        if (!s.webIdentity) { continue; }
        const missing = [':sub', ':aud'].filter(suffix => !scoped(s, suffix));
        if (missing.length > 0) {
          findings.push(context.finding(irsaTrustUnscoped,
            `Role '${context.nameOf(role)}' trusts an OIDC provider for sts:AssumeRoleWithWebIdentity without a ${missing.join(' or ')} condition.`, role));
        }
      }
    }
    return findings;
  },
};

/** Whether a condition on a key ending in `suffix` scopes the statement to values other than '*'. */
function scoped(s: TrustStatement, suffix: string): boolean {
  for (const c of s.conditionList) {
    if (c.lowerKey.endsWith(suffix) && SCOPING_OPERATORS.test(c.operator) && c.values.length > 0 && !c.values.includes('*')) { return true; }
  }
  return false;
}
