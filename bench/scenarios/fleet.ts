import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { IdentityMechanism, IWorkloadCluster, WorkloadCluster, WorkloadIdentity, WorkloadServiceAccount, WorkloadStacks } from '../../lib';
import { ENV, READ_ACTIONS, workload } from './scenario';

/** The three clusters of the fleet and the mechanism their workloads use. */
export const FLEET_CLUSTERS = [
  { name: 'pods', mechanism: () => IdentityMechanism.POD_IDENTITY },
  { name: 'irsa', mechanism: () => IdentityMechanism.IRSA },
  // Every other workload on the mixed cluster uses each mechanism.
  { name: 'mixed', mechanism: (i: number) => (Math.floor(i / 3) % 2 === 0 ? IdentityMechanism.POD_IDENTITY : IdentityMechanism.IRSA) },
];

/** The issuer of the fleet's cluster `name` (placeholders: nothing is deployed). */
export function fleetIssuer(name: string): string {
  return `https://oidc.eks.${ENV.region}.amazonaws.com/id/${name.toUpperCase().padEnd(32, '0')}`;
}

/**
 * N workloads on three existing clusters (Pod Identity, IRSA, mixed), as a
 * platform team would write them without any arithmetic: the cluster handles
 * in a `Platform` stack, which owns the cluster-wide pieces, and the
 * workloads in stacks handed out by `WorkloadStacks`. Workload i lives on
 * cluster i % 3 and reads one bucket; its ServiceAccount goes to its
 * cluster's cdk8s app, which writes `<k8sOutdir>/<cluster>/`.
 */
export function buildFleet(n: number, awsApp: cdk.App, k8sOutdir: string): { platform: cdk.Stack; stacks: WorkloadStacks; k8sApps: cdk8s.App[] } {
  const platform = new cdk.Stack(awsApp, 'Platform', { env: ENV });
  const clusters: IWorkloadCluster[] = FLEET_CLUSTERS.map(c => WorkloadCluster.fromClusterAttributes(platform, c.name, {
    clusterName: c.name,
    clusterArn: `arn:aws:eks:${ENV.region}:${ENV.account}:cluster/${c.name}`,
    oidcIssuerUrl: fleetIssuer(c.name),
    // The platform owns what each cluster's mechanism needs: both options declare their piece whether used or not.
    installPodIdentityAgent: c.name !== 'irsa',
    createOpenIdConnectProvider: c.name !== 'pods',
  }));
  const k8sApps = FLEET_CLUSTERS.map(c => new cdk8s.App({ outdir: path.join(k8sOutdir, c.name) }));
  const charts = k8sApps.map(k8sApp => new cdk8s.Chart(k8sApp, 'service-accounts'));
  const stacks = new WorkloadStacks(awsApp, 'Workloads', { stackProps: { env: ENV } });
  for (let i = 0; i < n; i++) {
    const w = workload(i);
    const c = i % FLEET_CLUSTERS.length;
    const identity = new WorkloadIdentity(stacks.stackWithRoom(), w.id, {
      cluster: clusters[c],
      mechanism: FLEET_CLUSTERS[c].mechanism(i),
      namespace: w.namespace,
      serviceAccountName: w.serviceAccountName,
    });
    identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
    new WorkloadServiceAccount(charts[c], `${w.namespace}-${w.serviceAccountName}`, { binding: identity.primaryBinding });
  }
  return { platform, stacks, k8sApps };
}
