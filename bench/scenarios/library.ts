import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadServiceAccount } from '../../lib';
import { CLUSTER_ARN, CLUSTER_NAME, ENV, ISSUER, Mechanism, READ_ACTIONS, Scenario, workload } from './scenario';

/**
 * This library: one existing cluster with a literal issuer, one
 * WorkloadIdentity per workload granted read on one bucket (one statement), and one
 * WorkloadServiceAccount per workload rendered from its binding.
 */
export const library: Scenario = {
  name: 'library',
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App) {
    const stack = new cdk.Stack(awsApp, 'Bench', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: CLUSTER_NAME, clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER });
    const chart = new cdk8s.Chart(k8sApp, 'bench');
    const identityMechanism = mechanism === 'irsa' ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY;
    for (let i = 0; i < n; i++) {
      const w = workload(i);
      const identity = new WorkloadIdentity(stack, w.id, {
        cluster,
        mechanism: identityMechanism,
        namespace: w.namespace,
        serviceAccountName: w.serviceAccountName,
      });
      identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
      new WorkloadServiceAccount(chart, `${w.namespace}-${w.serviceAccountName}`, { binding: identity.binding });
    }
  },
};
