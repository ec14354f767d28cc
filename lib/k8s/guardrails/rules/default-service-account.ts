import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { K8S_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { K8sRuleContext } from '../manifest-model';

/** WI-K8S-3: a pod that runs as the namespace's `default` ServiceAccount. */
export function defaultServiceAccount(context: K8sRuleContext): GuardrailFinding[] {
  return context.pods.filter(p => p.serviceAccountName === 'default')
    .map(p => context.finding(K8S_RULES.defaultServiceAccount, MESSAGES.defaultServiceAccount(p.manifest.display), p.manifest));
}
