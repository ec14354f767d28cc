import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { K8S_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AWS_KEY_VARIABLES, containersOf, entriesOf, K8sRuleContext } from '../manifest-model';

/** WI-K8S-1: a container that gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN. */
export function staticKeyEnv(context: K8sRuleContext): GuardrailFinding[] {
  return context.pods.flatMap(pod => containersOf(pod.spec).flatMap(container => {
    const found: [string, string][] = [];
    for (const env of container.env ?? []) {
      if (!AWS_KEY_VARIABLES.includes(env.name)) { continue; }
      const secret = env.valueFrom?.secretKeyRef;
      const configMap = env.valueFrom?.configMapKeyRef;
      found.push([env.name, secret ? `from Secret '${secret.name}' key '${secret.key}'`
        : configMap ? `from ConfigMap '${configMap.name}' key '${configMap.key}'`
          : env.valueFrom ? 'from another source' : 'as a literal value']);
    }
    for (const source of container.envFrom ?? []) {
      const kind = source.secretRef ? 'Secret' : source.configMapRef ? 'ConfigMap' : undefined;
      if (!kind) { continue; }
      const name = (source.secretRef ?? source.configMapRef).name;
      const object = context.find(kind, pod.manifest.namespace, name);
      for (const [key] of object ? entriesOf(object) : []) {
        const variable = `${source.prefix ?? ''}${key}`;
        if (AWS_KEY_VARIABLES.includes(variable)) { found.push([variable, `from ${kind} '${name}' (envFrom)`]); }
      }
    }
    return found.map(([variable, how]) => context.finding(K8S_RULES.staticKeyEnv,
      MESSAGES.staticKeyEnv(pod.manifest.display, container.name, variable, how), pod.manifest));
  }));
}
