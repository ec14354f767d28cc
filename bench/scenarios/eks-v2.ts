import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { WorkloadStacks } from '../../lib';
import { AUDIENCE, clustersFor, ENV, MANAGED_BY, Mechanism, READ_ACTIONS, Scenario, workload } from './scenario';

/**
 * aws-eks-v2's own `ServiceAccount` (`cluster.addServiceAccount`, IRSA or
 * POD_IDENTITY) on imported clusters: it applies each ServiceAccount through
 * the kubectl provider (a Lambda-backed custom resource), so it writes no
 * YAML. The kubectl provider, the native OIDC providers and the agent
 * add-ons are in the platform stack; each workload stack imports the
 * clusters with them. Its IRSA trust needs a CfnJson custom resource per
 * workload (the imported provider's issuer is a token); its Pod Identity
 * trust admits any association in the account (no session-tag conditions).
 * Placed with WorkloadStacks, which counts its custom resources as any other.
 */
export const eksV2: Scenario = {
  name: 'eks-v2',
  mechanisms: ['pod-identity', 'irsa'],
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, _k8sApp: cdk8s.App) {
    const irsa = mechanism === 'irsa';
    const platform = new cdk.Stack(awsApp, 'Platform', { env: ENV });
    const benchClusters = clustersFor(n);
    // An imported cluster ignores kubectlProviderOptions (only a created
    // Cluster builds a provider from them), so the provider is built here
    // against a first reference and handed to the ones the workloads use.
    const reference = eks.Cluster.fromClusterAttributes(platform, 'ClusterReference', { clusterName: benchClusters[0].name });
    const kubectl = new eks.KubectlProvider(platform, 'KubectlProvider', {
      cluster: reference,
      kubectlLayer: new KubectlV33Layer(platform, 'KubectlLayer'),
    });
    const providers = benchClusters.map(c => irsa
      ? new iam.OidcProviderNative(platform, `${c.name}OidcProvider`, { url: c.issuer, clientIds: [AUDIENCE] })
      : undefined);
    if (!irsa) {
      // An imported cluster has no eksPodIdentityAgent; the other approaches declare the add-on, so this one does too.
      benchClusters.forEach(c => new eks.Addon(platform, `${c.name}PodIdentityAgent`, {
        cluster: eks.Cluster.fromClusterAttributes(platform, `${c.name}ForAddon`, { clusterName: c.name }),
        addonName: 'eks-pod-identity-agent',
      }));
    }

    const stacks = new WorkloadStacks(awsApp, 'Workloads', { stackProps: { env: ENV } });
    const imported = new Map<cdk.Stack, eks.ICluster[]>();
    const identityType = irsa ? eks.IdentityType.IRSA : eks.IdentityType.POD_IDENTITY;
    for (let i = 0; i < n; i++) {
      const w = workload(i, benchClusters.length);
      const stack = stacks.stackWithRoom();
      let clusters = imported.get(stack);
      if (!clusters) {
        const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'KubectlProvider', {
          serviceToken: kubectl.serviceToken, role: kubectl.role,
        });
        clusters = benchClusters.map((c, k) => eks.Cluster.fromClusterAttributes(stack, c.name, {
          clusterName: c.name, kubectlProvider, openIdConnectProvider: providers[k],
        }));
        imported.set(stack, clusters);
      }
      const serviceAccount = clusters[w.cluster].addServiceAccount(w.id, {
        name: w.serviceAccountName,
        namespace: w.namespace,
        identityType,
        labels: MANAGED_BY,
      });
      serviceAccount.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
    }
  },
};
