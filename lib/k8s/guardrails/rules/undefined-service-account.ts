import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { K8S_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { K8sRuleContext } from '../manifest-model';

/** WI-K8S-4: a pod that names a ServiceAccount no chart of the app defines (and not listed as external). */
export function undefinedServiceAccount(context: K8sRuleContext): GuardrailFinding[] {
  return context.pods.filter(p => p.serviceAccountName !== 'default' &&
    !context.find('ServiceAccount', p.manifest.namespace, p.serviceAccountName) &&
    !context.externalServiceAccounts.includes(`${p.manifest.namespace}/${p.serviceAccountName}`))
    .map(p => context.finding(K8S_RULES.undefinedServiceAccount,
      MESSAGES.undefinedServiceAccount(p.manifest.display, `${p.manifest.namespace}/${p.serviceAccountName}`), p.manifest));
}
