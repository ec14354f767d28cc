import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, eksCluster, ISSUER, ISSUER_KEY, REGION } from '../../fixtures';
import { awsFindings, open, reportingApp, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-13 duplicate-oidc-provider', () => {
  test('two stacks of one account that each register the issuer is an error', () => {
    // GIVEN two stacks of one account, each declaring its own provider of the cluster's issuer
    // (the library's own handles share one provider per issuer and account since issue 10 §1)
    const app = reportingApp();
    for (const id of ['Payments', 'Reports']) {
      const stack = reportingStack(id, REGION, app);
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
        clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER,
        openIdConnectProvider: new iam.OidcProviderNative(stack, 'OidcProvider', { url: ISSUER, clientIds: ['sts.amazonaws.com'] }),
      });
      new WorkloadIdentity(stack, 'Workload', { cluster, namespace: id.toLowerCase(), serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
    }
    // THEN each stack declared its own provider, which IAM refuses the second time
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([
      `WI-AWS-13 Issuer '${ISSUER}' has 2 AWS::IAM::OIDCProvider resources in account ${ACCOUNT} (Payments/OidcProvider, Reports/OidcProvider).`,
    ]);
  });

  test('two handles of one cluster in two stacks of one account that both own the provider share one: nothing to report', () => {
    // GIVEN two stacks of one account using IRSA on the same existing cluster, each adapting it with createOpenIdConnectProvider
    const app = reportingApp();
    const stacks = ['Payments', 'Reports'].map(id => {
      const stack = reportingStack(id, REGION, app);
      new WorkloadIdentity(stack, 'Workload', {
        cluster: eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true, installPodIdentityAgent: false }), namespace: id.toLowerCase(), serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA,
      });
      return stack;
    });
    // THEN the second stack trusts the first one's provider instead of registering the issuer again
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([]);
    expect(stacks.map(stack => Template.fromStack(stack).toJSON().Resources).map(r => Object.values(r).filter((x: any) => x.Type === 'AWS::IAM::OIDCProvider').length)).toEqual([1, 0]);
  });

  test('a provider referenced by default is never a duplicate of the one a handle declares', () => {
    // GIVEN one handle that owns the provider and, in another stack of the account, one that references it (the default)
    const app = reportingApp();
    const owner = reportingStack('Payments', REGION, app);
    new WorkloadIdentity(owner, 'Workload', {
      cluster: eksCluster(owner, 'Cluster', 'campus', { createOpenIdConnectProvider: true }), namespace: 'payments', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA,
    });
    const other = reportingStack('Reports', REGION, app);
    new WorkloadIdentity(other, 'Workload', { cluster: eksCluster(other), namespace: 'reports', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
    // THEN one provider is declared, and nothing is reported
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([]);
    expect(Template.fromStack(owner).findResources('AWS::IAM::OIDCProvider')).not.toEqual({});
    expect(Template.fromStack(other).findResources('AWS::IAM::OIDCProvider')).toEqual({});
  });

  test('one provider, imported by the other stack, is fine', () => {
    // GIVEN the provider declared in one stack and imported by its ARN in the other
    const app = reportingApp();
    const first = reportingStack('Payments', REGION, app);
    new WorkloadIdentity(first, 'Workload', { cluster: eksCluster(first, 'Cluster', 'campus', { createOpenIdConnectProvider: true }), namespace: 'payments', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
    const second = reportingStack('Reports', REGION, app);
    const cluster = WorkloadCluster.fromClusterAttributes(second, 'Cluster', {
      clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER,
      openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(second, 'Provider', `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`),
    });
    new WorkloadIdentity(second, 'Workload', { cluster, namespace: 'reports', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
    // THEN
    expect(open(awsFindings(app))).toEqual([]);
    expect(Object.keys(Template.fromStack(first).findResources('AWS::IAM::OIDCProvider'))).toHaveLength(1);
  });

  test('the same issuer in two accounts, and issuers known only at deployment, are fine', () => {
    const app = reportingApp();
    for (const [id, account] of [['Prod', ACCOUNT], ['Staging', '210987654321']]) {
      const stack = new Stack(app, id, { env: { account, region: REGION } });
      new WorkloadIdentity(stack, 'Workload', {
        cluster: eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true, installPodIdentityAgent: false }), namespace: id.toLowerCase(), serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA,
      });
    }
    for (const id of ['Blue', 'Green']) {
      const stack = reportingStack(id, REGION, app);
      const created = new eks.Cluster(stack, 'Eks', { version: eks.KubernetesVersion.V1_33 });
      new iam.OidcProviderNative(stack, 'Provider', { url: created.clusterOpenIdConnectIssuerUrl });
    }
    expect(open(awsFindings(app), 'WI-AWS-13')).toEqual([]);
  });
});
