import { Annotations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { POD_IDENTITY_AGENT_ADDON } from '../../core/pod-identity';
import { appSingleton } from '../app-singleton';
import { clusterDisplayName, clusterIdentity, IWorkloadCluster } from './i-workload-cluster';

const NOTICES_ID = 'cdk-eks-workload-identity.AgentNotices';

/**
 * Says once per cluster of the app (an info, not a warning: nothing is wrong)
 * that the app installs no Pod Identity agent on a cluster it does not own,
 * and how to check the agent is there.
 */
export class AgentNotices extends Construct {
  /** Notes `cluster` unless another handle of the same cluster already was. */
  public static note(cluster: IWorkloadCluster): void {
    appSingleton(cluster, NOTICES_ID, AgentNotices).note(cluster);
  }

  private readonly noted = new Set<string>();

  private note(cluster: IWorkloadCluster & IConstruct): void {
    const key = clusterIdentity(cluster);
    if (this.noted.has(key)) { return; }
    this.noted.add(key);
    const name = clusterDisplayName(cluster);
    Annotations.of(cluster).addInfo(
      `Cluster '${name}' is owned outside this app, so it installs no '${POD_IDENTITY_AGENT_ADDON}' add-on: Pod Identity needs the agent on the cluster. ` +
      `Check it with: aws eks describe-addon --cluster-name ${name} --addon-name ${POD_IDENTITY_AGENT_ADDON}. ` +
      'To have this app own it, set installPodIdentityAgent: true on one handle of the cluster (its stack then holds the add-on).');
  }
}
