import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { POD_IDENTITY_AGENT_ADDON } from '../../../core/pod-identity';
import { AwsRule } from './aws-rule';
import { groupByCluster } from './cluster-names';

/** WI-AWS-10 duplicate-pod-identity-agent: a second eks-pod-identity-agent add-on for one cluster, in any stack of the app. */
export const duplicatePodIdentityAgent: AwsRule = {
  id: 'WI-AWS-10',
  name: 'duplicate-pod-identity-agent',
  level: GuardrailLevel.ERROR,
  picksFromGroup: true,
  explanation: 'EKS accepts one eks-pod-identity-agent add-on per cluster; the second one fails to create.',
  fix: 'Keep one add-on per cluster: the stack that owns the cluster owns it. Use one WorkloadCluster handle (installPodIdentityAgent: true only there, or a cluster created in the app) from every stack, declare your own add-on before the first WorkloadIdentity so it is reused, or remove the extra one.',
  check: context => {
    const agents = context.ofType('AWS::EKS::Addon').filter(r => r.properties.AddonName === POD_IDENTITY_AGENT_ADDON);
    return groupByCluster(context, agents).filter(g => g.resources.length > 1).map(({ cluster, resources }) =>
      context.finding(duplicatePodIdentityAgent,
        `Cluster '${cluster}' has ${resources.length} eks-pod-identity-agent add-ons (${resources.map(r => context.nameOf(r)).join(', ')}).`, resources[1]));
  },
};
