import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, ResourceFinding, TemplateResource } from '../template-model';

/** WI-AWS-9: more pod identity associations on one cluster than the EKS quota. */
export function tooManyPodIdentityAssociations(context: AwsRuleContext): ResourceFinding[] {
  const max = context.options.maxPodIdentityAssociationsPerCluster;
  return groupByCluster(context, context.ofType('AWS::EKS::PodIdentityAssociation'))
    .filter(g => g.resources.length > max)
    .map(g => context.finding(AWS_RULES.tooManyAssociations, MESSAGES.tooManyAssociations(g.cluster, g.resources.length, max), g.resources[max]));
}

/** Resources grouped by the cluster they name: rendered `ClusterName`, in the stack's account and region. */
export function groupByCluster(context: AwsRuleContext, resources: TemplateResource[]): { cluster: string; resources: TemplateResource[] }[] {
  const groups = new Map<string, { cluster: string; resources: TemplateResource[] }>();
  for (const r of resources) {
    const cluster = clusterNameOf(context, r);
    const key = `${r.stack.account}|${r.stack.region}|${cluster}`;
    const group = groups.get(key) ?? { cluster, resources: [] };
    group.resources.push(r);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The literal cluster name, or for a cluster created in the stack, its stack and logical id. */
export function clusterNameOf(context: AwsRuleContext, r: TemplateResource): string {
  const name = context.render(r.stack, r.properties.ClusterName);
  if (typeof name === 'string' && !name.includes('?')) { return name; }
  const ref = r.properties.ClusterName?.Ref;
  return ref ? `${r.stack.stackPath}/${ref}` : JSON.stringify(r.properties.ClusterName);
}
