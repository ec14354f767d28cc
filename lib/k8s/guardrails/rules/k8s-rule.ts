import { GuardrailFinding, GuardrailRule } from '../../../core/guardrails/guardrail-level';
import { K8sRuleContext } from '../manifest-model';

/** A rule of the Kubernetes side: its id, level, texts, and the check over the app's objects. */
export interface K8sRule extends GuardrailRule {
  check(context: K8sRuleContext): GuardrailFinding[];
}
