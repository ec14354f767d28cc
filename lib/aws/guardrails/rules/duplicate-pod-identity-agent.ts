import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { POD_IDENTITY_AGENT_ADDON } from '../../../core/pod-identity';
import { AwsRuleContext, ResourceFinding } from '../template-model';
import { groupByCluster } from './too-many-pod-identity-associations';

/** WI-AWS-10: a second eks-pod-identity-agent add-on for one cluster, in any stack of the app. */
export function duplicatePodIdentityAgent(context: AwsRuleContext): ResourceFinding[] {
  const agents = context.ofType('AWS::EKS::Addon').filter(r => r.properties.AddonName === POD_IDENTITY_AGENT_ADDON);
  return groupByCluster(context, agents).filter(g => g.resources.length > 1).map(({ cluster, resources: list }) =>
    context.finding(AWS_RULES.duplicateAgent, MESSAGES.duplicateAgent(cluster, list.map(r => context.nameOf(r))), list[1]));
}
