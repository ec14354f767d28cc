import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER, ISSUER_KEY, REGION } from '../fixtures';

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
      'CloudFormation does not accept Fn::GetStackOutput inside Fn::Split. ' +
      "Pass the cluster's oidcIssuerUrl as a literal (aws eks describe-cluster --name campus --query cluster.identity.oidc.issuer) " +
      "so the condition keys need no reference, or declare the identity in stack 'Platform' (eu-west-1), where that value is.");
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
