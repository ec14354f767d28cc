import { AwsRuleContext, TemplateResource } from '../template-model';

// Shared by the rules that compare clusters (WI-AWS-9, WI-AWS-10, WI-AWS-12).

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

/** The literal cluster name, or for a cluster created in the stack, its construct path (else stack and logical id). */
export function clusterNameOf(context: AwsRuleContext, r: TemplateResource): string {
  const name = context.render(r.stack, r.properties.ClusterName);
  if (typeof name === 'string' && !name.includes('?')) { return name; }
  const ref = r.properties.ClusterName?.Ref;
  const target = typeof ref === 'string' ? context.target(r.stack, ref) : undefined;
  if (target) { return context.nameOf(target); }
  return ref ? `${r.stack.stackPath}/${ref}` : JSON.stringify(r.properties.ClusterName);
}

/** Whether two resources name the same cluster in the same account and region. */
export function sameCluster(context: AwsRuleContext, a: TemplateResource, b: TemplateResource): boolean {
  return a.stack.account === b.stack.account && a.stack.region === b.stack.region && clusterNameOf(context, a) === clusterNameOf(context, b);
}
