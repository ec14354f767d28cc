import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { pinnedExactly, ResourceFinding, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

/**
 * WI-AWS-4 irsa-wildcard-subject: a wildcard Kubernetes subject
 * (`system:serviceaccount:team-*:*`, `*`) under a Like operator that is not
 * in `subjectPatterns`, unless the statement also pins that `:sub` key with
 * `StringEquals` (IAM ANDs the operators, so the pattern only narrows the
 * exact subjects; `irsa.additionalTrustConditions` may add such a pattern). Subjects of other OIDC issuers (e.g.
 * `repo:org/repo:*` of GitHub) are not Kubernetes ServiceAccounts and are
 * left alone.
 */
export const irsaWildcardSubject: AwsRule = {
  id: 'WI-AWS-4',
  name: 'irsa-wildcard-subject',
  level: GuardrailLevel.ERROR,
  explanation: 'A wildcard subject lets any matching ServiceAccount, including ones created later by anyone who can create ServiceAccounts, assume the role.',
  fix: 'List the exact subjects (WorkloadIdentity.addSubject), declare the pattern on the WorkloadIdentity (namespacePattern, serviceAccountPattern), ' +
    'or declare it in WorkloadIdentityGuardrails subjectPatterns if it is intended.',
  check: context => {
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      for (const s of trustStatements(context, role)) {
        if (!s.webIdentity) { continue; }
        for (const c of s.conditionList) {
          if (!c.lowerKey.endsWith(':sub') || !c.operator.includes('Like') || pinnedExactly(s, c.key)) { continue; }
          for (const v of c.values) {
            if (/[*?]/.test(v) && (v.startsWith('system:') || v === '*' || c.lowerKey.startsWith('oidc.eks.')) &&
              !context.options.subjectPatterns.includes(v) && !context.librarySubjectPatterns(role).has(v)) {
              findings.push(context.finding(irsaWildcardSubject, `Role '${context.nameOf(role)}' trusts the wildcard subject '${v}', which no one declared as a pattern.`, role));
            }
          }
        }
      }
    }
    return findings;
  },
};
