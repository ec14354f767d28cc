import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { containersOf } from '../manifest-model';
import { AWS_KEY_VARIABLES, entriesOf } from './aws-keys';
import { K8sRule } from './k8s-rule';

/**
 * WI-K8S-1 static-key-env: a container that gets a variable an SDK reads as a static key (AWS_KEY_VARIABLES:
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and the legacy AWS_ACCESS_KEY, AWS_SECRET_KEY,
 * AWS_SECURITY_TOKEN), by `env` or by `envFrom` (with its prefix).
 */
export const staticKeyEnv: K8sRule = {
  id: 'WI-K8S-1',
  name: 'static-key-env',
  level: GuardrailLevel.ERROR,
  explanation: 'Static keys in the environment never expire, and the SDK prefers them over the pod identity, so the workload identity silently stops being used.',
  fix: 'Remove the variable; the pod\'s ServiceAccount gives it credentials (WorkloadServiceAccount from a WorkloadIdentity).',
  check: context => context.pods.flatMap(pod => containersOf(pod.spec).flatMap(container => {
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
      const object = context.find(kind, pod.manifest.namespace, name, pod.manifest);
      for (const [key] of object ? entriesOf(object) : []) {
        const variable = `${source.prefix ?? ''}${key}`;
        if (AWS_KEY_VARIABLES.includes(variable)) { found.push([variable, `from ${kind} '${name}' (envFrom)`]); }
      }
    }
    return found.map(([variable, how]) => context.finding(staticKeyEnv,
      `Container '${container.name}' of ${pod.manifest.display} sets ${variable} ${how}.`, pod.manifest));
  })),
};
