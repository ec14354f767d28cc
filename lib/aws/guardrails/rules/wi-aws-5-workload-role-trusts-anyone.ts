import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { isWorkloadRole, ResourceFinding, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

const ACCOUNT_ROOT = /^(arn:[^:]+:iam::[^:]+:root|\d{12})$/;

/** WI-AWS-5 workload-role-trusts-anyone: a workload role (IRSA or Pod Identity) that also trusts `*` or an account root. */
export const workloadRoleTrustsAnyone: AwsRule = {
  id: 'WI-AWS-5',
  name: 'workload-role-trusts-anyone',
  level: GuardrailLevel.ERROR,
  explanation: 'A workload role that trusts "*" or an account root can be assumed by any principal of that account (or of any account) that is allowed sts:AssumeRole, not only by its pods.',
  fix: 'Remove that statement; let only the pods\' ServiceAccounts assume the role (WorkloadIdentity builds that trust).',
  check: context => {
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      if (!isWorkloadRole(context, role)) { continue; }
      for (const s of trustStatements(context, role)) {
        if (s.effect !== 'Allow') { continue; }
        const principals = s.anyPrincipal ? ['*'] : (s.principals.AWS ?? []).filter(p => p === '*' || ACCOUNT_ROOT.test(p));
        for (const p of principals) { findings.push(context.finding(workloadRoleTrustsAnyone, `Workload role '${context.nameOf(role)}' trusts '${p}'.`, role)); }
      }
    }
    return findings;
  },
};
