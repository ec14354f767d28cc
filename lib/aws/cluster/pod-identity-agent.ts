import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct, IConstruct } from 'constructs';
import { POD_IDENTITY_AGENT_ADDON } from '../../core/pod-identity';
import { ClusterKind } from '../../core/cluster-kind';
import { clusterDisplayName, IWorkloadCluster } from './i-workload-cluster';

/** A new `eks-pod-identity-agent` add-on for the cluster named `clusterName`. */
export function newPodIdentityAgent(scope: Construct, clusterName: string, version?: string): IConstruct {
  return new eks.CfnAddon(scope, 'PodIdentityAgent', {
    clusterName,
    addonName: POD_IDENTITY_AGENT_ADDON,
    addonVersion: version,
  });
}

/**
 * The cluster's agent add-on where the app owns it. Where it does not (and
 * the cluster is not Auto Mode, which builds the agent in), a note (info) on
 * the handle, now, says the agent must be present, how to check it, and how
 * to have the app own it.
 */
export function podIdentityAgentOf(cluster: IWorkloadCluster): IConstruct | undefined {
  const agent = cluster.podIdentityAgent;
  if (!agent && cluster.kind !== ClusterKind.EKS_AUTO_MODE) {
    const name = clusterDisplayName(cluster);
    Annotations.of(cluster).addInfoV2(AGENT_OWNED_ELSEWHERE,
      `The '${POD_IDENTITY_AGENT_ADDON}' add-on of cluster '${name}' is owned outside this app: Pod Identity needs the agent on the cluster. ` +
      `Check it with: aws eks describe-addon --cluster-name ${name} --addon-name ${POD_IDENTITY_AGENT_ADDON}. ` +
      'To have this app own it, set installPodIdentityAgent: true on the handle that owns the cluster (its stack then holds the add-on).');
  }
  return agent;
}

/** The id the note is acknowledged by: `Annotations.of(scope).acknowledgeInfo(id, why)`. */
export const AGENT_OWNED_ELSEWHERE = 'cdk-eks-workload-identity:pod-identity-agent-owned-elsewhere';

/**
 * The `eks-pod-identity-agent` add-ons of the cluster declared in `scope`'s
 * stack (by aws-eks, aws-eks-v2, this library or the user's own L1).
 */
export function declaredPodIdentityAgents(scope: IConstruct, clusterName: string): eks.CfnAddon[] {
  const stack = Stack.of(scope);
  // Compare resolved names as JSON: a created cluster's name resolves to a fresh { Ref } object each time.
  const name = JSON.stringify(stack.resolve(clusterName));
  // isCfnAddon checks the resource type, so aws-eks-v2's own CfnAddon class matches too.
  return stack.node.findAll().filter((c): c is eks.CfnAddon =>
    eks.CfnAddon.isCfnAddon(c) && c.addonName === POD_IDENTITY_AGENT_ADDON &&
    JSON.stringify(stack.resolve(c.clusterName)) === name);
}

/**
 * Makes `resource` (an association, or an add-on binding its own) wait for
 * the cluster's agent add-on when the app declares it: by DependsOn in the
 * same stack, by a stack dependency from another.
 */
export function dependOnPodIdentityAgent(resource: CfnResource, cluster: IWorkloadCluster): void {
  const agent = podIdentityAgentOf(cluster);
  if (agent) { dependOnAgent(resource, agent); }
}

function dependOnAgent(resource: CfnResource, agent: IConstruct): void {
  const [agentStack, stack] = [Stack.of(agent), Stack.of(resource)];
  if (agentStack !== stack) {
    // The agent lives in the cluster's stack: deploy that one first (once per stack, not per association).
    if (!stack.dependencies.includes(agentStack)) {
      stack.addStackDependency(agentStack, `the ${POD_IDENTITY_AGENT_ADDON} add-on of the cluster`);
    }
    return;
  }
  // A resource-level DependsOn: a construct-level dependency costs a tree walk per association at synth.
  const cfnAgent = CfnResource.isCfnResource(agent) ? agent : agent.node.defaultChild;
  if (cfnAgent && CfnResource.isCfnResource(cfnAgent)) {
    resource.addResourceDependency(cfnAgent);
  } else {
    resource.node.addDependency(agent);
  }
}

/**
 * A subject whose role trusts Pod Identity without an association yet (a
 * migration prepared for it, or switched away from it): the cluster's agent
 * add-on is declared where this app owns it (by the cluster's owner),
 * and an agent of another stack deploys first. Nothing waits on it by DependsOn, so adding the association
 * later changes nothing else.
 */
export function requirePodIdentityAgent(scope: Construct, cluster: IWorkloadCluster): void {
  const agent = podIdentityAgentOf(cluster);
  if (agent && Stack.of(agent) !== Stack.of(scope)) {
    Stack.of(scope).addStackDependency(Stack.of(agent), `the ${POD_IDENTITY_AGENT_ADDON} add-on of the cluster`);
  }
}
