import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { ClusterKind, IdentityMechanism, IWorkloadCluster, WorkloadBindingFile, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, REGION } from '../../fixtures';

/** Fixed zones, so synth never looks them up in an AWS account. */
class ZonedStack extends Stack {
  public get availabilityZones(): string[] {
    return [`${REGION}a`, `${REGION}b`];
  }
}

interface Setup {
  readonly stack: Stack;
  readonly eksCluster: eksv2.Cluster;
  readonly cluster: IWorkloadCluster;
}

/** An aws-eks-v2 cluster created in the stack, with a native OIDC provider. */
function createdCluster(clusterProps: Partial<eksv2.ClusterProps> = {}, options: { beforeAdapter?: (c: eksv2.Cluster) => void } = {}): Setup {
  const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
  const stack = new ZonedStack(app, 'V2', { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const eksCluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33, vpc, ...clusterProps });
  options.beforeAdapter?.(eksCluster);
  const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'WorkloadCluster', eksCluster);
  return { stack, eksCluster, cluster };
}

/** Without Auto Mode: a node group cluster (no nodes, to keep the template small). */
const NODEGROUP: Partial<eksv2.ClusterProps> = { defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 };

function customTypes(template: Template): string[] {
  return Object.values(template.toJSON().Resources).map((r: any) => r.Type as string).filter(t => t.startsWith('Custom::'));
}

describe('fromEksV2Cluster', () => {
  test('an aws-eks-v2 Cluster defaults to Auto Mode: kind EKS_AUTO_MODE, Pod Identity without any add-on', () => {
    // GIVEN
    const { stack, eksCluster, cluster } = createdCluster();

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });
    new WorkloadIdentity(stack, 'Writer', { cluster, namespace: 'analytics', serviceAccountName: 'writer' });

    // THEN
    expect(cluster.kind).toBe(ClusterKind.EKS_AUTO_MODE);
    expect(cluster.defaultMechanism).toBe(IdentityMechanism.POD_IDENTITY);
    const template = Template.fromStack(stack);
    const clusterId = stack.getLogicalId(eksCluster.node.defaultChild as eksv2.CfnCluster);
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    template.allResources('AWS::EKS::PodIdentityAssociation', { DependsOn: Match.absent() });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { Ref: clusterId }, Namespace: 'analytics', ServiceAccount: 'reader',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectEquals({
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { 'Fn::Select': [4, { 'Fn::Split': [':', { 'Fn::GetAtt': [clusterId, 'Arn'] }] }] },
              'aws:RequestTag/eks-cluster-arn': { 'Fn::GetAtt': [clusterId, 'Arn'] },
              'aws:RequestTag/kubernetes-namespace': 'analytics',
              'aws:RequestTag/kubernetes-service-account': 'reader',
            },
          },
        })],
      },
    });
  });

  test('IRSA: the issuer is a token, so the condition goes through Custom::AWSCDKCfnJson, on the cluster\'s own native provider', () => {
    // GIVEN
    const { stack, eksCluster, cluster } = createdCluster();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    });

    // THEN
    const template = Template.fromStack(stack);
    const clusterId = stack.getLogicalId(eksCluster.node.defaultChild as eksv2.CfnCluster);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: { 'Fn::GetAtt': [clusterId, 'OpenIdConnectIssuerUrl'] } });
    const providerId = Object.keys(template.findResources('AWS::IAM::OIDCProvider'))[0];
    expect(customTypes(template)).toEqual(['Custom::AWSCDKCfnJson']);
    const cfnJsonId = Object.keys(template.findResources('Custom::AWSCDKCfnJson'))[0];

    // the keys are '<issuer>:sub' and '<issuer>:aud', with the issuer taken from the provider ARN
    const issuer = { 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', { Ref: providerId }] }] };
    template.hasResourceProperties('Custom::AWSCDKCfnJson', {
      Value: { 'Fn::Join': ['', ['{"', issuer, ':sub":"system:serviceaccount:analytics:reader","', issuer, ':aud":"sts.amazonaws.com"}']] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectEquals({
          Effect: 'Allow',
          Principal: { Federated: { Ref: providerId } },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'Fn::GetAtt': [cfnJsonId, 'Value'] } },
        })],
      },
    });
    // the ServiceAccount still gets a literal ARN
    expect(identity.primaryBinding.roleArn).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/V2Reader[0-9A-F]{8}-eu-west-1$`));
  });

  test('IRSA with a custom audience: the cluster\'s own provider lists it as a client id, so STS accepts the tokens the trust admits', () => {
    // GIVEN
    const { stack, cluster } = createdCluster();

    // WHEN
    new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'campus' },
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { ClientIdList: ['sts.amazonaws.com', 'campus'] });
    template.hasResourceProperties('Custom::AWSCDKCfnJson', {
      Value: { 'Fn::Join': ['', Match.arrayWith([':aud":"campus"}'])] },
    });
  });

  test('without Auto Mode: kind EKS, and Pod Identity uses the cluster\'s own EksPodIdentityAgentAddon, only one', () => {
    // GIVEN
    const { stack, eksCluster, cluster } = createdCluster(NODEGROUP);

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });
    new WorkloadIdentity(stack, 'Writer', { cluster, namespace: 'analytics', serviceAccountName: 'writer' });

    // THEN
    expect(cluster.kind).toBe(ClusterKind.EKS);
    expect(cluster.podIdentityAgent).toBe(eksCluster.eksPodIdentityAgent);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 1);
    const addonId = stack.getLogicalId(eksCluster.node.findChild('EksPodIdentityAgentAddon').node.defaultChild as eks.CfnAddon);
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'eks-pod-identity-agent',
      ClusterName: { Ref: stack.getLogicalId(eksCluster.node.defaultChild as eksv2.CfnCluster) },
    });
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    template.allResources('AWS::EKS::PodIdentityAssociation', { DependsOn: Match.arrayWith([addonId]) });
  });

  test('without Auto Mode: an add-on the user declared before is reused', () => {
    // GIVEN
    let declared: eks.CfnAddon | undefined;
    const { stack, cluster } = createdCluster(NODEGROUP, {
      beforeAdapter: c => { declared = new eks.CfnAddon(Stack.of(c), 'UserAgent', { clusterName: c.clusterName, addonName: 'eks-pod-identity-agent' }); },
    });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 1);
    template.hasResource('AWS::EKS::PodIdentityAssociation', { DependsOn: Match.arrayWith([stack.getLogicalId(declared!)]) });
  });

  test('without Auto Mode: an add-on the user declares after the first identity fails guardrail WI-AWS-10, naming the cluster by its path', () => {
    // GIVEN
    const { stack, eksCluster, cluster } = createdCluster(NODEGROUP);
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN
    new eks.CfnAddon(stack, 'UserAgent', { clusterName: eksCluster.clusterName, addonName: 'eks-pod-identity-agent' });

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(
      "WI-AWS-10: Cluster 'V2/Cluster' has 2 eks-pod-identity-agent add-ons (V2/Cluster/EksPodIdentityAgentAddon, V2/UserAgent).");
  });

  test('an explicit kind overrides the detection', () => {
    // GIVEN
    const app = new App();
    const stack = new ZonedStack(app, 'V2', { env: { account: ACCOUNT, region: REGION } });
    const eksCluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) });

    // WHEN
    const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'WorkloadCluster', eksCluster, { kind: ClusterKind.EKS });

    // THEN
    expect(cluster.kind).toBe(ClusterKind.EKS);
  });

  test('the same ServiceAccount bound twice names the cluster by its construct path', () => {
    // GIVEN
    const { stack, cluster } = createdCluster();
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Other', { cluster, namespace: 'analytics', serviceAccountName: 'reader' })).toThrow(
      "ServiceAccount 'analytics/reader' on cluster 'V2/WorkloadCluster' is bound by both 'V2/Reader' and 'V2/Other'.");
  });

  test('a created cluster given a clusterName: the binding carries that name, and the association still refers to the cluster', () => {
    // GIVEN
    const { stack, eksCluster, cluster } = createdCluster({ clusterName: 'analytics' });

    // WHEN
    const reader = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN the GitOps hand-off works: the name is literal, so the bindings file can be written
    expect(reader.primaryBinding.clusterName).toBe('analytics');
    expect(JSON.parse(WorkloadBindingFile.toJson(reader.bindings)).bindings[0].clusterName).toBe('analytics');
    // AND CloudFormation still creates the association after the cluster (a Ref, not the literal name)
    const clusterLogicalId = stack.getLogicalId(eksCluster.node.defaultChild as eksv2.CfnCluster);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: { Ref: clusterLogicalId } });
  });

  test('a created cluster without a clusterName: the binding\'s cluster name stays a token, which no bindings file accepts', () => {
    // GIVEN
    const { stack, cluster } = createdCluster();

    // WHEN
    const reader = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN CloudFormation names the cluster at deployment: the name is not known at synth
    expect(reader.primaryBinding.clusterName).toMatch(/^\$\{Token\[/);
    expect(() => WorkloadBindingFile.toJson(reader.bindings)).toThrow('is an unresolved CDK token (a cluster created in this app)');
  });

  test('an imported aws-eks-v2 cluster with its issuer: kind EKS, its existing provider referenced by ARN, literal condition keys', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Imported', { env: { account: ACCOUNT, region: REGION } });
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus' });
    const issuer = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'WorkloadCluster', imported, { oidcIssuerUrl: issuer, installPodIdentityAgent: true });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.BOTH });

    // THEN
    expect(cluster.kind).toBe(ClusterKind.EKS);
    const template = Template.fromStack(stack);
    expect(customTypes(template)).toEqual([]);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const key = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([Match.objectEquals({
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${key}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${key}:sub`]: 'system:serviceaccount:analytics:reader', [`${key}:aud`]: 'sts.amazonaws.com' } },
        })]),
      },
    });
    template.resourceCountIs('AWS::EKS::Addon', 1);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', ClusterName: 'campus' });
  });

  test('an imported aws-eks-v2 cluster with its issuer and createOpenIdConnectProvider: a native provider in the handle\'s stack', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Imported', { env: { account: ACCOUNT, region: REGION } });
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus' });
    const issuer = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'WorkloadCluster', imported, { oidcIssuerUrl: issuer, createOpenIdConnectProvider: true });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com'], Url: issuer }));
  });

  test('a cluster created in the app with createOpenIdConnectProvider is an error: its own provider is used', () => {
    const { stack, eksCluster: created } = createdCluster();
    expect(() => WorkloadCluster.fromEksV2Cluster(stack, 'Again', created, { createOpenIdConnectProvider: true })).toThrow(
      `Cluster '${created.node.path}' is created in this app and has its own OIDC provider, in its own stack: createOpenIdConnectProvider does not apply. Drop createOpenIdConnectProvider.`);
  });

});

describe('a Fargate-only cluster (aws-eks-v2 FargateCluster)', () => {
  function fargateCluster(): { stack: Stack; cluster: IWorkloadCluster } {
    const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
    const stack = new ZonedStack(app, 'Fargate', { env: { account: ACCOUNT, region: REGION } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    // FargateCluster patches CoreDNS for Fargate through kubectl, so it needs a kubectl provider.
    const eksCluster = new eksv2.FargateCluster(stack, 'Cluster', {
      version: eksv2.KubernetesVersion.V1_33, vpc, clusterName: 'serverless',
      kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'Kubectl') },
    });
    eksCluster.addFargateProfile('Jobs', { selectors: [{ namespace: 'jobs' }] });
    return { stack, cluster: WorkloadCluster.fromEksV2Cluster(stack, 'WorkloadCluster', eksCluster) };
  }

  test('GIVEN no mechanism WHEN an identity is declared THEN IRSA (Pod Identity gives Fargate pods no credentials): no association, the role-arn annotation', () => {
    // GIVEN
    const { stack, cluster } = fargateCluster();
    expect(cluster.defaultMechanism).toBe(IdentityMechanism.IRSA);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Job', { cluster, namespace: 'jobs', serviceAccountName: 'job' });

    // THEN
    expect(identity.primaryBinding.mechanism).toBe(IdentityMechanism.IRSA);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRoleWithWebIdentity' })]) },
    });
  });

  test('GIVEN an explicit POD_IDENTITY in a Fargate namespace WHEN declared THEN refused at once, naming the profile (the handle reads the cluster\'s profiles; WI-AWS-12 refused it only at synth before)', () => {
    const { stack, cluster } = fargateCluster();
    expect(() => new WorkloadIdentity(stack, 'Job', { cluster, namespace: 'jobs', serviceAccountName: 'job', mechanism: IdentityMechanism.POD_IDENTITY }))
      .toThrow(/^ServiceAccount 'jobs\/job' on cluster 'serverless' cannot use POD_IDENTITY: Fargate profile '.*Jobs' \(namespace 'jobs'\) runs every pod of namespace 'jobs' on Fargate/);
  });

  test('GIVEN a cluster with node groups WHEN asked THEN the EKS default, Pod Identity, is unchanged', () => {
    expect(createdCluster(NODEGROUP).cluster.defaultMechanism).toBe(IdentityMechanism.POD_IDENTITY);
  });
});
