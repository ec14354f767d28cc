import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { conditionValues, isWebIdentityStatement, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

const SCOPING_OPERATORS = /^(ForAnyValue:|ForAllValues:)?String(Equals|Like)$/;

/** WI-AWS-3 irsa-trust-unscoped: a web identity statement without a `:sub` or without an `:aud` condition. */
export const irsaTrustUnscoped: AwsRule = {
  id: 'WI-AWS-3',
  name: 'irsa-trust-unscoped',
  level: GuardrailLevel.ERROR,
  explanation: 'Without a :sub condition every ServiceAccount of the cluster can assume the role; without :aud tokens minted for other audiences are accepted.',
  fix: 'Add StringEquals <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud = sts.amazonaws.com (WorkloadIdentity writes both).',
  check: context => context.ofType('AWS::IAM::Role').flatMap(role => trustStatements(context, role).filter(isWebIdentityStatement).flatMap(s => {
    const has = (suffix: string) => conditionValues(s, k => k.endsWith(suffix))
      .some(c => SCOPING_OPERATORS.test(c.operator) && c.values.length > 0 && !c.values.includes('*'));
    const missing = [':sub', ':aud'].filter(suffix => !has(suffix));
    return missing.length > 0
      ? [context.finding(irsaTrustUnscoped,
        `Role '${context.nameOf(role)}' trusts an OIDC provider for sts:AssumeRoleWithWebIdentity without a ${missing.join(' or ')} condition.`, role)]
      : [];
  })),
};
