import { CfnResource, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct, IConstruct } from 'constructs';
import { POD_IDENTITY_AGENT_ADDON } from '../../core/pod-identity';
import { ClusterNotices } from './cluster-notices';
import { ClusterKind } from '../../core/cluster-kind';
import { clusterDisplayName, IWorkloadCluster } from './i-workload-cluster';
import { SharedClusterResources } from './shared-cluster-resources';

/** A new `eks-pod-identity-agent` add-on for the cluster named `clusterName`. */
export function newPodIdentityAgent(scope: Construct, clusterName: string, version?: string): IConstruct {
  return new eks.CfnAddon(scope, 'PodIdentityAgent', {
    clusterName,
    addonName: POD_IDENTITY_AGENT_ADDON,
    addonVersion: version,
  });
}

/**
 * Notes once per cluster (info) that the app installs no agent on a cluster it
 * does not own, and how to check the agent is there; nothing if, by synth, a
 * handle of the cluster owns the add-on (whose identities then depend on it).
 */
export function noteAgentOwnedElsewhere(cluster: IWorkloadCluster): void {
  ClusterNotices.note(cluster, 'pod-identity-agent', () => {
    // Read at synth: the owning handle may be constructed after this one.
    if (SharedClusterResources.of(cluster).agentOwnerOf(cluster)) { return undefined; }
    const name = clusterDisplayName(cluster);
    return `Cluster '${name}' is owned outside this app, so it installs no '${POD_IDENTITY_AGENT_ADDON}' add-on: Pod Identity needs the agent on the cluster. ` +
      `Check it with: aws eks describe-addon --cluster-name ${name} --addon-name ${POD_IDENTITY_AGENT_ADDON}. ` +
      'To have this app own it, set installPodIdentityAgent: true on one handle of the cluster (its stack then holds the add-on).';
  });
}

/**
 * Hands the cluster's agent add-on to `use` where the app declares it: the
 * handle's own, else the one the handle of the cluster that owns it declares,
 * whether that handle is constructed before or after this one.
 */
export function withPodIdentityAgent(cluster: IWorkloadCluster, use: (agent: IConstruct) => void): void {
  const own = cluster._ensurePodIdentityAgent();
  if (own) { use(own); return; }
  if (cluster.kind !== ClusterKind.EKS_AUTO_MODE) { SharedClusterResources.of(cluster).withAgent(cluster, use); }
}

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
  withPodIdentityAgent(cluster, agent => dependOnAgent(resource, agent));
}

function dependOnAgent(resource: CfnResource, agent: IConstruct): void {
  if (Stack.of(agent) !== Stack.of(resource)) {
    // The agent lives in the cluster's stack: deploy that one first.
    Stack.of(resource).addStackDependency(Stack.of(agent), `the ${POD_IDENTITY_AGENT_ADDON} add-on of the cluster`);
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
