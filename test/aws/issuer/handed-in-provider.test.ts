import { Template } from 'aws-cdk-lib/assertions';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ISSUER, newStack } from '../../fixtures';

describe('a provider declared in the app and handed to one handle of a cluster', () => {
  test('a handle of that cluster constructed before without it makes the owner refused, naming it (found by the layout proof, app 2420 of 3000, when the handle was left to reference the provider by ARN)', () => {
    const stack = newStack();
    const declared = new iam.OidcProviderNative(stack, 'Declared', { url: ISSUER, clientIds: ['sts.amazonaws.com'] });
    WorkloadCluster.fromClusterAttributes(stack, 'ByAttributes', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus', openIdConnectProvider: declared });
    expect(() => WorkloadCluster.fromEksV2Cluster(stack, 'ByEksV2', imported)).toThrow(
      "WorkloadCluster 'Test/ByEksV2' would own cluster 'campus' (openIdConnectProvider), but 'Test/ByAttributes' is a handle of it constructed before without an owner");
  });

  test('another handle of that cluster, handed it as owner:, uses it and adds its audience', () => {
    // GIVEN a provider the app declares, listing sts.amazonaws.com, handed to an imported aws-eks-v2 handle without an issuer URL
    const stack = newStack();
    const declared = new iam.OidcProviderNative(stack, 'Declared', { url: ISSUER, clientIds: ['sts.amazonaws.com'] });
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus', openIdConnectProvider: declared });
    const owner = WorkloadCluster.fromEksV2Cluster(stack, 'ByEksV2', imported);
    const referencing = WorkloadCluster.fromClusterAttributes(stack, 'ByAttributes', { clusterName: 'campus', oidcIssuerUrl: ISSUER, owner });

    // WHEN an IRSA identity with another audience uses the handle that names only the issuer
    new WorkloadIdentity(stack, 'Reader', {
      cluster: referencing, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'api.example.com' },
    });

    // THEN the one provider of the issuer lists that audience too (else STS rejects the token), and the trust names it
    const template = Template.fromStack(stack);
    const providers = template.findResources('AWS::IAM::OIDCProvider');
    expect(Object.values<any>(providers).map(p => p.Properties.ClientIdList)).toEqual([['sts.amazonaws.com', 'api.example.com']]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Federated: { Ref: Object.keys(providers)[0] } }, Action: 'sts:AssumeRoleWithWebIdentity' }] },
    });
  });
});
