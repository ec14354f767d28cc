import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { ACCESS_KEY_ID, AWS_KEY_VARIABLES, entriesOf } from './aws-keys';
import { K8sRule } from './k8s-rule';

/** WI-K8S-2 static-key-secret: a Secret or ConfigMap with AWS key entries (named as in AWS_KEY_VARIABLES), or values shaped like access key ids. */
export const staticKeySecret: K8sRule = {
  id: 'WI-K8S-2',
  name: 'static-key-secret',
  level: GuardrailLevel.ERROR,
  explanation: 'A Secret or ConfigMap that carries AWS keys is a long-lived credential waiting to be mounted or leaked.',
  fix: 'Delete the keys from it and give the workloads that read them a WorkloadIdentity.',
  check: context => context.ofKind('Secret', 'ConfigMap').flatMap(m => {
    const entries = entriesOf(m);
    const what = [
      ...entries.filter(([k]) => AWS_KEY_VARIABLES.includes(k)).map(([k]) => `the key ${k}`),
      ...entries.filter(([k, v]) => !AWS_KEY_VARIABLES.includes(k) && ACCESS_KEY_ID.test(v)).map(([k]) => `an access key id under key '${k}'`),
    ];
    return what.length > 0 ? [context.finding(staticKeySecret, `${m.display} carries ${what.join(' and ')}.`, m)] : [];
  }),
};
