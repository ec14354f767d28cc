import { roleArnAnnotationOf } from '../../../core/binding-annotations';
import { describeCluster } from '../../../core/binding-cluster';
import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { usesIrsa } from '../../../core/identity-mechanism';
import { WorkloadBinding } from '../../../core/workload-binding';
import { K8sRule } from './k8s-rule';

/** WI-K8S-5 unbacked-role-arn: a ServiceAccount whose role ARN annotation no binding (declared identity) carries. */
export const unbackedRoleArn: K8sRule = {
  id: 'WI-K8S-5',
  name: 'unbacked-role-arn',
  level: GuardrailLevel.ERROR,
  explanation: 'A role ARN annotation that no declared identity backs points at a role whose trust nobody checked, or at none.',
  fix: 'Render the ServiceAccount from its binding (new WorkloadServiceAccount(chart, id, { binding })), or pass the bindings (or, for a match of an IRSA subject pattern, ' +
    'the bindings file\'s subjectPatterns) to KubernetesGuardrails.',
  check: context => context.ofKind('ServiceAccount').flatMap(sa => {
    const roleArn = context.roleArnAnnotation(sa);
    if (roleArn === undefined) { return []; }
    const backs = (b: WorkloadBinding) => roleArnAnnotationOf(b) === roleArn;
    if (context.bindingsOf(sa).some(backs)) { return []; }
    // An IRSA pattern's role trusts every ServiceAccount it matches: its new matches need no binding of their own.
    if (context.declaredPatterns(sa.namespace, sa.name).some(p => usesIrsa(p.mechanism) && p.roleArn === roleArn)) { return []; }
    // A binding of another cluster (same-named in another account or region, or another name) backs nothing here.
    const elsewhere = context.otherClustersBindings(sa.namespace, sa.name).filter(backs);
    const why = elsewhere.length === 0 ? 'which no declared identity backs.'
      : context.cluster
        ? `which only a binding of cluster ${elsewhere.map(describeCluster).join(', ')} backs, not of cluster ${describeCluster(context.cluster)} that this app renders.`
        : `which bindings of clusters ${elsewhere.map(describeCluster).join(', ')} back; say which cluster this app renders (KubernetesGuardrails.of(app, { clusterName, clusterArn })).`;
    return [context.finding(unbackedRoleArn, `ServiceAccount '${sa.namespace}/${sa.name}' is annotated with role '${roleArn}', ${why}`, sa)];
  }),
};
