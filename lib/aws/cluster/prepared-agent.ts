import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { POD_IDENTITY_AGENT_ADDON } from '../../core/pod-identity';
import { IWorkloadCluster } from './i-workload-cluster';
import { podIdentityAgentOf } from './pod-identity-agent';

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
