import { Annotations as CdkAnnotations, App, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClusterKind, IdentityMechanism, IWorkloadCluster, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER, ISSUER_KEY, PROVIDER_ARN, REGION } from '../../fixtures';

// Issue 11: the stack that owns a cluster owns its add-ons.
const ENV = { account: ACCOUNT, region: REGION };
const NOTE = "The 'eks-pod-identity-agent' add-on of cluster 'campus' is owned outside this app: Pod Identity needs the agent on the cluster. " +
  'Check it with: aws eks describe-addon --cluster-name campus --addon-name eks-pod-identity-agent. ' +
  'To have this app own it, set installPodIdentityAgent: true on the handle that owns the cluster (its stack then holds the add-on). ' +
  '[ack: cdk-eks-workload-identity:pod-identity-agent-owned-elsewhere]';

class ZonedStack extends Stack {
  public get availabilityZones(): string[] {
    return [`${REGION}a`, `${REGION}b`];
  }
}

function addons(stack: Stack): string[] {
  return Object.keys(Template.fromStack(stack).findResources('AWS::EKS::Addon'));
}

describe('a cluster known by its attributes', () => {
  test('GIVEN Pod Identity identities in three stacks WHEN not asked THEN no add-on anywhere, and an info on each handle says how to check the agent', () => {
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
    expect(infos.map(i => [i.id, i.entry.data])).toEqual(['A', 'B', 'C'].map(id => [`/${id}/Cluster`, NOTE]));
    stacks.forEach(stack => expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]));
  });

  test('GIVEN both notes acknowledged by their ids on the stack WHEN synthesized THEN neither is shown', () => {
    // GIVEN a cluster owned elsewhere, with Pod Identity and IRSA identities
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    new WorkloadIdentity(stack, 'Writer', { cluster, namespace: 'analytics', serviceAccountName: 'writer' });
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // WHEN the ids the CLI shows ("Acknowledge with 'Annotation::<id>'") are acknowledged
    CdkAnnotations.of(stack).acknowledgeInfo('cdk-eks-workload-identity:pod-identity-agent-owned-elsewhere', 'the platform team installs it');
    CdkAnnotations.of(stack).acknowledgeInfo('cdk-eks-workload-identity:oidc-provider-owned-elsewhere', 'eksctl created it');

    // THEN
    expect(Annotations.fromStack(stack).findInfo('*', Match.anyValue())).toEqual([]);
  });

  test('GIVEN IRSA only WHEN synthesized THEN nothing is said about the agent', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus', oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    });
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('eks-pod-identity-agent'))).toEqual([]);
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

  test('GIVEN a Team handle of the cluster handed the owning handle, in two stacks WHEN the Team handle has a Pod Identity identity THEN exactly one add-on, in the owner\'s stack, which the Team stack deploys after, and no note', () => {
    // GIVEN a Team stack with its own handle of the cluster, handed the Platform handle that owns the add-on
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const team = new Stack(app, 'Team', { env: ENV });
    const owner = WorkloadCluster.fromClusterAttributes(platform, 'Campus', { clusterName: 'campus', installPodIdentityAgent: true });

    // WHEN
    new WorkloadIdentity(team, 'Reader', { cluster: WorkloadCluster.fromClusterAttributes(team, 'Campus', { clusterName: 'campus', owner }), namespace: 'team', serviceAccountName: 'reader' });

    // THEN
    expect(addons(platform)).toHaveLength(1);
    expect(addons(team)).toEqual([]);
    expect(team.dependencies).toEqual([platform]);
    Template.fromStack(team).hasResource('AWS::EKS::PodIdentityAssociation', { DependsOn: Match.absent() });
    expect([platform, team].flatMap(stack => Annotations.fromStack(stack).findInfo('*', Match.anyValue()))).toEqual([]);
  });

  test('GIVEN a Team handle of the cluster handed the owning handle, in one stack WHEN the Team handle has a Pod Identity identity THEN exactly one add-on, which the association DependsOn, and no note', () => {
    // GIVEN
    const stack = new Stack(new App(), 'A', { env: ENV });
    const owner = WorkloadCluster.fromClusterAttributes(stack, 'Owner', { clusterName: 'campus', installPodIdentityAgent: true });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster: WorkloadCluster.fromClusterAttributes(stack, 'Campus', { clusterName: 'campus', owner }), namespace: 'team', serviceAccountName: 'reader' });

    // THEN
    const [addon] = addons(stack);
    expect(addons(stack)).toHaveLength(1);
    Template.fromStack(stack).hasResource('AWS::EKS::PodIdentityAssociation', { DependsOn: [addon] });
    expect(Annotations.fromStack(stack).findInfo('*', Match.anyValue())).toEqual([]);
  });

  test('GIVEN a Team handle of the cluster not handed the owner WHEN the owner is constructed before or after THEN the second one is refused at construction, naming the first', () => {
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const team = new Stack(app, 'Team', { env: ENV });
    WorkloadCluster.fromClusterAttributes(platform, 'Campus', { clusterName: 'campus', installPodIdentityAgent: true });
    expect(() => WorkloadCluster.fromClusterAttributes(team, 'Campus', { clusterName: 'campus' })).toThrow(
      "WorkloadCluster 'Team/Campus' is a handle of cluster 'campus', which 'Platform/Campus' owns (installPodIdentityAgent): pass owner: to this handle");

    const other = new App();
    WorkloadCluster.fromClusterAttributes(new Stack(other, 'Team', { env: ENV }), 'Campus', { clusterName: 'campus' });
    expect(() => WorkloadCluster.fromClusterAttributes(new Stack(other, 'Platform', { env: ENV }), 'Campus', { clusterName: 'campus', installPodIdentityAgent: true })).toThrow(
      "WorkloadCluster 'Platform/Campus' would own cluster 'campus' (installPodIdentityAgent), but 'Team/Campus' is a handle of it constructed before without an owner");
  });

  test('GIVEN installPodIdentityAgent on the Platform handle and IRSA-only Team identities WHEN synthesized THEN the Platform stack still holds exactly one add-on, and removing the Team stack leaves its template unchanged', () => {
    // GIVEN the same app twice, with and without the Team stack
    const synth = (withTeam: boolean) => {
      const app = new App();
      const platform = new Stack(app, 'Platform', { env: ENV });
      const cluster = WorkloadCluster.fromClusterAttributes(platform, 'Campus', {
        clusterName: 'campus', oidcIssuerUrl: ISSUER, installPodIdentityAgent: true, createOpenIdConnectProvider: true,
      });
      if (withTeam) {
        const team = new Stack(app, 'Team', { env: ENV });
        new WorkloadIdentity(team, 'Reader', { cluster, namespace: 'team', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });
        new WorkloadIdentity(team, 'Writer', { cluster, namespace: 'team', serviceAccountName: 'writer' });
      }
      return Template.fromStack(platform);
    };

    // WHEN the owner has no identity of either mechanism
    const alone = synth(false);

    // THEN it declares both pieces, the provider listing the default audience
    alone.resourceCountIs('AWS::EKS::Addon', 1);
    alone.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', ClusterName: 'campus' });
    alone.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    alone.hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com'], Url: ISSUER }));
    // AND with the Team stack, only the audiences it adds differ (removing it keeps the add-on and provider)
    const withTeam = synth(true).toJSON();
    const provider = Object.values(withTeam.Resources as Record<string, { Type: string; Properties: { ClientIdList: string[] } }>)
      .find(r => r.Type === 'AWS::IAM::OIDCProvider')!;
    expect(provider.Properties.ClientIdList).toEqual(['sts.amazonaws.com', 'vault']);
    provider.Properties.ClientIdList = ['sts.amazonaws.com'];
    expect(withTeam.Resources).toEqual(alone.toJSON().Resources);
  });

  test('GIVEN installPodIdentityAgent on the owner WHEN a Team stack of Pod Identity identities is removed THEN the Platform template is unchanged', () => {
    const synth = (withTeam: boolean) => {
      const app = new App();
      const platform = new Stack(app, 'Platform', { env: ENV });
      const cluster = WorkloadCluster.fromClusterAttributes(platform, 'Campus', { clusterName: 'campus', installPodIdentityAgent: true });
      if (withTeam) { new WorkloadIdentity(new Stack(app, 'Team', { env: ENV }), 'Reader', { cluster, namespace: 'team', serviceAccountName: 'reader' }); }
      return Template.fromStack(platform).toJSON();
    };
    expect(synth(true)).toEqual(synth(false));
  });

  test('GIVEN installPodIdentityAgent on an Auto Mode handle THEN no add-on, used or not', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    WorkloadCluster.fromClusterAttributes(stack, 'Campus', { clusterName: 'campus', kind: ClusterKind.EKS_AUTO_MODE, installPodIdentityAgent: true });
    expect(addons(stack)).toEqual([]);
  });

  test('GIVEN createOpenIdConnectProvider without oidcIssuerUrl THEN it is refused at construction, naming the handle and the fix', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Campus', { clusterName: 'campus', createOpenIdConnectProvider: true })).toThrow(
      "WorkloadCluster 'A/Campus' has createOpenIdConnectProvider: true but no oidcIssuerUrl: the provider it owns must register the cluster's issuer. " +
      'Pass oidcIssuerUrl (aws eks describe-cluster --name campus --query cluster.identity.oidc.issuer --output text), or drop createOpenIdConnectProvider.');
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

/** The info a cluster known by its attributes gets when IRSA trusts its existing provider `arn`, whose client ids are `audiences`. */
function providerNote(arn: string, audience: string, create = 'eksctl utils associate-iam-oidc-provider --cluster campus --approve'): string {
  return `The IAM OIDC provider of cluster 'campus' is owned outside this app: IRSA roles trust the existing provider ${arn}, ` +
    `which must list client id ${audience}. ` +
    `Check it with: aws iam get-open-id-connect-provider --open-id-connect-provider-arn ${arn}. ` +
    `Create it with: ${create}. ` +
    'To have this app own it, set createOpenIdConnectProvider: true on the handle that owns the cluster (its stack then holds the provider). ' +
    '[ack: cdk-eks-workload-identity:oidc-provider-owned-elsewhere]';
}

function oidcProviders(stack: Stack): string[] {
  return Object.keys(Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider'));
}

/** The Federated principal and the condition of each IRSA statement of the stack's roles. */
function irsaTrust(stack: Stack): Array<{ federated: unknown; condition: unknown }> {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')).flatMap((role: any) => role.Properties.AssumeRolePolicyDocument.Statement)
    .filter((st: any) => st.Principal.Federated !== undefined).map((st: any) => ({ federated: st.Principal.Federated, condition: st.Condition }));
}

function oidcNotes(stacks: Stack[]): Array<[string, unknown]> {
  return stacks.flatMap(stack => Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('IAM OIDC provider')).map(i => [i.id, i.entry.data] as [string, unknown]));
}

const irsaCondition = (sub: string, aud = 'sts.amazonaws.com') => ({ StringEquals: { [`${ISSUER_KEY}:sub`]: sub, [`${ISSUER_KEY}:aud`]: aud } });

describe('the IAM OIDC provider of a cluster known by its attributes', () => {
  test('GIVEN two IRSA identities WHEN not asked to own the provider THEN none is declared, both trust its deterministic ARN, and an info on the handle per audience', () => {
    // GIVEN
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    new WorkloadIdentity(stack, 'Vault', { cluster, namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN
    expect(oidcProviders(stack)).toEqual([]);
    expect(irsaTrust(stack)).toEqual([
      { federated: PROVIDER_ARN, condition: irsaCondition('system:serviceaccount:analytics:reader') },
      { federated: PROVIDER_ARN, condition: irsaCondition('system:serviceaccount:analytics:vault', 'vault') },
    ]);
    expect(oidcNotes([stack])).toEqual([['/A/Cluster', providerNote(PROVIDER_ARN, 'sts.amazonaws.com')], ['/A/Cluster', providerNote(PROVIDER_ARN, 'vault',
      'eksctl utils associate-iam-oidc-provider --cluster campus --approve (it lists sts.amazonaws.com only; add vault with: ' +
      `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${PROVIDER_ARN} --client-id vault)`)]]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('GIVEN no cluster ARN WHEN the stack has a literal account THEN the ARN is in that account, in the stack\'s partition', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    expect(oidcProviders(stack)).toEqual([]);
    expect(irsaTrust(stack)).toEqual([{
      federated: PROVIDER_ARN,
      condition: irsaCondition('system:serviceaccount:analytics:reader'),
    }]);
    expect(oidcNotes([stack])).toEqual([['/A/Cluster', providerNote(PROVIDER_ARN, 'sts.amazonaws.com')]]);
  });

  test('GIVEN the handle in an environment-agnostic stack THEN the ARN is in the role stack\'s account, in its own partition', () => {
    // GIVEN
    const app = new App();
    const clusterStack = new Stack(app, 'Cluster');
    const workloads = new Stack(app, 'Workloads', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(clusterStack, 'Campus', { clusterName: 'campus', oidcIssuerUrl: ISSUER });

    // WHEN
    new WorkloadIdentity(workloads, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN the role stack's partition (its region's), no cross-stack reference
    expect(irsaTrust(workloads)).toEqual([{
      federated: PROVIDER_ARN,
      condition: irsaCondition('system:serviceaccount:analytics:reader'),
    }]);
    expect(workloads.dependencies).toEqual([]);
    expect([...oidcProviders(clusterStack), ...oidcProviders(workloads)]).toEqual([]);
    expect(oidcNotes([clusterStack, workloads])).toEqual([['/Cluster/Campus', providerNote(PROVIDER_ARN, 'sts.amazonaws.com')]]);
  });

  test('GIVEN an issuer known only at deployment WHEN one identity uses a custom audience THEN the ARN and keys come from the whole issuer, and the note lists that audience only', () => {
    // GIVEN
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: Fn.importValue('campus-issuer') });

    // WHEN
    new WorkloadIdentity(stack, 'Vault', { cluster, namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN
    const issuer = { 'Fn::Select': [1, { 'Fn::Split': ['https://', { 'Fn::ImportValue': 'campus-issuer' }] }] };
    expect(oidcProviders(stack)).toEqual([]);
    expect(irsaTrust(stack).map(t => t.federated)).toEqual([{ 'Fn::Join': ['', [`arn:aws:iam::${ACCOUNT}:oidc-provider/`, issuer]] }]);
    const [condition] = Object.values(Template.fromStack(stack).findResources('Custom::AWSCDKCfnJson'));
    expect(condition.Properties.Value).toEqual({ 'Fn::Join': ['', ['{"', issuer, ':sub":"system:serviceaccount:analytics:vault","', issuer, ':aud":"vault"}']] });
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/<issuer without https://>`;
    expect(oidcNotes([stack])).toEqual([['/A/Cluster', providerNote(arn, 'vault',
      'eksctl utils associate-iam-oidc-provider --cluster campus --approve (it lists sts.amazonaws.com only; add vault with: ' +
      `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id vault)`)]]);
  });

  test('GIVEN a cluster that is not EKS THEN the note says how to register its issuer with the AWS CLI', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.edge.example.com`;
    expect(oidcNotes([stack])).toEqual([['/A/Cluster', providerNote(arn, 'sts.amazonaws.com',
      'aws iam create-open-id-connect-provider --url https://oidc.edge.example.com --client-id-list sts.amazonaws.com')]]);
  });

  test('GIVEN createOpenIdConnectProvider WHEN two IRSA identities use it THEN exactly one provider, listing both audiences, which both roles trust, and no note', () => {
    // GIVEN
    const stack = new Stack(new App(), 'A', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true,
    });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    new WorkloadIdentity(stack, 'Vault', { cluster, namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN
    const [provider] = oidcProviders(stack);
    expect(oidcProviders(stack)).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com', 'vault'], Url: ISSUER }));
    expect(irsaTrust(stack).map(t => t.federated)).toEqual([{ Ref: provider }, { Ref: provider }]);
    expect(oidcNotes([stack])).toEqual([]);
  });

  test('GIVEN both openIdConnectProvider and createOpenIdConnectProvider THEN it is refused, naming both and which to drop', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus', oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true,
      openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', PROVIDER_ARN),
    })).toThrow("Cluster 'campus' has both openIdConnectProvider and createOpenIdConnectProvider: true: the provider would be both given and declared. " +
      'Drop createOpenIdConnectProvider to use the given provider, or drop openIdConnectProvider to have this stack declare one for oidcIssuerUrl.');
  });

  test('GIVEN IRSA identities in three stacks, each with its own handle WHEN not asked THEN no provider anywhere, and an info on each handle', () => {
    // GIVEN
    const app = new App();
    const stacks = ['A', 'B', 'C'].map(id => new Stack(app, id, { env: ENV }));

    // WHEN
    stacks.forEach(stack => {
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER });
      new WorkloadIdentity(stack, 'Reader', { cluster, namespace: stack.stackName.toLowerCase(), serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    });

    // THEN removing any of the stacks removes no provider
    stacks.forEach(stack => {
      expect(oidcProviders(stack)).toEqual([]);
      expect(irsaTrust(stack).map(t => t.federated)).toEqual([PROVIDER_ARN]);
      expect(stack.dependencies).toEqual([]);
    });
    expect(oidcNotes(stacks)).toEqual(['A', 'B', 'C'].map(id => [`/${id}/Cluster`, providerNote(PROVIDER_ARN, 'sts.amazonaws.com')]));
  });

  test('GIVEN createOpenIdConnectProvider on the one handle in the cluster stack WHEN identities live in three workload stacks THEN exactly one provider, in the cluster stack', () => {
    // GIVEN
    const app = new App();
    const clusterStack = new Stack(app, 'Cluster', { env: ENV });
    const cluster = WorkloadCluster.fromClusterAttributes(clusterStack, 'Campus', {
      clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true,
    });
    const workloads = ['A', 'B', 'C'].map(id => new Stack(app, id, { env: ENV }));

    // WHEN
    workloads.forEach(stack => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: stack.stackName.toLowerCase(), serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA }));

    // THEN
    expect(oidcProviders(clusterStack)).toHaveLength(1);
    Template.fromStack(clusterStack).hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com'], Url: ISSUER }));
    workloads.forEach(stack => {
      expect(oidcProviders(stack)).toEqual([]);
      expect(irsaTrust(stack).map(t => t.federated)).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/^Cluster:ExportsOutputRefCampusOidcProvider/) }]);
      expect(stack.dependencies).toEqual([clusterStack]);
    });
    expect(oidcNotes([clusterStack, ...workloads])).toEqual([]);
  });

  test('GIVEN a handle per stack, the first one owning the provider WHEN the others use the cluster THEN they trust that one provider: exactly one is declared', () => {
    // GIVEN
    const app = new App();
    const stacks = ['A', 'B', 'C'].map(id => new Stack(app, id, { env: ENV }));

    // WHEN
    let owner: IWorkloadCluster | undefined;
    stacks.forEach((stack, i) => {
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
        clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: i === 0 || undefined, owner,
      });
      owner ??= cluster;
      new WorkloadIdentity(stack, 'Reader', { cluster, namespace: stack.stackName.toLowerCase(), serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    });

    // THEN
    expect(stacks.map(stack => oidcProviders(stack).length)).toEqual([1, 0, 0]);
    expect(stacks.slice(1).map(stack => stack.dependencies)).toEqual([[stacks[0]], [stacks[0]]]);
    expect(oidcNotes(stacks)).toEqual([]);
  });
});

describe('handles of a cluster whose provider one handle owns', () => {
  const owning = (stack: Stack, id = 'Owner') => WorkloadCluster.fromClusterAttributes(stack, id, {
    clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true,
  });
  const following = (stack: Stack, owner: IWorkloadCluster, id = 'Cluster') => WorkloadCluster.fromClusterAttributes(stack, id, { clusterName: 'campus', clusterArn: CLUSTER_ARN, owner });

  test('GIVEN the owning handle in the cluster stack WHEN a workload stack\'s own handle, handed it, uses IRSA THEN its role trusts the declared provider, listing its audience, and its stack deploys after the cluster stack', () => {
    // GIVEN
    const app = new App();
    const clusterStack = new Stack(app, 'Cluster', { env: ENV });
    const workloads = new Stack(app, 'Workloads', { env: ENV });
    const owner = owning(clusterStack);

    // WHEN
    new WorkloadIdentity(workloads, 'Vault', { cluster: following(workloads, owner), namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN
    expect(oidcProviders(clusterStack)).toHaveLength(1);
    Template.fromStack(clusterStack).hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com', 'vault'], Url: ISSUER }));
    expect(oidcProviders(workloads)).toEqual([]);
    expect(irsaTrust(workloads)).toEqual([{
      federated: { 'Fn::ImportValue': expect.stringMatching(/^Cluster:ExportsOutputRefOwnerOidcProvider/) },
      condition: irsaCondition('system:serviceaccount:analytics:vault', 'vault'),
    }]);
    expect(workloads.dependencies).toEqual([clusterStack]);
    expect(oidcNotes([clusterStack, workloads])).toEqual([]);
  });

  test('GIVEN two handles in one stack, one handed the owner WHEN each has an IRSA identity THEN both roles trust the one declared provider by Ref, which lists both audiences', () => {
    // GIVEN
    const stack = new Stack(new App(), 'A', { env: ENV });
    const owner = owning(stack);

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster: following(stack, owner), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    new WorkloadIdentity(stack, 'Vault', { cluster: owner, namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN
    const [provider] = oidcProviders(stack);
    expect(oidcProviders(stack)).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com', 'vault'], Url: ISSUER }));
    expect(irsaTrust(stack).map(t => t.federated)).toEqual([{ Ref: provider }, { Ref: provider }]);
    expect(oidcNotes([stack])).toEqual([]);
  });

  test('GIVEN a handle of the cluster constructed before the owner, without it THEN the owner is refused at construction, naming that handle (it would have referenced the provider the owner declares)', () => {
    const app = new App();
    WorkloadCluster.fromClusterAttributes(new Stack(app, 'Workloads', { env: ENV }), 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER });
    expect(() => owning(new Stack(app, 'Cluster', { env: ENV }))).toThrow(
      "WorkloadCluster 'Cluster/Owner' would own cluster 'campus' (createOpenIdConnectProvider), but 'Workloads/Cluster' is a handle of it constructed before without an owner: " +
      'construct the owning handle first and pass it as owner: to the others (or use it everywhere).');
  });

  test('GIVEN a provider declared in the app and handed to the owner WHEN a handle handed the owner uses another audience THEN the role trusts that provider, which lists its audience', () => {
    // GIVEN
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const workloads = new Stack(app, 'Workloads', { env: ENV });
    const provider = new iam.OidcProviderNative(platform, 'Provider', { url: ISSUER, clientIds: ['sts.amazonaws.com'] });
    const owner = WorkloadCluster.fromClusterAttributes(platform, 'Campus', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, openIdConnectProvider: provider });

    // WHEN
    new WorkloadIdentity(workloads, 'Vault', { cluster: following(workloads, owner), namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN
    Template.fromStack(platform).hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com', 'vault'], Url: ISSUER }));
    expect(irsaTrust(workloads).map(t => t.federated)).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/^Platform:ExportsOutputRefProvider/) }]);
    expect(workloads.dependencies).toEqual([platform]);
    expect(oidcNotes([platform, workloads])).toEqual([]);
  });

  test('GIVEN a handle handed the owner WHEN it also asks to own a piece, or names another cluster, or states another issuer THEN it is refused at construction', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    const owner = owning(stack);
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Both', { clusterName: 'campus', owner, installPodIdentityAgent: true })).toThrow(
      "WorkloadCluster 'A/Both' has owner: 'A/Owner' and installPodIdentityAgent: the owner holds the cluster's pieces. Drop installPodIdentityAgent, or drop owner:.");
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Other', { clusterName: 'other', owner })).toThrow(
      `WorkloadCluster 'A/Other' names cluster '${ACCOUNT}/${REGION}/other' (account/region/name), but its owner 'A/Owner' is a handle of cluster '${ACCOUNT}/${REGION}/campus' (account/region/name)`);
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Issuer', { clusterName: 'campus', owner, oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER' })).toThrow(
      "WorkloadCluster 'A/Issuer' has oidcIssuerUrl 'https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER', but its owner 'A/Owner' has '" + ISSUER + "'");
    const plain = WorkloadCluster.fromClusterAttributes(stack, 'Plain', { clusterName: 'blue' });
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Follower', { clusterName: 'blue', owner: plain })).toThrow(
      "The owner of WorkloadCluster 'A/Follower', 'A/Plain', owns nothing of cluster 'blue'");
  });

  test('GIVEN a handle handed the owner WHEN both bind one ServiceAccount THEN "bound by both" refuses the second: they are one cluster', () => {
    const stack = new Stack(new App(), 'A', { env: ENV });
    const owner = owning(stack);
    new WorkloadIdentity(stack, 'First', { cluster: owner, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    expect(() => new WorkloadIdentity(stack, 'Second', { cluster: following(stack, owner), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA }))
      .toThrow("ServiceAccount 'analytics/reader' on cluster 'campus' is bound by both 'A/First' and 'A/Second'.");
  });
});

describe('a cluster owned elsewhere with IRSA roles in other accounts', () => {
  const WORKLOAD_ACCOUNT = '210987654321';
  const WORKLOAD_PROVIDER_ARN = `arn:aws:iam::${WORKLOAD_ACCOUNT}:oidc-provider/${ISSUER_KEY}`;

  test('GIVEN one handle in the cluster\'s account WHEN identities are in its account and in a workload account THEN each role trusts the provider of its own account, and one info per account says which must exist', () => {
    // GIVEN
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const workloads = new Stack(app, 'Workloads', { env: { account: WORKLOAD_ACCOUNT, region: REGION } });
    const cluster = WorkloadCluster.fromClusterAttributes(platform, 'Campus', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER });

    // WHEN
    new WorkloadIdentity(platform, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    new WorkloadIdentity(workloads, 'Vault', { cluster, namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN STS takes a web identity only through a provider in the role's own account
    expect(irsaTrust(platform)).toEqual([{ federated: PROVIDER_ARN, condition: irsaCondition('system:serviceaccount:analytics:reader') }]);
    expect(irsaTrust(workloads)).toEqual([{ federated: WORKLOAD_PROVIDER_ARN, condition: irsaCondition('system:serviceaccount:analytics:vault', 'vault') }]);
    expect([...oidcProviders(platform), ...oidcProviders(workloads)]).toEqual([]);
    expect(workloads.dependencies).toEqual([]);
    expect(oidcNotes([platform, workloads])).toEqual([
      ['/Platform/Campus', providerNote(PROVIDER_ARN, 'sts.amazonaws.com')],
      ['/Platform/Campus', providerNote(WORKLOAD_PROVIDER_ARN, 'vault',
        'eksctl utils associate-iam-oidc-provider --cluster campus --approve (it lists sts.amazonaws.com only; add vault with: ' +
        `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${WORKLOAD_PROVIDER_ARN} --client-id vault)`)],
    ]);
  });

  test('GIVEN the owner in the workload account, declaring the provider there WHEN a handle in the cluster\'s account, handed it, is used there THEN the role trusts that declared provider, with no note', () => {
    // GIVEN
    const app = new App();
    const workloads = new Stack(app, 'Workloads', { env: { account: WORKLOAD_ACCOUNT, region: REGION } });
    const platform = new Stack(app, 'Platform', { env: ENV });
    const owner = WorkloadCluster.fromClusterAttributes(workloads, 'Owner', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true });
    const cluster = WorkloadCluster.fromClusterAttributes(platform, 'Campus', { clusterName: 'campus', clusterArn: CLUSTER_ARN, owner });

    // WHEN
    new WorkloadIdentity(workloads, 'Vault', { cluster, namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'vault' } });

    // THEN
    const [provider] = oidcProviders(workloads);
    Template.fromStack(workloads).hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com', 'vault'], Url: ISSUER }));
    expect(irsaTrust(workloads).map(t => t.federated)).toEqual([{ Ref: provider }]);
    expect(oidcNotes([platform, workloads])).toEqual([]);
  });

  test('GIVEN a provider handed to the handle in the cluster\'s account WHEN the role is in a workload account THEN it is refused: that provider cannot serve the role', () => {
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const workloads = new Stack(app, 'Workloads', { env: { account: WORKLOAD_ACCOUNT, region: REGION } });
    const cluster = WorkloadCluster.fromClusterAttributes(platform, 'Campus', {
      clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER,
      openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(platform, 'Provider', PROVIDER_ARN),
    });

    expect(() => new WorkloadIdentity(workloads, 'Vault', { cluster, namespace: 'analytics', serviceAccountName: 'vault', mechanism: IdentityMechanism.IRSA }))
      .toThrow(`Cluster 'campus' has its OIDC provider '${PROVIDER_ARN}' in account ${ACCOUNT}, but the role of 'Workloads/Vault' is in account ${WORKLOAD_ACCOUNT}`);
  });
});
