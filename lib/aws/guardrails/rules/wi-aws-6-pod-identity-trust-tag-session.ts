import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { isPodIdentityStatement, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

/** WI-AWS-6 pod-identity-trust-tag-session: a Pod Identity trust statement without `sts:TagSession`. */
export const podIdentityTrustTagSession: AwsRule = {
  id: 'WI-AWS-6',
  name: 'pod-identity-trust-tag-session',
  level: GuardrailLevel.ERROR,
  explanation: 'EKS Pod Identity always tags the session; without sts:TagSession every AssumeRole fails and the pods get no credentials.',
  fix: 'Allow both sts:AssumeRole and sts:TagSession to pods.eks.amazonaws.com.',
  check: context => context.ofType('AWS::IAM::Role').filter(role => {
    const statements = trustStatements(context, role).filter(isPodIdentityStatement);
    return statements.length > 0 && !statements.some(s => s.actions.some(a => a === 'sts:TagSession' || a === 'sts:*' || a === '*'));
  }).map(role => context.finding(podIdentityTrustTagSession, `Role '${context.nameOf(role)}' trusts pods.eks.amazonaws.com without sts:TagSession.`, role)),
};
