import { serviceAccountAnnotations } from '../../../core/binding-annotations';
import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { ROLE_ARN_ANNOTATION } from '../../../core/service-account-annotations';
import { K8sRule } from './k8s-rule';

/** WI-K8S-5 unbacked-role-arn: a ServiceAccount whose role ARN annotation no binding (declared identity) carries. */
export const unbackedRoleArn: K8sRule = {
  id: 'WI-K8S-5',
  name: 'unbacked-role-arn',
  level: GuardrailLevel.ERROR,
  explanation: 'A role ARN annotation that no declared identity backs points at a role whose trust nobody checked, or at none.',
  fix: 'Render the ServiceAccount from its binding (new WorkloadServiceAccount(chart, id, { binding })), or pass the bindings to KubernetesGuardrails.',
  check: context => context.ofKind('ServiceAccount').flatMap(sa => {
    const roleArn = context.roleArnAnnotation(sa);
    if (roleArn === undefined) { return []; }
    if (context.bindingsOf(sa).some(b => serviceAccountAnnotations(b)[ROLE_ARN_ANNOTATION] === roleArn)) { return []; }
    return [context.finding(unbackedRoleArn,
      `ServiceAccount '${sa.namespace}/${sa.name}' is annotated with role '${roleArn}', which no declared identity backs.`, sa)];
  }),
};
