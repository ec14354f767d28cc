import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { K8S_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { ACCESS_KEY_ID, AWS_KEY_VARIABLES, entriesOf, K8sRuleContext } from '../manifest-model';

/** WI-K8S-2: a Secret or ConfigMap with AWS key entries, or values shaped like access key ids. */
export function staticKeySecret(context: K8sRuleContext): GuardrailFinding[] {
  return context.ofKind('Secret', 'ConfigMap').flatMap(m => {
    const entries = entriesOf(m);
    const what = [
      ...entries.filter(([k]) => AWS_KEY_VARIABLES.includes(k)).map(([k]) => `the key ${k}`),
      ...entries.filter(([k, v]) => !AWS_KEY_VARIABLES.includes(k) && ACCESS_KEY_ID.test(v)).map(([k]) => `an access key id under key '${k}'`),
    ];
    return what.length > 0 ? [context.finding(K8S_RULES.staticKeySecret, MESSAGES.staticKeySecret(m.display, what.join(' and ')), m)] : [];
  });
}
