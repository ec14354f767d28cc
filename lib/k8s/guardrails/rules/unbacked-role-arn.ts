import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { K8S_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { ROLE_ARN_ANNOTATION } from '../../../core/service-account-annotations';
import { K8sRuleContext } from '../manifest-model';

/** WI-K8S-5: a ServiceAccount whose role ARN annotation no binding (declared identity) carries. */
export function unbackedRoleArn(context: K8sRuleContext): GuardrailFinding[] {
  return context.ofKind('ServiceAccount').flatMap(sa => {
    const roleArn = context.roleArnAnnotation(sa);
    if (roleArn === undefined) { return []; }
    const binding = context.bindingOf(sa.namespace, sa.name);
    if (binding?.serviceAccountAnnotations?.[ROLE_ARN_ANNOTATION] === roleArn) { return []; }
    return [context.finding(K8S_RULES.unbackedRoleArn, MESSAGES.unbackedRoleArn(`${sa.namespace}/${sa.name}`, roleArn), sa)];
  });
}
