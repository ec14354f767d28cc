import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadServiceAccount, WorkloadStacks } from '../../lib';
import { clusterApp, clustersFor, ENV, Mechanism, READ_ACTIONS, Scenario, workload } from './scenario';

/**
 * This library as its documentation advises for many workloads: the cluster
 * handles (literal issuer) in a platform stack, which owns the cluster-wide
 * pieces, and one WorkloadIdentity per workload in stacks handed out by
 * WorkloadStacks, granted read on one bucket (one statement), with one
 * WorkloadServiceAccount per workload rendered from its binding.
 */
export const library: Scenario = {
  name: 'library',
  mechanisms: ['pod-identity', 'irsa'],
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App) {
    const platform = new cdk.Stack(awsApp, 'Platform', { env: ENV });
    const benchClusters = clustersFor(n);
    const clusters = benchClusters.map(c => WorkloadCluster.fromClusterAttributes(platform, c.name, {
      clusterName: c.name, clusterArn: c.arn, oidcIssuerUrl: c.issuer,
      // The cluster-wide piece the mechanism needs, as every other approach declares it.
      installPodIdentityAgent: mechanism === 'pod-identity', createOpenIdConnectProvider: mechanism === 'irsa',
    }));
    const charts = benchClusters.map(c => new cdk8s.Chart(clusterApp(k8sApp, c.name), 'service-accounts'));
    const stacks = new WorkloadStacks(awsApp, 'Workloads', { stackProps: { env: ENV } });
    const identityMechanism = mechanism === 'irsa' ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY;
    for (let i = 0; i < n; i++) {
      const w = workload(i, clusters.length);
      const identity = new WorkloadIdentity(stacks.stackWithRoom(), w.id, {
        cluster: clusters[w.cluster],
        mechanism: identityMechanism,
        namespace: w.namespace,
        serviceAccountName: w.serviceAccountName,
      });
      identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
      new WorkloadServiceAccount(charts[w.cluster], `${w.namespace}-${w.serviceAccountName}`, { binding: identity.primaryBinding });
    }
  },
};
