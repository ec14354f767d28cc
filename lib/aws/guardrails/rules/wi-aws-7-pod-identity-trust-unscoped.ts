import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { ResourceFinding, TrustStatement, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

const ACCOUNT_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid'];
const CLUSTER_KEYS = ['aws:sourcearn', 'aws:requesttag/eks-cluster-arn', 'aws:requesttag/eks-cluster-name'];
// Operators that admit only the values listed. The Not operators admit every other value: `StringNotEquals aws:SourceAccount` lets in every other account.
const NARROWING_OPERATORS = /^(ForAnyValue:|ForAllValues:)?(String|Arn)(Equals|EqualsIgnoreCase|Like)(IfExists)?$/;

/** WI-AWS-7 pod-identity-trust-unscoped (warning): a Pod Identity trust statement not scoped to an account and a cluster. */
export const podIdentityTrustUnscoped: AwsRule = {
  id: 'WI-AWS-7',
  name: 'pod-identity-trust-unscoped',
  level: GuardrailLevel.WARNING,
  explanation: 'Without conditions any pod identity association in any account that may pass the role can use it (confused deputy).',
  fix: 'Add StringEquals aws:SourceAccount and the cluster (aws:SourceArn, or the aws:RequestTag/eks-cluster-arn session tag), as WorkloadIdentity does unless restrictTrustToSubjects is false.',
  check: context => {
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      for (const s of trustStatements(context, role)) {
        if (!s.podIdentity) { continue; }
        const missing: string[] = [];
        if (!scoped(s, ACCOUNT_KEYS)) { missing.push('aws:SourceAccount'); }
        if (!scoped(s, CLUSTER_KEYS)) { missing.push('the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn)'); }
        if (missing.length > 0) {
          findings.push(context.finding(podIdentityTrustUnscoped, `Role '${context.nameOf(role)}' trusts pods.eks.amazonaws.com without a condition on ${missing.join(' or ')}.`, role));
        }
      }
    }
    return findings;
  },
};

/** Whether a condition on one of `keys` (compared in lower case) admits only listed values, none of them '*'. */
function scoped(s: TrustStatement, keys: string[]): boolean {
  for (const c of s.conditionList) {
    if (keys.includes(c.lowerKey) && NARROWING_OPERATORS.test(c.operator) && c.values.length > 0 && !c.values.includes('*')) { return true; }
  }
  return false;
}
