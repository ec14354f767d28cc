import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { ResourceFinding } from '../template-model';
import { AwsRule } from './aws-rule';

/**
 * WI-AWS-8 trust-policy-too-long: a trust policy longer than the quota,
 * measured on the rendered policy (intrinsics replaced by their values, no
 * whitespace), as IAM counts.
 */
export const trustPolicyTooLong: AwsRule = {
  id: 'WI-AWS-8',
  name: 'trust-policy-too-long',
  level: GuardrailLevel.ERROR,
  explanation: 'IAM rejects trust policies over the role trust policy quota (2,048 characters by default), so the deployment fails.',
  fix: 'Move these subjects to Pod Identity (one statement per namespace and ServiceAccount lists its clusters: about 24 clusters of one account fit in 2,048 characters, where IRSA needs one statement per cluster issuer), split them over several identities, or raise the quota and set maxTrustPolicyLength.',
  check: context => {
    const max = context.options.maxTrustPolicyLength;
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      const length = JSON.stringify(context.trustPolicy(role)).length;
      if (length > max) {
        findings.push(context.finding(trustPolicyTooLong, `Role '${context.nameOf(role)}' has a trust policy of ${length} characters (rendered, without whitespace); the quota is ${max}.`, role));
      }
    }
    return findings;
  },
};
