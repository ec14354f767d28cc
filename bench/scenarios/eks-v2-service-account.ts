import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { AUDIENCE, CLUSTER_NAME, ENV, ISSUER, Mechanism, READ_ACTIONS, Scenario, workload } from './scenario';

/**
 * aws-eks-v2's own `ServiceAccount` on an imported cluster: it applies the
 * ServiceAccount through the kubectl provider (a Lambda-backed custom
 * resource), so nothing goes into the cdk8s app.
 */
export const eksV2ServiceAccount: Scenario = {
  name: 'eks-v2',
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, _k8sApp: cdk8s.App) {
    const stack = new cdk.Stack(awsApp, 'Bench', { env: ENV });
    // An imported cluster ignores kubectlProviderOptions (only a created
    // Cluster builds a provider from them), so the provider is built here
    // against a first reference and handed to the one the workloads use.
    const reference = eks.Cluster.fromClusterAttributes(stack, 'ClusterReference', { clusterName: CLUSTER_NAME });
    const kubectlProvider = new eks.KubectlProvider(stack, 'KubectlProvider', {
      cluster: reference,
      kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer'),
    });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: CLUSTER_NAME,
      kubectlProvider,
      // The same native provider the other two declare (no custom resource).
      openIdConnectProvider: mechanism === 'irsa' ? new iam.OidcProviderNative(stack, 'OidcProvider', { url: ISSUER, clientIds: [AUDIENCE] }) : undefined,
    });
    if (mechanism === 'pod-identity') {
      // An imported cluster has no eksPodIdentityAgent; the other two declare the add-on, so this one does too.
      new eks.Addon(stack, 'PodIdentityAgent', { cluster, addonName: 'eks-pod-identity-agent' });
    }
    const identityType = mechanism === 'irsa' ? eks.IdentityType.IRSA : eks.IdentityType.POD_IDENTITY;
    for (let i = 0; i < n; i++) {
      const w = workload(i);
      const serviceAccount = cluster.addServiceAccount(w.id, {
        name: w.serviceAccountName,
        namespace: w.namespace,
        identityType,
        labels: { 'app.kubernetes.io/managed-by': 'cdk-eks-workload-identity' },
      });
      serviceAccount.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
    }
  },
};
