import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { K8sRule } from './k8s-rule';

/**
 * WI-K8S-4 undefined-service-account: a pod that names a ServiceAccount no
 * chart of the app defines in the pod's namespace (and not listed as
 * external). A ServiceAccount of that name in another namespace is named:
 * a pod can only use one of its own namespace.
 */
export const undefinedServiceAccount: K8sRule = {
  id: 'WI-K8S-4',
  name: 'undefined-service-account',
  level: GuardrailLevel.ERROR,
  explanation: 'The pod is rejected (or runs with another identity) when its ServiceAccount does not exist in its namespace.',
  fix: 'Define the ServiceAccount in the pod\'s namespace (WorkloadServiceAccount), or list it in KubernetesGuardrails externalServiceAccounts if it is created elsewhere.',
  check: context => context.pods.filter(p => p.serviceAccountName !== 'default' &&
    !context.find('ServiceAccount', p.manifest.namespace, p.serviceAccountName) &&
    !context.externalServiceAccounts.includes(`${p.manifest.namespace}/${p.serviceAccountName}`))
    .map(p => {
      const elsewhere = context.namespacesDefining(p.serviceAccountName);
      const subject = `${p.manifest.namespace}/${p.serviceAccountName}`;
      const message = elsewhere.length > 0
        ? `${p.manifest.display} runs as ServiceAccount '${subject}', which the app defines only in namespace ${elsewhere.map(n => `'${n}'`).join(', ')}, not in '${p.manifest.namespace}'.`
        : `${p.manifest.display} runs as ServiceAccount '${subject}', which the app does not define.`;
      return context.finding(undefinedServiceAccount, message, p.manifest);
    }),
};
