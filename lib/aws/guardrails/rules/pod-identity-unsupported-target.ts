import { ClusterKind } from '../../../core/cluster-kind';
import { hasRuntimeMarks, runtimeOf } from '../../../core/guardrails/guardrails';
import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { WorkloadRuntime } from '../../../core/guardrails/workload-runtime';
import { asArray, AwsRuleContext, ResourceFinding, TemplateResource } from '../template-model';
import { clusterNameOf } from './too-many-pod-identity-associations';

const RUNTIME_REASONS: { [runtime: string]: string } = {
  [WorkloadRuntime.FARGATE]: 'a workload marked FARGATE (no DaemonSets on Fargate, so no Pod Identity agent)',
  [WorkloadRuntime.WINDOWS_NODE]: 'a workload marked WINDOWS_NODE (the Pod Identity agent runs on Linux only)',
  [WorkloadRuntime.HOST_NETWORK]: 'a workload marked HOST_NETWORK (EKS gives hostNetwork pods no Pod Identity credentials)',
};

/**
 * WI-AWS-12: Pod Identity where it does not exist: a cluster declared
 * NOT_EKS, a China Region, an EKS cluster on Outposts, a namespace a Fargate
 * profile sends to Fargate, or a workload marked with
 * `Guardrails.markRuntime` as FARGATE, WINDOWS_NODE or HOST_NETWORK.
 */
export function podIdentityUnsupportedTarget(context: AwsRuleContext): ResourceFinding[] {
  const notEks = new Set(context.constructs
    .filter((c: any) => c.kind === ClusterKind.NOT_EKS && typeof c.clusterName === 'string' && typeof c.ensurePodIdentityAgent === 'function')
    .map((c: any) => c.clusterName as string));
  const outposts = context.ofType('AWS::EKS::Cluster').filter(c => c.properties.OutpostConfig);
  const outpostNames = new Set(outposts.map(c => context.render(c.stack, c.properties.Name)).filter(n => typeof n === 'string'));
  const fargateProfiles = context.ofType('AWS::EKS::FargateProfile');

  return context.ofType('AWS::EKS::PodIdentityAssociation').flatMap(association => {
    const cluster = clusterNameOf(context, association);
    const reasons: string[] = [];
    if (notEks.has(cluster)) { reasons.push(`cluster '${cluster}', which is declared NOT_EKS (self-managed, EKS Anywhere or another distribution)`); }
    if (association.stack.region?.startsWith('cn-')) { reasons.push(`a cluster in the China Region ${association.stack.region}, where Pod Identity is not available`); }
    const ref = association.properties.ClusterName?.Ref;
    if (outpostNames.has(cluster) || outposts.some(o => o.stack === association.stack && o.logicalId === ref)) {
      reasons.push(`cluster '${cluster}', which runs on AWS Outposts`);
    }
    const profile = fargateProfiles.find(p => sameCluster(context, p, association) && asArray(p.properties.Selectors)
      .some((s: any) => s.Namespace === association.properties.Namespace && asArray(s.Labels).length === 0));
    if (profile) { reasons.push(`namespace '${association.properties.Namespace}', which Fargate profile '${context.nameOf(profile)}' runs on Fargate`); }
    // Checked first: `association.construct` maps every logical id of the app on first use.
    const runtime = hasRuntimeMarks(context.app) ? runtimeOf(association.construct) : undefined;
    if (runtime && RUNTIME_REASONS[runtime]) { reasons.push(RUNTIME_REASONS[runtime]); }
    return reasons.map(why => context.finding(AWS_RULES.podIdentityUnsupported, MESSAGES.podIdentityUnsupported(context.nameOf(association), why), association));
  });
}

function sameCluster(context: AwsRuleContext, a: TemplateResource, b: TemplateResource): boolean {
  return a.stack.account === b.stack.account && a.stack.region === b.stack.region && clusterNameOf(context, a) === clusterNameOf(context, b);
}
