import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { AwsRule } from './aws-rule';
import { groupByCluster } from './cluster-names';

/** WI-AWS-9 too-many-pod-identity-associations: more pod identity associations on one cluster than the EKS quota. */
export const tooManyPodIdentityAssociations: AwsRule = {
  id: 'WI-AWS-9',
  name: 'too-many-pod-identity-associations',
  level: GuardrailLevel.ERROR,
  picksFromGroup: true,
  explanation: 'EKS refuses pod identity associations beyond its per-cluster quota, so the deployment fails midway.',
  fix: 'Share an identity between ServiceAccounts that need the same permissions, spread workloads over clusters, or set maxPodIdentityAssociationsPerCluster to your raised quota.',
  check: context => {
    const max = context.options.maxPodIdentityAssociationsPerCluster;
    return groupByCluster(context, context.ofType('AWS::EKS::PodIdentityAssociation'))
      .filter(g => g.resources.length > max)
      .map(g => context.finding(tooManyPodIdentityAssociations,
        `Cluster '${g.cluster}' has ${g.resources.length} pod identity associations in this app; the EKS quota is ${max} per cluster.`, g.resources[max]));
  },
};
