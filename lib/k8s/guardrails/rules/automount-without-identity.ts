import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { K8S_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { K8sRuleContext } from '../manifest-model';

/** WI-K8S-6 (warning): a ServiceAccount with no AWS identity that automounts its API token (Kubernetes' default). */
export function automountWithoutIdentity(context: K8sRuleContext): GuardrailFinding[] {
  return context.ofKind('ServiceAccount').filter(sa => sa.json.automountServiceAccountToken !== false &&
    context.roleArnAnnotation(sa) === undefined && !context.bindingOf(sa.namespace, sa.name))
    .map(sa => context.finding(K8S_RULES.automountWithoutIdentity, MESSAGES.automountWithoutIdentity(`${sa.namespace}/${sa.name}`), sa));
}
