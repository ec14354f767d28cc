import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../lib';
import { ACCOUNT, CLUSTER_ARN, REGION } from '../fixtures';

// Issue 11: the stack that owns a cluster owns its add-ons.
const ENV = { account: ACCOUNT, region: REGION };
const NOTE = "Cluster 'campus' is owned outside this app, so it installs no 'eks-pod-identity-agent' add-on: Pod Identity needs the agent on the cluster. " +
  'Check it with: aws eks describe-addon --cluster-name campus --addon-name eks-pod-identity-agent. ' +
  'To have this app own it, set installPodIdentityAgent: true on one handle of the cluster (its stack then holds the add-on).';

class ZonedStack extends Stack {
  public get availabilityZones(): string[] {
    return [`${REGION}a`, `${REGION}b`];
  }
}

function addons(stack: Stack): string[] {
  return Object.keys(Template.fromStack(stack).findResources('AWS::EKS::Addon'));
}

describe('a cluster known by its attributes', () => {
  test('GIVEN Pod Identity identities in three stacks WHEN not asked THEN no add-on anywhere, and one info per cluster says how to check the agent', () => {
    // GIVEN each stack its own handle of the same cluster
    const app = new App();
    const stacks = ['A', 'B', 'C'].map(id => new Stack(app, id, { env: ENV }));

    // WHEN
    stacks.forEach(stack => {
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN });
      new WorkloadIdentity(stack, 'Reader', { cluster, namespace: stack.stackName.toLowerCase(), serviceAccountName: 'reader' });
    });

    // THEN
    stacks.forEach(stack => {
      expect(addons(stack)).toEqual([]);
      Template.fromStack(stack).hasResource('AWS::EKS::PodIdentityAssociation', { DependsOn: Match.absent() });
    });
    const infos = stacks.flatMap(stack => Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('eks-pod-identity-agent')));
    expect(infos.map(i => [i.id, i.entry.data])).toEqual([['/A/Cluster', NOTE]]);
    stacks.forEach(stack => expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]));
  });

  test('GIVEN IRSA only WHEN synthesized THEN nothing is said about the agent', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus', oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    });
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    expect(Annotations.fromStack(stack).findInfo('*', Match.anyValue())).toEqual([]);
  });

  test('GIVEN installPodIdentityAgent on the one handle in the cluster stack WHEN identities live in three workload stacks THEN exactly one add-on, in the cluster stack, which each workload stack deploys after', () => {
    // GIVEN
    const app = new App();
    const clusterStack = new Stack(app, 'Cluster', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(clusterStack, 'Campus', { clusterName: 'campus', clusterArn: CLUSTER_ARN, installPodIdentityAgent: true });
    const workloads = ['A', 'B', 'C'].map(id => new Stack(app, id, { env: ENV }));

    // WHEN
    workloads.forEach(stack => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: stack.stackName.toLowerCase(), serviceAccountName: 'reader' }));

    // THEN the add-on lives with the cluster: removing a workload stack never removes it
    expect(addons(clusterStack)).toHaveLength(1);
    Template.fromStack(clusterStack).hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', ClusterName: 'campus' });
    workloads.forEach(stack => {
      expect(addons(stack)).toEqual([]);
      expect(stack.dependencies).toEqual([clusterStack]);
    });
    expect(workloads.flatMap(stack => Annotations.fromStack(stack).findInfo('*', Match.anyValue()))).toEqual([]);
  });
});

describe('an aws-eks-v2 cluster', () => {
  test('GIVEN a cluster created in the app WHEN identities in three stacks use it THEN exactly one add-on, the cluster\'s own, in its stack', () => {
    // GIVEN
    const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
    const clusterStack = new ZonedStack(app, 'Platform', { env: ENV });
    const vpc = new ec2.Vpc(clusterStack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const eksCluster = new eksv2.Cluster(clusterStack, 'Cluster', {
      version: eksv2.KubernetesVersion.V1_33, vpc, defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
    });
    const workloads = ['A', 'B', 'C'].map(id => new Stack(app, id, { env: ENV }));

    // WHEN each workload stack adapts the cluster itself
    workloads.forEach(stack => new WorkloadIdentity(stack, 'Reader', {
      cluster: WorkloadCluster.fromEksV2Cluster(stack, 'Cluster', eksCluster), namespace: stack.stackName.toLowerCase(), serviceAccountName: 'reader',
    }));

    // THEN
    expect(addons(clusterStack)).toHaveLength(1);
    expect(eksCluster.eksPodIdentityAgent).toBeDefined();
    workloads.forEach(stack => expect(addons(stack)).toEqual([]));
  });

  test('GIVEN an imported cluster WHEN not asked THEN no add-on, and the info', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus' });
    new WorkloadIdentity(stack, 'Reader', { cluster: WorkloadCluster.fromEksV2Cluster(stack, 'Cluster', imported), namespace: 'analytics', serviceAccountName: 'reader' });

    expect(addons(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findInfo('/A/Cluster', NOTE)).toHaveLength(1);
  });
});
