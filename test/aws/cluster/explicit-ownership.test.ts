import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER, PROVIDER_ARN, REGION } from '../../fixtures';

// Issue 20: one handle owns a cluster's pieces; the others are handed it (owner:), whatever the construction order.
const ENV = { account: ACCOUNT, region: REGION };

class ZonedStack extends Stack {
  public get availabilityZones(): string[] {
    return [`${REGION}a`, `${REGION}b`];
  }
}

/** An aws-eks-v2 cluster named 'campus', created in the app (a node group cluster, no nodes). */
function createdCampus(): { stack: Stack; eksCluster: eksv2.Cluster } {
  const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
  const stack = new ZonedStack(app, 'Platform', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const eksCluster = new eksv2.Cluster(stack, 'Cluster', {
    clusterName: 'campus', version: eksv2.KubernetesVersion.V1_33, vpc, defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  return { stack, eksCluster };
}

const OWNED_HINT = 'pass owner: to this handle (or use the owning handle itself), so that it uses the owner\'s OIDC provider and agent add-on.';

describe('a cluster created in the app, reached by fromEksV2Cluster and by its literal name', () => {
  test('GIVEN the aws-eks-v2 handle WHEN a handle by attributes names the same cluster without owner: THEN it is refused at construction, naming the owner', () => {
    // GIVEN
    const { stack, eksCluster } = createdCampus();
    WorkloadCluster.fromEksV2Cluster(stack, 'Eks', eksCluster);

    // WHEN / THEN
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'ByName', { clusterName: 'campus', oidcIssuerUrl: ISSUER })).toThrow(
      "WorkloadCluster 'Platform/ByName' is a handle of cluster 'campus', which 'Platform/Eks' owns (created in this app): " + OWNED_HINT);
  });

  test('GIVEN a handle by attributes first WHEN the aws-eks-v2 handle of the created cluster comes second THEN it is refused, naming the first', () => {
    const { stack, eksCluster } = createdCampus();
    WorkloadCluster.fromClusterAttributes(stack, 'ByName', { clusterName: 'campus' });

    expect(() => WorkloadCluster.fromEksV2Cluster(stack, 'Eks', eksCluster)).toThrow(
      "WorkloadCluster 'Platform/Eks' would own cluster 'campus' (created in this app), but 'Platform/ByName' is a handle of it constructed before without an owner: " +
      'construct the owning handle first and pass it as owner: to the others (or use it everywhere).');
  });

  test.each([[IdentityMechanism.IRSA], [IdentityMechanism.POD_IDENTITY]])('GIVEN the handle by attributes handed the owner WHEN both handles bind one ServiceAccount (%s) THEN "bound by both" refuses the second', mechanism => {
    // GIVEN
    const { stack, eksCluster } = createdCampus();
    const eks = WorkloadCluster.fromEksV2Cluster(stack, 'Eks', eksCluster);
    const byName = WorkloadCluster.fromClusterAttributes(stack, 'ByName', { clusterName: 'campus', owner: eks });
    new WorkloadIdentity(stack, 'First', { cluster: eks, namespace: 'analytics', serviceAccountName: 'reader', mechanism });

    // WHEN / THEN
    expect(() => new WorkloadIdentity(stack, 'Second', { cluster: byName, namespace: 'analytics', serviceAccountName: 'reader', mechanism })).toThrow(
      "ServiceAccount 'analytics/reader' on cluster 'campus' is bound by both 'Platform/First' and 'Platform/Second'.");
  });

  test('GIVEN two aws-eks-v2 handles of the created cluster THEN the second follows the first (passing the cluster is passing its owner): one add-on, one cluster for "bound by both"', () => {
    // GIVEN
    const { stack, eksCluster } = createdCampus();
    const team = new Stack(stack.node.root as App, 'Team', { env: ENV });
    const first = WorkloadCluster.fromEksV2Cluster(stack, 'Eks', eksCluster);
    const second = WorkloadCluster.fromEksV2Cluster(team, 'Eks', eksCluster);
    new WorkloadIdentity(team, 'Reader', { cluster: second, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::EKS::Addon', 1);
    Template.fromStack(team).resourceCountIs('AWS::EKS::Addon', 0);
    expect(() => new WorkloadIdentity(stack, 'Again', { cluster: first, namespace: 'analytics', serviceAccountName: 'reader' }))
      .toThrow("ServiceAccount 'analytics/reader' on cluster 'campus' is bound by both 'Team/Reader' and 'Platform/Again'.");
  });
});

describe('createOpenIdConnectProvider beside a handle given the provider by literal ARN', () => {
  const given = (stack: Stack) => WorkloadCluster.fromClusterAttributes(stack, 'Given', {
    clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', PROVIDER_ARN),
  });
  const owning = (stack: Stack) => WorkloadCluster.fromClusterAttributes(stack, 'Owner', {
    clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true,
  });

  test('GIVEN the handed-in provider first WHEN a handle creates the provider THEN it is refused at construction, naming the owner', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    given(stack);
    expect(() => owning(stack)).toThrow(
      "WorkloadCluster 'A/Owner' would own cluster 'campus' (createOpenIdConnectProvider), which 'A/Given' already owns (openIdConnectProvider): " +
      'a cluster has one owner in an app. Drop createOpenIdConnectProvider and pass owner: A/Given, or use that handle.');
  });

  test('GIVEN the creating handle first WHEN a handle is given the provider THEN it is refused at construction, naming the owner', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    owning(stack);
    expect(() => given(stack)).toThrow(
      "WorkloadCluster 'A/Given' would own cluster 'campus' (openIdConnectProvider), which 'A/Owner' already owns (createOpenIdConnectProvider): " +
      'a cluster has one owner in an app. Drop openIdConnectProvider and pass owner: A/Owner, or use that handle.');
  });
});
