import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClusterKind, IdentityMechanism, IWorkloadCluster, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, eksCluster, ISSUER, ISSUER_KEY, REGION } from '../../fixtures';
import { awsFindings, open, reportingApp, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-13 duplicate-oidc-provider', () => {
  test('two stacks of one account that each register the issuer is an error', () => {
    // GIVEN two stacks of one account, each declaring its own provider of the cluster's issuer: one handed to the
    // cluster's owner, one the second stack declares itself (a second owner of the cluster is refused since issue 20)
    const app = reportingApp();
    let owner: IWorkloadCluster | undefined;
    for (const id of ['Payments', 'Reports']) {
      const stack = reportingStack(id, REGION, app);
      const provider = new iam.OidcProviderNative(stack, 'OidcProvider', { url: ISSUER, clientIds: ['sts.amazonaws.com'] });
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
        clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: owner ? undefined : ISSUER, openIdConnectProvider: owner ? undefined : provider, owner,
      });
      owner ??= cluster;
      new WorkloadIdentity(stack, 'Workload', { cluster, namespace: id.toLowerCase(), serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
    }
    // THEN each stack declared its own provider, which IAM refuses the second time
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([
      `WI-AWS-13 Issuer '${ISSUER}' has 2 AWS::IAM::OIDCProvider resources in account ${ACCOUNT} (Payments/OidcProvider, Reports/OidcProvider).`,
    ]);
  });

  test('two handles of one cluster in two stacks of one account, the second handed the owner, share one provider: nothing to report', () => {
    // GIVEN two stacks of one account using IRSA on the same existing cluster, the second handle handed the first, which owns the provider
    const app = reportingApp();
    let owner: IWorkloadCluster | undefined;
    const stacks = ['Payments', 'Reports'].map(id => {
      const stack = reportingStack(id, REGION, app);
      const cluster = owner
        ? WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, owner })
        : eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true, installPodIdentityAgent: false });
      owner ??= cluster;
      new WorkloadIdentity(stack, 'Workload', { cluster, namespace: id.toLowerCase(), serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
      return stack;
    });
    // THEN the second stack trusts the first one's provider instead of registering the issuer again
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([]);
    expect(stacks.map(stack => Template.fromStack(stack).toJSON().Resources).map(r => Object.values(r).filter((x: any) => x.Type === 'AWS::IAM::OIDCProvider').length)).toEqual([1, 0]);
  });

  test('a handle of another cluster declared with the owner\'s issuer, which would reference a second provider of it, is refused (issue 18 §1)', () => {
    // GIVEN one handle that owns the provider of the issuer
    const app = reportingApp();
    const owner = reportingStack('Payments', REGION, app);
    new WorkloadIdentity(owner, 'Workload', {
      cluster: eksCluster(owner, 'Cluster', 'campus', { createOpenIdConnectProvider: true }), namespace: 'payments', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA,
    });
    // WHEN another cluster label is declared with the same issuer in another stack of the account
    const other = reportingStack('Reports', REGION, app);
    // THEN it is refused where it is declared (an issuer is one cluster's; the same cluster's handles are handed the owner and share its provider)
    expect(() => WorkloadCluster.fromClusterAttributes(other, 'Cluster', { clusterName: 'campus-edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: ISSUER }))
      .toThrow(`is declared with OIDC issuer '${ISSUER}', which cluster 'campus' (account ${ACCOUNT}, region ${REGION}; handle 'Payments/Cluster') already has`);
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([]);
  });

  test('one provider, imported by the other stack, is fine', () => {
    // GIVEN the provider declared in one stack and imported by its ARN in the other, for a role written by hand
    const app = reportingApp();
    const first = reportingStack('Payments', REGION, app);
    new WorkloadIdentity(first, 'Workload', { cluster: eksCluster(first, 'Cluster', 'campus', { createOpenIdConnectProvider: true }), namespace: 'payments', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
    const second = reportingStack('Reports', REGION, app);
    const imported = iam.OidcProviderNative.fromOidcProviderArn(second, 'Provider', `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`);
    new iam.Role(second, 'Reader', {
      assumedBy: new iam.OpenIdConnectPrincipal(imported, {
        StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:reports:app', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
      }),
    });
    // THEN
    expect(open(awsFindings(app))).toEqual([]);
    expect(Object.keys(Template.fromStack(first).findResources('AWS::IAM::OIDCProvider'))).toHaveLength(1);
    expect(Template.fromStack(second).findResources('AWS::IAM::OIDCProvider')).toEqual({});
  });

  test('the same issuer in two accounts, and issuers known only at deployment, are fine', () => {
    const app = reportingApp();
    const prod = new Stack(app, 'Prod', { env: { account: ACCOUNT, region: REGION } });
    new WorkloadIdentity(prod, 'Workload', {
      cluster: eksCluster(prod, 'Cluster', 'campus', { createOpenIdConnectProvider: true, installPodIdentityAgent: false }), namespace: 'prod', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA,
    });
    // The cluster has one owner: the issuer's provider in another account is declared by that account's stack itself.
    new iam.OidcProviderNative(new Stack(app, 'Staging', { env: { account: '210987654321', region: REGION } }), 'OidcProvider', { url: ISSUER, clientIds: ['sts.amazonaws.com'] });
    for (const id of ['Blue', 'Green']) {
      const stack = reportingStack(id, REGION, app);
      const created = new eks.Cluster(stack, 'Eks', { version: eks.KubernetesVersion.V1_33 });
      new iam.OidcProviderNative(stack, 'Provider', { url: created.clusterOpenIdConnectIssuerUrl });
    }
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([]);
  });
});
