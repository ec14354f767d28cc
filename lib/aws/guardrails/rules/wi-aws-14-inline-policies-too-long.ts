import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { asArray, ResourceFinding, TemplateResource } from '../template-model';
import { AwsRule } from './aws-rule';

/** IAM's quota on the inline policies of one role, together, in characters without whitespace. */
export const MAX_ROLE_INLINE_POLICIES_LENGTH = 10_240;

/**
 * WI-AWS-14 inline-policies-too-long: a role whose inline policies (its
 * `Policies` and the `AWS::IAM::Policy` resources that name it) are longer
 * than IAM allows, measured on the rendered documents as IAM counts them.
 */
export const inlinePoliciesTooLong: AwsRule = {
  id: 'WI-AWS-14',
  name: 'inline-policies-too-long',
  level: GuardrailLevel.ERROR,
  explanation: 'IAM rejects a role whose inline policies (its Policies and every AWS::IAM::Policy attached to it) exceed 10,240 characters together, so the deployment fails. Grants to a WorkloadIdentity overflow into managed policies as iam.Role\'s do; policies you attach yourself (iam.Policy, a role\'s inline Policies) do not.',
  fix: 'Move the statements of the policies you attach into an iam.ManagedPolicy passed as managedPolicies, grant on fewer, broader resources (a key prefix instead of each object), or split the permissions over identities.',
  check: context => {
    const attached = new Map<TemplateResource, any[]>();
    for (const policy of context.ofType('AWS::IAM::Policy')) {
      for (const ref of asArray(policy.properties.Roles)) {
        const role = typeof ref?.Ref === 'string' ? context.target(policy.stack, ref.Ref) : undefined;
        if (!role) { continue; }
        const documents = attached.get(role);
        if (documents) { documents.push(policy.properties.PolicyDocument); } else { attached.set(role, [policy.properties.PolicyDocument]); }
      }
    }
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      // Rendered sharing what has no intrinsics with the template (context.render): measured, not copied.
      let length = 0;
      for (const p of asArray(role.properties.Policies)) { length += JSON.stringify(context.render(role.stack, p?.PolicyDocument ?? {})).length; }
      for (const d of attached.get(role) ?? []) { length += JSON.stringify(context.render(role.stack, d ?? {})).length; }
      if (length > MAX_ROLE_INLINE_POLICIES_LENGTH) {
        findings.push(context.finding(inlinePoliciesTooLong,
          `Role '${context.nameOf(role)}' has inline policies of ${length} characters together (rendered, without whitespace); the quota is ${MAX_ROLE_INLINE_POLICIES_LENGTH}.`, role));
      }
    }
    return findings;
  },
};
