import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { podIdentitySubjectPatternKey } from '../declared-subject-patterns';
import { pinnedExactly, ResourceFinding, TrustStatement, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

const NAMESPACE_TAG = 'aws:requesttag/kubernetes-namespace';
const SERVICE_ACCOUNT_TAG = 'aws:requesttag/kubernetes-service-account';

/**
 * WI-AWS-15 pod-identity-wildcard-subject: the Pod Identity twin of WI-AWS-4.
 * A Like operator with `*` or `?` on the `kubernetes-namespace` or
 * `kubernetes-service-account` session tag admits every association whose
 * namespace or ServiceAccount matches, including ones created later. Accepted
 * only where the library wrote it for a declared pattern of this role's
 * identity, or where `subjectPatterns` names it (as
 * `system:serviceaccount:<namespace>:<name>`), or where the statement also
 * pins that tag with `StringEquals` (IAM ANDs the operators).
 */
export const podIdentityWildcardSubject: AwsRule = {
  id: 'WI-AWS-15',
  name: 'pod-identity-wildcard-subject',
  level: GuardrailLevel.ERROR,
  explanation: 'A wildcard on the kubernetes-namespace or kubernetes-service-account session tag lets every matching association, including ones created later by anyone who can create associations, use the role.',
  fix: 'List the exact subjects (WorkloadIdentity.addSubject), declare the pattern on the WorkloadIdentity (namespacePattern, serviceAccountPattern), ' +
    'or declare it in WorkloadIdentityGuardrails subjectPatterns as system:serviceaccount:<namespace>:<name> if it is intended.',
  check: context => {
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      for (const s of trustStatements(context, role)) {
        if (!s.podIdentity) { continue; }
        const namespaces = tagValues(s, NAMESPACE_TAG);
        const serviceAccounts = tagValues(s, SERVICE_ACCOUNT_TAG);
        if (!namespaces.some(v => v.wildcard) && !serviceAccounts.some(v => v.wildcard)) { continue; }
        // An absent tag condition admits every value of it.
        const ns = namespaces.length > 0 ? namespaces : [{ value: '*', wildcard: true }];
        const sa = serviceAccounts.length > 0 ? serviceAccounts : [{ value: '*', wildcard: true }];
        const declared = context.librarySubjectPatterns(role);
        for (const subject of ns.flatMap(n => sa.filter(a => n.wildcard || a.wildcard).map(a => `system:serviceaccount:${n.value}:${a.value}`))) {
          if (context.options.subjectPatterns.includes(subject) || declared.has(podIdentitySubjectPatternKey(subject))) { continue; }
          findings.push(context.finding(podIdentityWildcardSubject,
            `Role '${context.nameOf(role)}' trusts Pod Identity sessions of the wildcard subject '${subject}' (kubernetes-namespace / kubernetes-service-account session tags), which no one declared as a pattern.`, role));
        }
      }
    }
    return findings;
  },
};

/** The values a statement requires of a session tag; a Like value with `*` or `?` is a wildcard unless StringEquals pins the tag too. */
function tagValues(s: TrustStatement, tag: string): { value: string; wildcard: boolean }[] {
  const values: { value: string; wildcard: boolean }[] = [];
  let pinned: boolean | undefined;
  for (const c of s.conditionList) {
    if (c.lowerKey !== tag) { continue; }
    const like = c.operator.includes('Like');
    if (c.operator !== 'StringEquals' && !like) { continue; }
    if (like && (pinned ??= pinnedExactly(s, tag))) { continue; }
    for (const value of c.values) { values.push({ value, wildcard: like && /[*?]/.test(value) }); }
  }
  return values;
}
