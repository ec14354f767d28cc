import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER, ISSUER_KEY, PROVIDER_ARN, REGION, eksCluster, newStack, selfManagedCluster } from '../../fixtures';

const ISSUER_FIX = 'Pass the issuer exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, ' +
  'e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.';

function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('fromClusterAttributes', () => {
  test('an EKS cluster: ARN built from the stack environment, Pod Identity by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });

    // THEN
    expect(cluster.clusterName).toBe('campus');
    // the partition stays AWS::Partition, as Stack.formatArn builds it
    expect(stack.resolve(cluster.clusterArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:${REGION}:${ACCOUNT}:cluster/campus`]],
    });
    expect(cluster.kind).toBe(ClusterKind.EKS);
    expect(cluster.defaultMechanism).toBe(IdentityMechanism.POD_IDENTITY);
    expect(cluster.oidcIssuerUrl).toBeUndefined();
  });

  test('Auto Mode defaults to Pod Identity; NOT_EKS to IRSA and has no ARN', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const auto = WorkloadCluster.fromClusterAttributes(stack, 'Auto', { clusterName: 'auto', kind: ClusterKind.EKS_AUTO_MODE });
    const edge = selfManagedCluster(stack);

    // THEN
    expect(auto.defaultMechanism).toBe(IdentityMechanism.POD_IDENTITY);
    expect(edge.defaultMechanism).toBe(IdentityMechanism.IRSA);
    expect(edge.clusterArn).toBeUndefined();
  });

  test.each([
    ['http://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE', "it must start with 'https://'."],
    [`${ISSUER}/`, "it must not end with '/', or the token's 'iss' claim will not match."],
    ['https://oidc.example.com:8443/id', 'it must be a host and optional path, without port, query or fragment.'],
  ])('issuer %s is an error', (url, why) => {
    // GIVEN
    const stack = newStack();

    // THEN
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', oidcIssuerUrl: url }))
      .toThrow(`Invalid OIDC issuer URL '${url}': ${why} ${ISSUER_FIX}`);
  });

  test('an empty clusterName is an error', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: '' }))
      .toThrow("Invalid cluster name '': it is empty. A cluster name has 1-100 characters: letters, digits, '-' and '_', starting with a letter or digit " +
        '(the EKS CreateCluster rule, which also applies to the label of a cluster that is not EKS). ' +
        "Pass the name exactly as `aws eks list-clusters` prints it, or for a cluster that is not EKS a label by that rule, e.g. 'my-cluster'.");
  });

  test('a NOT_EKS cluster with a clusterArn is an error', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', kind: ClusterKind.NOT_EKS, clusterArn: CLUSTER_ARN }))
      .toThrow(`Cluster 'campus' is NOT_EKS but has clusterArn '${CLUSTER_ARN}'. Remove clusterArn, or set kind to ClusterKind.EKS.`);
  });

  test('a clusterArn of another cluster is an error', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'lab', clusterArn: CLUSTER_ARN }))
      .toThrow(`Invalid EKS cluster ARN '${CLUSTER_ARN}': it names cluster 'campus', not 'lab'. ` +
        "Pass the ARN of cluster 'lab' (arn:<partition>:eks:<region>:<account>:cluster/lab), or leave clusterArn out.");
  });
});

describe('the eks-pod-identity-agent add-on', () => {
  test('exactly one per cluster, however many identities use it, and every association depends on it', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    for (const name of ['reader', 'writer', 'admin']) {
      new WorkloadIdentity(stack, name, { cluster, namespace: 'analytics', serviceAccountName: name });
    }

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 1);
    const addonId = logicalIdOf(template, 'AWS::EKS::Addon');
    template.hasResourceProperties('AWS::EKS::Addon', Match.objectEquals({ AddonName: 'eks-pod-identity-agent', ClusterName: 'campus' }));
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 3);
    template.allResources('AWS::EKS::PodIdentityAssociation', { DependsOn: [addonId] });
    expect(cluster.podIdentityAgent).toBe(cluster.podIdentityAgent);
  });

  test('none for IRSA only, on a handle that does not own it', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack, 'Cluster', 'campus', { installPodIdentityAgent: false }), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::EKS::Addon', 0);
  });

  test('none on EKS Auto Mode, where the agent is built in', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', kind: ClusterKind.EKS_AUTO_MODE, oidcIssuerUrl: ISSUER });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });
    new WorkloadIdentity(stack, 'Writer', { cluster, namespace: 'analytics', serviceAccountName: 'writer', mechanism: IdentityMechanism.BOTH, roleName: 'writer' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    template.allResources('AWS::EKS::PodIdentityAssociation', { DependsOn: Match.absent() });
    expect(cluster.podIdentityAgent).toBeUndefined();
  });

  test('a pinned podIdentityAgentVersion', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', installPodIdentityAgent: true, podIdentityAgentVersion: 'v1.3.4-eksbuild.1' });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', Match.objectEquals({
      AddonName: 'eks-pod-identity-agent', ClusterName: 'campus', AddonVersion: 'v1.3.4-eksbuild.1',
    }));
  });

  test('installPodIdentityAgent false: none, and the association depends on nothing', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', installPodIdentityAgent: false });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.hasResource('AWS::EKS::PodIdentityAssociation', { DependsOn: Match.absent() });
  });

  test('one the user declared before is reused', () => {
    // GIVEN
    const stack = newStack();
    const declared = new eks.CfnAddon(stack, 'UserAgent', { clusterName: 'campus', addonName: 'eks-pod-identity-agent', addonVersion: 'v1.3.4-eksbuild.1' });
    const cluster = eksCluster(stack);

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 1);
    template.hasResource('AWS::EKS::PodIdentityAssociation', { DependsOn: [stack.getLogicalId(declared)] });
    expect(cluster.podIdentityAgent).toBe(declared);
  });

  test('another add-on, or the agent of another cluster, is not reused', () => {
    // GIVEN
    const stack = newStack();
    new eks.CfnAddon(stack, 'Cni', { clusterName: 'campus', addonName: 'vpc-cni' });
    new eks.CfnAddon(stack, 'LabAgent', { clusterName: 'lab', addonName: 'eks-pod-identity-agent' });
    const cluster = eksCluster(stack);

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 3);
    template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', ClusterName: 'campus' }, 1);
  });

  test('one the user declares after the first identity is left to guardrail WI-AWS-10, which names it and can be acknowledged', () => {
    // GIVEN
    const stack = newStack();
    new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN
    new eks.CfnAddon(stack, 'UserAgent', { clusterName: 'campus', addonName: 'eks-pod-identity-agent' });

    // THEN the guardrails report it under its rule id (test/aws/guardrails/hardening.test.ts shows the rest)
    expect(() => Template.fromStack(stack)).toThrow(
      "WI-AWS-10: Cluster 'campus' has 2 eks-pod-identity-agent add-ons (Test/Cluster/PodIdentityAgent, Test/UserAgent).");
  });

  test('one the user declares after is fine when this app installs none', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', installPodIdentityAgent: false });
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN
    new eks.CfnAddon(stack, 'UserAgent', { clusterName: 'campus', addonName: 'eks-pod-identity-agent' });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::EKS::Addon', 1);
  });
});

describe('the OIDC provider', () => {
  test('GIVEN createOpenIdConnectProvider THEN a native AWS::IAM::OIDCProvider, declared once, when the owning handle is constructed', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true });
    new WorkloadIdentity(stack, 'Pods', { cluster, namespace: 'analytics', serviceAccountName: 'pods' });
    // (no synth yet: an app synthesizes once) Declared though no identity uses IRSA: it is owned, not lazily used.
    expect(stack.node.findAll().filter(c => c instanceof iam.CfnOIDCProvider).length).toBe(1);

    // WHEN
    const provider = cluster.openIdConnectProviderFor(stack.account);

    // THEN
    expect(cluster.openIdConnectProviderFor(stack.account)).toBe(provider);
    expect(cluster._irsaTrust('sts.amazonaws.com', stack)).toEqual({ provider, conditionKeyPrefix: ISSUER_KEY });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com'], Url: ISSUER }));
  });

  test('GIVEN createOpenIdConnectProvider THEN it lists every audience its identities use, once each', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true });

    // WHEN
    new WorkloadIdentity(stack, 'A', { cluster, namespace: 'analytics', serviceAccountName: 'a', mechanism: IdentityMechanism.IRSA });
    new WorkloadIdentity(stack, 'B', { cluster, namespace: 'analytics', serviceAccountName: 'b', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'campus' } });
    new WorkloadIdentity(stack, 'C', { cluster, namespace: 'analytics', serviceAccountName: 'c', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'campus' } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { ClientIdList: ['sts.amazonaws.com', 'campus'] });
  });

  test('an imported provider is used as is: none is created', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus',
      oidcIssuerUrl: ISSUER,
      openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', PROVIDER_ARN),
    });

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectEquals({
          Effect: 'Allow',
          Principal: { Federated: PROVIDER_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:analytics:reader', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
        })],
      },
    });
    expect(identity.primaryBinding.roleArn).toMatch(/^arn:aws:iam::123456789012:role\/TestReader[0-9A-F]{8}-eu-west-1$/);
  });

  test('an imported provider without an issuer URL: the condition keys come from its ARN, still without a custom resource', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus',
      openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', PROVIDER_ARN),
    });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type).filter(t => t.startsWith('Custom::'))).toEqual([]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: Match.objectEquals({
            StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:analytics:reader', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
          }),
        })],
      },
    });
  });

  test('a provider declared in the app gets a custom audience added to its client ids', () => {
    // GIVEN
    const stack = newStack();
    const provider = new iam.OidcProviderNative(stack, 'Provider', { url: ISSUER, clientIds: ['sts.amazonaws.com'] });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', oidcIssuerUrl: ISSUER, openIdConnectProvider: provider });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'campus' },
    });
    new WorkloadIdentity(stack, 'Writer', {
      cluster, namespace: 'analytics', serviceAccountName: 'writer', mechanism: IdentityMechanism.IRSA, irsa: { audience: 'campus' },
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com', 'campus'], Url: ISSUER }));
  });

  test('a cluster with neither issuer nor provider cannot have one', () => {
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });
    expect(() => cluster.openIdConnectProviderFor(stack.account)).toThrow("Cluster 'campus' has no OIDC issuer, so IRSA cannot be used on it.");
  });
});

describe('fromEksCluster (aws-eks v1), imported', () => {
  function importedV1(stack: Stack) {
    return eks.Cluster.fromClusterAttributes(stack, 'Imported', {
      clusterName: 'legacy',
      openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Provider', PROVIDER_ARN),
    });
  }

  test('IRSA uses the cluster\'s provider with literal condition keys; Pod Identity gets this library\'s add-on', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromEksCluster(stack, 'Cluster', importedV1(stack), { installPodIdentityAgent: true });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.BOTH });

    // THEN
    expect(cluster.kind).toBe(ClusterKind.EKS);
    const legacyArn = stack.resolve(cluster.clusterArn);
    expect(legacyArn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:${REGION}:${ACCOUNT}:cluster/legacy`]] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type).filter(t => t.startsWith('Custom::'))).toEqual([]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectEquals({
            Effect: 'Allow',
            Principal: { Federated: PROVIDER_ARN },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:analytics:reader', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
          }),
          Match.objectLike({
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Condition: Match.objectEquals({
              StringEquals: {
                'aws:SourceAccount': ACCOUNT,
                'aws:RequestTag/eks-cluster-arn': legacyArn,
                'aws:RequestTag/kubernetes-namespace': 'analytics',
                'aws:RequestTag/kubernetes-service-account': 'reader',
              },
            }),
          }),
        ],
      },
    });
    template.resourceCountIs('AWS::EKS::Addon', 1);
    template.hasResourceProperties('AWS::EKS::Addon', Match.objectEquals({ AddonName: 'eks-pod-identity-agent', ClusterName: 'legacy' }));
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'legacy', Namespace: 'analytics', ServiceAccount: 'reader' });
  });

  test('kind NOT_EKS is an error', () => {
    const stack = newStack();
    const imported = importedV1(stack);
    expect(() => WorkloadCluster.fromEksCluster(stack, 'Cluster', imported, { kind: ClusterKind.NOT_EKS }))
      .toThrow("Cluster 'Test/Imported' is an EKS cluster; kind NOT_EKS does not apply. Use ClusterKind.EKS or EKS_AUTO_MODE.");
  });

  test('an imported cluster without provider or issuer cannot use IRSA', () => {
    // GIVEN
    const stack = newStack();
    const imported = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'legacy' });
    const cluster = WorkloadCluster.fromEksCluster(stack, 'Cluster', imported);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA }))
      .toThrow("Cluster 'legacy' has no OIDC issuer, so IRSA cannot be used on it.");
  });

  test('an imported cluster with only an issuer is owned elsewhere: its provider is referenced by ARN, none is declared', () => {
    // GIVEN
    const stack = newStack();
    const imported = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'legacy' });
    const cluster = WorkloadCluster.fromEksCluster(stack, 'Cluster', imported, { oidcIssuerUrl: ISSUER });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN the imported cluster's ARN is built from the stack: so is the provider's
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}` },
          Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:analytics:reader', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
        })],
      },
    });
  });

  test('an imported cluster with only an issuer and createOpenIdConnectProvider gets a native provider in the handle\'s stack', () => {
    // GIVEN
    const stack = newStack();
    const imported = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'legacy' });
    const cluster = WorkloadCluster.fromEksCluster(stack, 'Cluster', imported, { oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', Match.objectEquals({ ClientIdList: ['sts.amazonaws.com'], Url: ISSUER }));
  });

  test('an imported cluster with its provider and createOpenIdConnectProvider is an error naming both', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromEksCluster(stack, 'Cluster', importedV1(stack), { oidcIssuerUrl: ISSUER, createOpenIdConnectProvider: true })).toThrow(
      "Cluster 'Test/Imported' was imported with an openIdConnectProvider and createOpenIdConnectProvider is true: the provider would be both given and declared. " +
      'Drop createOpenIdConnectProvider to use the given provider, or import the cluster without openIdConnectProvider to have this stack declare one for oidcIssuerUrl.');
  });
});

describe('an issuer URL and an imported provider', () => {
  test('GIVEN a provider of another issuer WHEN the cluster is declared THEN it is rejected, naming both', () => {
    const stack = newStack();
    const other = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHER`;
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus', oidcIssuerUrl: ISSUER,
      openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', other),
    })).toThrow(`Cluster 'campus' has oidcIssuerUrl '${ISSUER}' but openIdConnectProvider '${other}' registers issuer ` +
      "'oidc.eks.eu-west-1.amazonaws.com/id/OTHER': its ServiceAccounts would be trusted through another issuer's provider. " +
      "Pass the provider that registers the cluster's issuer, or leave out oidcIssuerUrl so the condition keys come from the provider.");
  });

  test('GIVEN the provider of the same issuer WHEN the cluster is declared THEN it is accepted', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus', oidcIssuerUrl: ISSUER,
      openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`),
    })).not.toThrow();
  });
});

describe('WorkloadCluster.isWorkloadCluster', () => {
  test('GIVEN the factories\' clusters and other constructs THEN only the clusters are recognized, by brand', () => {
    const stack = newStack();
    const clusters = [eksCluster(stack), selfManagedCluster(stack)];
    expect(clusters.every(c => WorkloadCluster.isWorkloadCluster(c))).toBe(true);
    expect(WorkloadCluster.isWorkloadCluster(stack)).toBe(false);
    expect(WorkloadCluster.isWorkloadCluster({ clusterName: 'campus', kind: ClusterKind.EKS, podIdentityAgent: undefined, openIdConnectProviderFor: () => undefined })).toBe(false);
    expect(stack.node.findAll().filter(WorkloadCluster.isWorkloadCluster)).toEqual(clusters);
  });
});
