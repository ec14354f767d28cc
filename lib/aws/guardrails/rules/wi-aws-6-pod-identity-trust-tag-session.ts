import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { statementCoversAction } from '../../../core/iam-action';
import { ResourceFinding, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

/** WI-AWS-6 pod-identity-trust-tag-session: a Pod Identity trust statement without `sts:TagSession`. */
export const podIdentityTrustTagSession: AwsRule = {
  id: 'WI-AWS-6',
  name: 'pod-identity-trust-tag-session',
  level: GuardrailLevel.ERROR,
  explanation: 'EKS Pod Identity always tags the session; without sts:TagSession every AssumeRole fails and the pods get no credentials.',
  fix: 'Allow both sts:AssumeRole and sts:TagSession to pods.eks.amazonaws.com.',
  check: context => {
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      let podIdentity = false;
      let tagSession = false;
      for (const s of trustStatements(context, role)) {
        if (!s.podIdentity) { continue; }
        podIdentity = true;
        tagSession ||= statementCoversAction(s.actions, s.notActions, 'sts:TagSession');
      }
      if (podIdentity && !tagSession) {
        findings.push(context.finding(podIdentityTrustTagSession, `Role '${context.nameOf(role)}' trusts pods.eks.amazonaws.com without sts:TagSession.`, role));
      }
    }
    return findings;
  },
};
