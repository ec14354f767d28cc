import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { K8sRule } from './k8s-rule';

/** WI-K8S-6 automount-without-identity (warning): a ServiceAccount with no AWS identity that automounts its API token (Kubernetes' default). */
export const automountWithoutIdentity: K8sRule = {
  id: 'WI-K8S-6',
  name: 'automount-without-identity',
  level: GuardrailLevel.WARNING,
  explanation: 'A ServiceAccount without an AWS identity gains nothing from a mounted Kubernetes API token; mounting it only widens what a compromised pod can do.',
  fix: 'Set automountToken: false (automountServiceAccountToken: false), or give it an AWS identity.',
  check: context => context.ofKind('ServiceAccount').filter(sa => sa.automountServiceAccountToken !== false &&
    context.roleArnAnnotation(sa) === undefined && context.bindingsOf(sa).length === 0)
    .map(sa => context.finding(automountWithoutIdentity, `ServiceAccount '${sa.namespace}/${sa.name}' has no AWS identity but automounts its API token.`, sa)),
};
