import { CfnResource, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct, IConstruct } from 'constructs';
import { POD_IDENTITY_AGENT_ADDON } from '../../core/pod-identity';
import { ClusterNotices } from './cluster-notices';
import { appSingleton } from '../app-singleton';
import { clusterDisplayName, clusterIdentity, IWorkloadCluster } from './i-workload-cluster';

/** A new `eks-pod-identity-agent` add-on for the cluster named `clusterName`. */
export function newPodIdentityAgent(scope: Construct, clusterName: string, version?: string): IConstruct {
  return new eks.CfnAddon(scope, 'PodIdentityAgent', {
    clusterName,
    addonName: POD_IDENTITY_AGENT_ADDON,
    addonVersion: version,
  });
}

const AGENT_OWNERS_ID = 'cdk-eks-workload-identity.PodIdentityAgentOwners';

/** The handles of the app that own their cluster's add-on (installPodIdentityAgent: true), by cluster. */
class PodIdentityAgentOwners extends Construct {
  public readonly byCluster = new Map<string, IWorkloadCluster>();
}

/**
 * Records a handle that owns its cluster's add-on, so that the note on
 * another handle of the cluster (whose identities do not use it) names it.
 */
export function registerPodIdentityAgentOwner(owner: IWorkloadCluster): void {
  const owners = appSingleton(owner, AGENT_OWNERS_ID, PodIdentityAgentOwners).byCluster;
  const key = clusterIdentity(owner);
  if (!owners.has(key)) { owners.set(key, owner); }
}

/**
 * Notes once per cluster (info) that the app installs no agent on a cluster it
 * does not own, and how to check the agent is there; or, where another handle
 * of the cluster owns the add-on, that these identities do not use it.
 */
export function noteAgentOwnedElsewhere(cluster: IWorkloadCluster): void {
  ClusterNotices.note(cluster, 'pod-identity-agent', () => {
    const name = clusterDisplayName(cluster);
    // Read at synth: the owning handle may be constructed after this one.
    const owner = appSingleton(cluster, AGENT_OWNERS_ID, PodIdentityAgentOwners).byCluster.get(clusterIdentity(cluster));
    if (owner) {
      return `Cluster '${name}': handle '${owner.node.path}' owns its '${POD_IDENTITY_AGENT_ADDON}' add-on (installPodIdentityAgent: true), ` +
        `but Pod Identity identities use handle '${cluster.node.path}', which does not: the add-on is declared on the owning handle's own first Pod Identity use ` +
        '(none, if no identity uses that handle), and their stack does not deploy after it. ' +
        `Give '${owner.node.path}' to these identities as their cluster: one handle of a cluster, from every stack.`;
    }
    return `Cluster '${name}' is owned outside this app, so it installs no '${POD_IDENTITY_AGENT_ADDON}' add-on: Pod Identity needs the agent on the cluster. ` +
      `Check it with: aws eks describe-addon --cluster-name ${name} --addon-name ${POD_IDENTITY_AGENT_ADDON}. ` +
      'To have this app own it, set installPodIdentityAgent: true on one handle of the cluster (its stack then holds the add-on).';
  });
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
 * the cluster's agent add-on when the app declares it in the same stack.
 */
export function dependOnPodIdentityAgent(resource: CfnResource, cluster: IWorkloadCluster): void {
  const agent = cluster._ensurePodIdentityAgent();
  if (!agent) { return; }
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
