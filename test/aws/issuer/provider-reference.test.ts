import { App, CfnElement, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, IWorkloadCluster, WorkloadCluster, WorkloadIdentity, WorkloadStacks } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER, ISSUER_KEY, REGION } from '../../fixtures';

// IRSA condition keys of a role whose cluster's OIDC provider lives in another stack: a weak cross-stack
// reference (and every reference across regions or accounts) arrives as Fn::GetStackOutput, which
// CloudFormation does not accept inside Fn::Split (aws-cdk PR 37948; cfn-lint E1022).
const WEAK = { '@aws-cdk/core:defaultCrossStackReferences': 'weak' };

function providerApp(url: string, workloadsRegion: string, context: Record<string, string> = WEAK): { app: App; platform: Stack; workloads: Stack } {
  const app = new App({ context });
  const platform = new Stack(app, 'Platform', { env: { account: ACCOUNT, region: REGION } });
  const workloads = new Stack(app, 'Workloads', { env: { account: ACCOUNT, region: workloadsRegion } });
  const provider = new iam.OidcProviderNative(platform, 'Provider', { url, clientIds: ['sts.amazonaws.com'] });
  const cluster = WorkloadCluster.fromClusterAttributes(platform, 'Campus', { clusterName: 'campus', clusterArn: CLUSTER_ARN, openIdConnectProvider: provider });
  new WorkloadIdentity(workloads, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
  return { app, platform, workloads };
}

describe('the IRSA condition keys of a provider declared in another stack', () => {
  test('GIVEN a provider with a literal URL handed in without oidcIssuerUrl WHEN the identity is in another region THEN the keys come from its URL: no split, no custom resource', () => {
    // GIVEN / WHEN
    const { platform, workloads } = providerApp(ISSUER, 'us-east-1');

    // THEN
    const template = Template.fromStack(workloads);
    expect(template.findResources('Custom::AWSCDKCfnJson')).toEqual({});
    const statements = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role: any) => role.Properties.AssumeRolePolicyDocument.Statement);
    expect(statements).toEqual([expect.objectContaining({
      Principal: { Federated: { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Platform', Region: REGION }) } },
      Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:analytics:reader', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
    })]);
    expect(workloads.dependencies).toEqual([platform]);
  });

  test('GIVEN a provider whose URL is known only at deployment WHEN the identity is in another region THEN the synth is refused, naming the identity, the cluster, both stacks and regions and the fix', () => {
    // GIVEN / WHEN
    const { app } = providerApp(Fn.importValue('campus-issuer'), 'us-east-1');

    // THEN
    expect(() => app.synth()).toThrow("The IRSA condition keys of 'Workloads/Reader' in stack 'Workloads' (us-east-1) would be split out of " +
      "the OIDC provider ARN or issuer of cluster 'campus', which reaches that stack from stack 'Platform' (eu-west-1) only as Fn::GetStackOutput: " +
      'CloudFormation does not accept Fn::GetStackOutput inside Fn::Split, and across regions or accounts it has no Fn::ImportValue ' +
      '(which a stack of the same account and region gets, and Fn::Split accepts). ' +
      "Pass the cluster's oidcIssuerUrl as a literal (aws eks describe-cluster --name campus --query cluster.identity.oidc.issuer) " +
      "so the condition keys need no reference, or declare the identity in stack 'Platform' (eu-west-1), where that value is, or in another stack of its account and region.");
  });

  test('GIVEN a provider whose URL is known only at deployment WHEN the identity is in another stack of the region, with strong references THEN the keys split its Fn::ImportValue, which CloudFormation accepts', () => {
    // GIVEN / WHEN
    const { workloads } = providerApp(Fn.importValue('campus-issuer'), REGION, { '@aws-cdk/core:defaultCrossStackReferences': 'strong' });

    // THEN
    const [condition] = Object.values(Template.fromStack(workloads).findResources('Custom::AWSCDKCfnJson')) as any[];
    const issuer = { 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', { 'Fn::ImportValue': expect.stringMatching(/^Platform:ExportsOutputRefProvider/) }] }] };
    expect(condition.Properties.Value).toEqual({ 'Fn::Join': ['', ['{"', issuer, ':sub":"system:serviceaccount:analytics:reader","', issuer, ':aud":"sts.amazonaws.com"}']] });
  });
});

/** Fixed zones, so synth never looks them up in an AWS account. */
class ZonedStack extends Stack {
  public get availabilityZones(): string[] {
    return [`${REGION}a`, `${REGION}b`];
  }
}

/** An aws-eks-v2 cluster created in stack Cluster (native OIDC provider, weak references as `cdk init` sets them). */
function createdClusterApp(): { app: App; clusterStack: Stack; eksCluster: eksv2.Cluster; cluster: IWorkloadCluster } {
  const app = new App({ context: { ...WEAK, '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
  const clusterStack = new ZonedStack(app, 'Cluster', { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(clusterStack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const eksCluster = new eksv2.Cluster(clusterStack, 'Eks', {
    version: eksv2.KubernetesVersion.V1_33, vpc, defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  const cluster = WorkloadCluster.fromEksV2Cluster(clusterStack, 'WorkloadCluster', eksCluster);
  return { app, clusterStack, eksCluster, cluster };
}

/** The export of the provider's ARN in the cluster's stack, and the condition keys split out of its import. */
function importedProvider(clusterStack: Stack, eksCluster: eksv2.Cluster): { exportName: string; federated: unknown; issuer: unknown } {
  const providerId = clusterStack.getLogicalId(eksCluster.openIdConnectProvider.node.defaultChild as CfnElement);
  const exports = Object.values(Template.fromStack(clusterStack).findOutputs('*', { Value: { Ref: providerId } })) as any[];
  expect(exports).toHaveLength(1);
  const exportName = exports[0].Export.Name;
  expect(exportName).toMatch(new RegExp(`^Cluster:ExportsOutputRef${providerId}[0-9A-F]{8}$`));
  const federated = { 'Fn::ImportValue': exportName };
  return { exportName, federated, issuer: { 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', federated] }] } };
}

/** The trust statement of the IRSA role in `stack` whose keys are built by the CfnJson `IrsaCondition1` under `identity`. */
function expectImportedTrust(template: Template, identity: string, subject: string, federated: unknown, issuer: unknown): void {
  const conditions = template.findResources('Custom::AWSCDKCfnJson');
  const conditionId = Object.keys(conditions).find(id => id.startsWith(`${identity}IrsaCondition1`))!;
  expect(conditions[conditionId].Properties.Value).toEqual({ 'Fn::Join': ['', ['{"', issuer, `:sub":"${subject}","`, issuer, ':aud":"sts.amazonaws.com"}']] });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [{
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: federated },
        Condition: { StringEquals: { 'Fn::GetAtt': [conditionId, 'Value'] } },
      }],
    },
  });
}

describe('the IRSA condition keys of a created cluster in another stack of the same account and region, with weak references', () => {
  test('GIVEN an aws-eks-v2 cluster in stack Cluster WHEN the identity is in stack Team THEN its keys split a strong Fn::ImportValue of the provider, which the principal names too', () => {
    // GIVEN
    const { app, clusterStack, eksCluster, cluster } = createdClusterApp();
    const team = new Stack(app, 'Team', { env: { account: ACCOUNT, region: REGION } });

    // WHEN
    new WorkloadIdentity(team, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    app.synth();

    // THEN
    const { federated, issuer } = importedProvider(clusterStack, eksCluster);
    const template = Template.fromStack(team);
    expectImportedTrust(template, 'Reader', 'system:serviceaccount:analytics:reader', federated, issuer);
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::GetStackOutput');
    expect(team.dependencies).toEqual([clusterStack]);
  });

  test('GIVEN an aws-eks-v2 cluster in stack Cluster WHEN WorkloadStacks places 3 identities THEN every stack imports the one export and depends on Cluster', () => {
    // GIVEN
    const { app, clusterStack, eksCluster, cluster } = createdClusterApp();
    const stacks = new WorkloadStacks(app, 'Workloads', { maxResourcesPerStack: 3, stackProps: { env: { account: ACCOUNT, region: REGION } } });

    // WHEN
    const names = ['reader', 'writer', 'auditor'];
    for (const name of names) {
      new WorkloadIdentity(stacks.stackWithRoom(), name, { cluster, namespace: 'analytics', serviceAccountName: name, mechanism: IdentityMechanism.IRSA });
    }
    app.synth();

    // THEN
    const { federated, issuer } = importedProvider(clusterStack, eksCluster);
    expect(stacks.stacks).toHaveLength(3);
    for (const name of names) {
      const stack = Stack.of(app.node.findAll().find(c => c.node.path.endsWith(`/${name}`) && c instanceof WorkloadIdentity)!);
      expectImportedTrust(Template.fromStack(stack), name, `system:serviceaccount:analytics:${name}`, federated, issuer);
    }
    for (const stack of stacks.stacks) {
      expect(stack.dependencies).toEqual([clusterStack]);
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('Fn::GetStackOutput');
    }
  });

  test('GIVEN an aws-eks-v2 cluster in stack Cluster WHEN the identity is in a stack of another region THEN the synth is refused, saying why a stack of the same region would do', () => {
    // GIVEN
    const { app, cluster } = createdClusterApp();
    const team = new Stack(app, 'Team', { env: { account: ACCOUNT, region: 'us-east-1' } });

    // WHEN
    new WorkloadIdentity(team, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN
    expect(() => app.synth()).toThrow("The IRSA condition keys of 'Team/Reader' in stack 'Team' (us-east-1) would be split out of " +
      "the OIDC provider ARN or issuer of cluster 'Cluster/WorkloadCluster', which reaches that stack from stack 'Cluster' (eu-west-1) only as Fn::GetStackOutput: " +
      'CloudFormation does not accept Fn::GetStackOutput inside Fn::Split, and across regions or accounts it has no Fn::ImportValue ' +
      '(which a stack of the same account and region gets, and Fn::Split accepts). ' +
      "Pass the cluster's oidcIssuerUrl as a literal (aws eks describe-cluster --name Cluster/WorkloadCluster --query cluster.identity.oidc.issuer) " +
      "so the condition keys need no reference, or declare the identity in stack 'Cluster' (eu-west-1), where that value is, or in another stack of its account and region.");
  });
});
