import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { K8sRule } from './k8s-rule';

/** WI-K8S-3 default-service-account: a pod that runs as the namespace's `default` ServiceAccount. */
export const defaultServiceAccount: K8sRule = {
  id: 'WI-K8S-3',
  name: 'default-service-account',
  level: GuardrailLevel.ERROR,
  explanation: 'A pod that runs as "default" shares its identity with every other pod of the namespace, and without an identity of its own it falls back to the node role.',
  fix: 'Give the pod its own ServiceAccount (serviceAccount: a WorkloadServiceAccount, or a kplus.ServiceAccount for pods that need no AWS access).',
  check: context => context.pods.filter(p => p.serviceAccountName === 'default')
    .map(p => context.finding(defaultServiceAccount, `${p.manifest.display} runs as ServiceAccount 'default'.`, p.manifest)),
};
