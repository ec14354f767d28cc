import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadServiceAccount, WorkloadStacks } from '../../lib';
import { clusterApp, clustersFor, ENV, Mechanism, READ_ACTIONS, Scenario, workload } from './scenario';

/**
 * The library with IRSA on a cluster whose issuer is known only at deploy
 * time (a token, as for a cluster created in the same app): CloudFormation
 * cannot build condition keys from a token, so each trust statement goes
 * through a CfnJson custom resource, backed by one Lambda function per stack.
 * The cost of not knowing the issuer at synth time, shown as what it is.
 */
export const libraryTokenIssuer: Scenario = {
  name: 'library-token-issuer',
  mechanisms: ['irsa'],
  build(n: number, _mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App) {
    const platform = new cdk.Stack(awsApp, 'Platform', { env: ENV });
    const benchClusters = clustersFor(n);
    const clusters = benchClusters.map(c => WorkloadCluster.fromClusterAttributes(platform, c.name, {
      clusterName: c.name, clusterArn: c.arn, oidcIssuerUrl: cdk.Fn.importValue(`${c.name}-oidc-issuer`), installPodIdentityAgent: true, createOpenIdConnectProvider: true,
    }));
    const charts = benchClusters.map(c => new cdk8s.Chart(clusterApp(k8sApp, c.name), 'service-accounts'));
    const stacks = new WorkloadStacks(awsApp, 'Workloads', { stackProps: { env: ENV } });
    for (let i = 0; i < n; i++) {
      const w = workload(i, clusters.length);
      const identity = new WorkloadIdentity(stacks.stackWithRoom(), w.id, {
        cluster: clusters[w.cluster],
        mechanism: IdentityMechanism.IRSA,
        namespace: w.namespace,
        serviceAccountName: w.serviceAccountName,
      });
      identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
      new WorkloadServiceAccount(charts[w.cluster], `${w.namespace}-${w.serviceAccountName}`, { binding: identity.primaryBinding });
    }
  },
};
