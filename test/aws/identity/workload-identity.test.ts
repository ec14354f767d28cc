import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Names, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { serviceAccountAnnotations } from '../../../lib/core/binding-annotations';
import { WorkloadBindingFile } from '../../../lib/core/workload-binding-file';
import { ACCOUNT, CLUSTER_ARN, ISSUER, ISSUER_KEY, PROVIDER_ARN, REGION, eksCluster, newStack, selfManagedCluster } from '../../fixtures';
import { synthWarning } from '../../synth-warning';

const POD_IDENTITY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];

/** The exact Pod Identity trust statement for one subject. */
function podIdentityStatement(namespace: string, serviceAccountName: string, clusterArn: string | string[] = CLUSTER_ARN) {
  return {
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: POD_IDENTITY_ACTIONS,
    Condition: {
      StringEquals: {
        'aws:SourceAccount': ACCOUNT,
        'aws:RequestTag/eks-cluster-arn': clusterArn,
        'aws:RequestTag/kubernetes-namespace': namespace,
        'aws:RequestTag/kubernetes-service-account': serviceAccountName,
      },
    },
  };
}

/** The exact IRSA trust statement for the fixture issuer's provider: the existing one by default, else `{ Ref: <declared provider> }`. */
function irsaStatement(federated: unknown, sub: string | string[], aud = 'sts.amazonaws.com') {
  return {
    Effect: 'Allow',
    Principal: { Federated: federated },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: sub, [`${ISSUER_KEY}:aud`]: aud } },
  };
}

/** The trust statements of the role that `identity` created, exactly as synthesized. */
function trustStatements(template: Template, identity: WorkloadIdentity): any[] {
  const logicalId = Stack.of(identity).getLogicalId(identity.role.node.defaultChild as iam.CfnRole);
  return template.toJSON().Resources[logicalId].Properties.AssumeRolePolicyDocument.Statement;
}

function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('Pod Identity on an EKS cluster (the default mechanism)', () => {
  test('the role trusts pods.eks.amazonaws.com for exactly the subject, with session tags and the source account', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [Match.objectEquals(podIdentityStatement('analytics', 'reader'))],
      },
    });
    expect(trustStatements(template, identity)).toEqual([podIdentityStatement('analytics', 'reader')]);
  });

  test('one association binds the cluster, namespace and ServiceAccount to the role, after the agent add-on', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    const roleId = logicalIdOf(template, 'AWS::IAM::Role');
    const addonId = logicalIdOf(template, 'AWS::EKS::Addon');
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResource('AWS::EKS::PodIdentityAssociation', {
      Properties: Match.objectEquals({
        ClusterName: 'campus',
        Namespace: 'analytics',
        ServiceAccount: 'reader',
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      }),
      DependsOn: [addonId],
    });
    template.hasResourceProperties('AWS::EKS::Addon', Match.objectEquals({ AddonName: 'eks-pod-identity-agent', ClusterName: 'campus' }));
  });

  test('needs no OIDC provider, no custom resource and no Lambda', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(template.toJSON().Resources).filter((r: any) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  test('podIdentity.restrictTrustToSubjects false trusts any association in the account', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', podIdentity: { restrictTrustToSubjects: false },
    });
    identity.addSubject({ cluster, namespace: 'analytics', serviceAccountName: 'writer' });

    // THEN: one account-wide statement, not one per subject, and guardrail WI-AWS-7 warns at synth
    const template = synthWarning(() => Template.fromStack(stack), "WARNING WI-AWS-7: Role 'Test/Reader' trusts pods.eks.amazonaws.com without a condition on the cluster");
    expect(trustStatements(template, identity)).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: POD_IDENTITY_ACTIONS,
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }]);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    template.allResourcesProperties('AWS::EKS::PodIdentityAssociation', { DisableSessionTags: Match.absent() });
  });

  test('sessionTags false with the opt-out disables the session tags of the association', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader',
      podIdentity: { restrictTrustToSubjects: false, sessionTags: false },
    });

    // THEN (WI-AWS-7 warns, as for any opted-out trust)
    const template = synthWarning(() => Template.fromStack(stack), "WARNING WI-AWS-7: Role 'Test/Reader'");
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'analytics', ServiceAccount: 'reader', DisableSessionTags: true,
    });
  });

  test('sessionTags false while the trust is restricted by those tags is an error', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', podIdentity: { sessionTags: false },
    })).toThrow(
      "WorkloadIdentity 'Test/Reader' disables session tags but restricts its trust to its subjects by those tags, " +
      'so every association would be denied. Keep podIdentity.sessionTags true, or set podIdentity.restrictTrustToSubjects to false.');
  });

  test('the binding of a Pod Identity-only subject knows the role ARN from the start: the role is named at construction', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const roleName = `${Names.uniqueResourceName(identity, { maxLength: 64 - '-eu-west-1'.length })}-eu-west-1`;
    expect(identity.primaryBinding).toEqual({
      clusterName: 'campus',
      clusterArn: CLUSTER_ARN,
      namespace: 'analytics',
      serviceAccountName: 'reader',
      mechanism: IdentityMechanism.POD_IDENTITY,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
    });
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({});
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: roleName });
  });

  test('GIVEN an environment-agnostic stack THEN a Pod Identity role keeps a CloudFormation name and its binding has no role ARN', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Agnostic');
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN });

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(identity.primaryBinding.roleArn).toBeUndefined();
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({});
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: Match.absent() });
  });

  test('on EKS Auto Mode the association depends on no add-on', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', kind: ClusterKind.EKS_AUTO_MODE });

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.hasResource('AWS::EKS::PodIdentityAssociation', {
      Properties: { ClusterName: 'campus', Namespace: 'analytics', ServiceAccount: 'reader' },
      DependsOn: Match.absent(),
    });
  });
});

describe('bindings', () => {
  test('a changed copy of a binding that passed is checked (WorkloadBindingFile.validate remembers binding objects, not values)', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack, 'Cluster', 'campus', { installPodIdentityAgent: false });
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA });
    // WHEN
    WorkloadBindingFile.validate(identity.primaryBinding);
    // THEN
    expect(() => WorkloadBindingFile.validate({ ...identity.primaryBinding, namespace: 'Analytics' }))
      .toThrow("Invalid namespace 'Analytics'");
  });
});

describe('IRSA with a literal issuer', () => {
  test('the role trusts the cluster\'s existing OIDC provider for exactly system:serviceaccount:<ns>:<sa> and the STS audience', () => {
    // GIVEN
    const stack = newStack();
    // A handle that does not own the add-on: IRSA alone declares none.
    const cluster = eksCluster(stack, 'Cluster', 'campus', { installPodIdentityAgent: false });

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(trustStatements(template, identity)).toEqual([irsaStatement(PROVIDER_ARN, 'system:serviceaccount:analytics:reader')]);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    template.resourceCountIs('AWS::EKS::Addon', 0);
  });

  test('needs no Lambda and no custom resource', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type).filter(t => t.startsWith('Custom::'))).toEqual([]);
  });

  test('several ServiceAccounts on one issuer share one statement with the list of subjects', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    });

    // WHEN
    identity.addSubject({ cluster, namespace: 'reports', serviceAccountName: 'exporter' });

    // THEN
    const template = Template.fromStack(stack);
    expect(trustStatements(template, identity)).toEqual([
      irsaStatement(PROVIDER_ARN, ['system:serviceaccount:analytics:reader', 'system:serviceaccount:reports:exporter']),
    ]);
  });

  test('the binding carries the literal ARN of a role named deterministically after the construct path and the region', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    });

    // THEN
    // The region is part of the name: one app deployed to two regions of an account must not collide (IAM names are global).
    const roleName = `${Names.uniqueResourceName(identity, { maxLength: 64 - '-eu-west-1'.length })}-eu-west-1`;
    expect(roleName).toMatch(/^TestReader[0-9A-F]{8}-eu-west-1$/);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
    expect(identity.primaryBinding).toEqual({
      clusterName: 'campus',
      clusterArn: CLUSTER_ARN,
      namespace: 'analytics',
      serviceAccountName: 'reader',
      mechanism: IdentityMechanism.IRSA,
      roleArn,
    });
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({ 'eks.amazonaws.com/role-arn': roleArn });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: roleName });

    // and the same on every synth
    const again = newStack();
    const twin = new WorkloadIdentity(again, 'Reader', {
      cluster: eksCluster(again), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    });
    expect(twin.primaryBinding.roleArn).toBe(roleArn);
  });

  test('an explicit roleName gives the binding that role ARN, in the partition of the region', () => {
    // GIVEN
    const stack = new Stack(new App(), 'China', { env: { account: ACCOUNT, region: 'cn-north-1' } });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', oidcIssuerUrl: 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE' });

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, roleName: 'report-reader',
    });

    // THEN
    expect(identity.primaryBinding.roleArn).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/report-reader`);
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({ 'eks.amazonaws.com/role-arn': `arn:aws-cn:iam::${ACCOUNT}:role/report-reader` });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'report-reader' });
  });

  test('a GovCloud cluster and role: the role ARN is in the partition of the role stack\'s region', () => {
    // GIVEN a GovCloud cluster named by its ARN, in a stack of that region
    const stack = new Stack(new App(), 'Gov', { env: { account: ACCOUNT, region: 'us-gov-west-1' } });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'campus',
      clusterArn: `arn:aws-us-gov:eks:us-gov-west-1:${ACCOUNT}:cluster/campus`,
      oidcIssuerUrl: 'https://oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLE',
    });

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, roleName: 'report-reader',
    });

    // THEN
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({ 'eks.amazonaws.com/role-arn': `arn:aws-us-gov:iam::${ACCOUNT}:role/report-reader` });
  });

  test('a custom audience goes into the trust, the client ids of the provider this stack owns and the annotation', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true }), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
      irsa: { audience: 'campus-audience' },
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { ClientIdList: ['sts.amazonaws.com', 'campus-audience'], Url: ISSUER });
    const providerId = logicalIdOf(template, 'AWS::IAM::OIDCProvider');
    expect(trustStatements(template, identity)).toEqual([irsaStatement({ Ref: providerId }, 'system:serviceaccount:analytics:reader', 'campus-audience')]);
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({
      'eks.amazonaws.com/role-arn': identity.primaryBinding.roleArn,
      'eks.amazonaws.com/audience': 'campus-audience',
    });
  });

  test('the default audience is not annotated (the webhook defaults to it)', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
      irsa: { audience: 'sts.amazonaws.com' },
    });

    // THEN
    expect(Object.keys(serviceAccountAnnotations(identity.primaryBinding))).toEqual(['eks.amazonaws.com/role-arn']);
  });

  test('stsRegionalEndpoints and tokenExpiration become annotations', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
      irsa: { stsRegionalEndpoints: true, tokenExpiration: Duration.hours(2) },
    });

    // THEN
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({
      'eks.amazonaws.com/role-arn': identity.primaryBinding.roleArn,
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
      'eks.amazonaws.com/token-expiration': '7200',
    });
  });

  test('a tokenExpiration under one hour is an error', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
      irsa: { tokenExpiration: Duration.minutes(30) },
    })).toThrow('Invalid IRSA tokenExpiration 1800 seconds: the EKS pod identity webhook requires at least 3600. Use Duration.hours(1) or more.');
  });

  test('an empty audience is an error', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, irsa: { audience: '' },
    })).toThrow(`Invalid IRSA audience '': it is empty. An OIDC audience (client id) has 1-255 characters, without whitespace, control characters, '*' or '\${'. Use the exact audience the tokens carry (the default is sts.amazonaws.com).`);
  });

  test('is the default on a cluster that is not EKS', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: selfManagedCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(identity.primaryBinding.mechanism).toBe(IdentityMechanism.IRSA);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.edge.example.com` },
          Condition: Match.objectEquals({
            StringEquals: { 'oidc.edge.example.com:sub': 'system:serviceaccount:analytics:reader', 'oidc.edge.example.com:aud': 'sts.amazonaws.com' },
          }),
        })],
      },
    });
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });
});

describe('BOTH', () => {
  test('trusts both mechanisms, creates the association and annotates the role ARN', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.BOTH,
    });

    // THEN
    const template = Template.fromStack(stack);
    const roleId = logicalIdOf(template, 'AWS::IAM::Role');
    expect(trustStatements(template, identity)).toEqual([
      irsaStatement(PROVIDER_ARN, 'system:serviceaccount:analytics:reader'),
      podIdentityStatement('analytics', 'reader'),
    ]);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', Match.objectEquals({
      ClusterName: 'campus', Namespace: 'analytics', ServiceAccount: 'reader', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    }));
    expect(identity.primaryBinding.mechanism).toBe(IdentityMechanism.BOTH);
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({ 'eks.amazonaws.com/role-arn': identity.primaryBinding.roleArn });
    expect(identity.primaryBinding.roleArn).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/TestReader[0-9A-F]{8}-eu-west-1$`));
  });
});

describe('several subjects (addSubject)', () => {
  test('Pod Identity: one statement per (namespace, ServiceAccount) pair, so no cross-combination is admitted', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Shared', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN
    const second = identity.addSubject({ cluster, namespace: 'reports', serviceAccountName: 'exporter' });

    // THEN: (analytics, exporter) and (reports, reader) match no statement
    const template = Template.fromStack(stack);
    expect(trustStatements(template, identity)).toEqual([
      podIdentityStatement('analytics', 'reader'),
      podIdentityStatement('reports', 'exporter'),
    ]);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'reports', ServiceAccount: 'exporter' });
    expect(second).toEqual(identity.bindings[1]);
    expect(identity.bindings.map(b => `${b.namespace}/${b.serviceAccountName}`)).toEqual(['analytics/reader', 'reports/exporter']);
  });

  test('Pod Identity on two clusters of one account: one statement lists both cluster ARNs; one add-on per cluster', () => {
    // GIVEN
    const stack = newStack();
    const campus = eksCluster(stack, 'Campus', 'campus');
    const lab = eksCluster(stack, 'Lab', 'lab');
    const identity = new WorkloadIdentity(stack, 'Shared', { cluster: campus, namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN
    identity.addSubject({ cluster: lab, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const template = Template.fromStack(stack);
    const labArn = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/lab`;
    expect(trustStatements(template, identity)).toEqual([
      podIdentityStatement('analytics', 'reader', [CLUSTER_ARN, labArn]),
    ]);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'campus', Namespace: 'analytics', ServiceAccount: 'reader' });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'lab', Namespace: 'analytics', ServiceAccount: 'reader' });
    template.resourceCountIs('AWS::EKS::Addon', 2);
    template.hasResourceProperties('AWS::EKS::Addon', { ClusterName: 'campus' });
    template.hasResourceProperties('AWS::EKS::Addon', { ClusterName: 'lab' });
    expect(identity.bindings.map(b => b.clusterName)).toEqual(['campus', 'lab']);
  });

  test('IRSA on two issuers: one statement per provider, each with only its own subject', () => {
    // GIVEN
    const stack = newStack();
    const campus = eksCluster(stack);
    const edge = selfManagedCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Shared', {
      cluster: campus, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    });

    // WHEN
    identity.addSubject({ cluster: edge, namespace: 'sensors', serviceAccountName: 'uploader' });

    // THEN each statement names its own issuer's provider
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(trustStatements(template, identity)).toEqual([
      irsaStatement(PROVIDER_ARN, 'system:serviceaccount:analytics:reader'),
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.edge.example.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'oidc.edge.example.com:sub': 'system:serviceaccount:sensors:uploader',
            'oidc.edge.example.com:aud': 'sts.amazonaws.com',
          },
        },
      },
    ]);
  });

  test('a per-subject mechanism: the binding handed out before a later IRSA subject already has the role ARN, and stays as it was', () => {
    // GIVEN
    const stack = newStack();
    const campus = eksCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Shared', { cluster: campus, namespace: 'analytics', serviceAccountName: 'reader' });
    const handedOut = identity.primaryBinding;
    const before = JSON.stringify(handedOut);

    // WHEN
    identity.addSubject({ cluster: selfManagedCluster(stack), namespace: 'sensors', serviceAccountName: 'uploader' });

    // THEN
    const [first, second] = identity.bindings;
    expect(first.mechanism).toBe(IdentityMechanism.POD_IDENTITY);
    expect(serviceAccountAnnotations(first)).toEqual({});
    expect(second.mechanism).toBe(IdentityMechanism.IRSA);
    expect(first.roleArn).toBe(second.roleArn);
    expect(first).toBe(handedOut);
    expect(JSON.stringify(identity.primaryBinding)).toBe(before);
    expect(serviceAccountAnnotations(second)).toEqual({ 'eks.amazonaws.com/role-arn': second.roleArn });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: second.roleArn!.split('/')[1] });
  });

  test('one OIDC provider per cluster this stack owns, however many identities use it', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack, 'Cluster', 'campus', { createOpenIdConnectProvider: true });

    // WHEN
    for (const name of ['reader', 'writer', 'admin']) {
      new WorkloadIdentity(stack, name, { cluster, namespace: 'analytics', serviceAccountName: name, mechanism: IdentityMechanism.IRSA });
    }

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.resourceCountIs('AWS::IAM::Role', 3);
    const providerId = logicalIdOf(template, 'AWS::IAM::OIDCProvider');
    template.allResourcesProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: { Ref: providerId } } })] },
    });
  });
});

describe('an existing role', () => {
  const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/existing-reader`;

  test('Pod Identity: no role is created, the association uses its ARN, and a warning lists the trust it needs', () => {
    // GIVEN
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', ROLE_ARN);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', role });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', Match.objectEquals({
      ClusterName: 'campus', Namespace: 'analytics', ServiceAccount: 'reader', RoleArn: ROLE_ARN,
    }));
    expect(identity.role).toBe(role);
    expect(identity.primaryBinding.roleArn).toBe(ROLE_ARN);
    Annotations.fromStack(stack).hasWarning('/Test/Reader', Match.stringLikeRegexp(
      '^The existing role is used as is: its trust policy must allow sts:AssumeRole and sts:TagSession from pods\\.eks\\.amazonaws\\.com ' +
      'with StringEquals aws:RequestTag/kubernetes-namespace = analytics, aws:RequestTag/kubernetes-service-account = reader ' +
      "and aws:RequestTag/eks-cluster-arn = the cluster's ARN\\. Without it the pods of that ServiceAccount get no credentials\\."));
  });

  test('IRSA: the binding carries its literal ARN and the warning names the exact sub and aud', () => {
    // GIVEN
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', ROLE_ARN);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', role, mechanism: IdentityMechanism.IRSA,
    });

    // THEN
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({ 'eks.amazonaws.com/role-arn': ROLE_ARN });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Reader', Match.stringLikeRegexp(
      "sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider with StringEquals " +
      `${ISSUER_KEY}:sub = system:serviceaccount:analytics:reader and ${ISSUER_KEY}:aud = sts\\.amazonaws\\.com`));
  });

  test('IRSA with a role whose ARN is a token is an error', () => {
    // GIVEN
    const stack = newStack();
    const role = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    const cluster = eksCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', role, mechanism: IdentityMechanism.IRSA,
    })).toThrow(
      "ServiceAccount 'analytics/reader' on cluster 'campus' uses IRSA, so it must carry the role ARN, but the given role's ARN is a token. " +
      "Pass a role with a literal ARN, e.g. iam.Role.fromRoleArn(this, 'Role', 'arn:aws:iam::123456789012:role/name').");
  });

  test('combined with roleName is an error', () => {
    // GIVEN
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', ROLE_ARN);
    const cluster = eksCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', role, roleName: 'reader', maxSessionDuration: Duration.hours(2),
    })).toThrow("WorkloadIdentity 'Test/Reader' takes an existing role, so roleName, maxSessionDuration cannot apply. Set them on that role instead.");
  });

  test('GIVEN iam.Role.customizeRoles WHEN the precreated role is passed THEN no role is created and the association uses it', () => {
    // GIVEN
    const stack = newStack();
    iam.Role.customizeRoles(stack);
    const role = iam.Role.fromRoleArn(stack, 'Precreated', ROLE_ARN);

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', role });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { RoleArn: ROLE_ARN, Namespace: 'analytics', ServiceAccount: 'reader' });
  });
});

describe('the created role is an iam.Role', () => {
  test('GIVEN an identity THEN its role is an iam.Role at the construct id Resource', () => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });
    expect(identity.role).toBeInstanceOf(iam.Role);
    expect(identity.node.findChild('Resource')).toBe(identity.role);
  });

  test('GIVEN grants over IAM\'s inline quota WHEN synthesized THEN iam.Role moves the overflow into a managed policy attached to the role', () => {
    // GIVEN
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN 160 statements of ~75 characters: ~12,000 characters, over the 10,240 a role's inline policies may have
    for (let i = 0; i < 160; i++) {
      identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::reports-${i}/*`] }));
    }

    // THEN
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(identity.role.node.defaultChild as iam.CfnRole);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: roleId }] });
    const inline = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .reduce((sum, p) => sum + JSON.stringify(p.Properties.PolicyDocument).length, 0);
    expect(inline).toBeLessThan(10_240);
    const all = [...Object.values<any>(template.findResources('AWS::IAM::Policy')), ...Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))]
      .flatMap(p => p.Properties.PolicyDocument.Statement).flatMap((st: any) => [st.Resource].flat());
    expect(new Set(all).size).toBe(160);
  });

  test('GIVEN PermissionsBoundary.of(scope) WHEN an identity is created below it THEN its role carries the boundary', () => {
    // GIVEN
    const stack = newStack();
    iam.PermissionsBoundary.of(stack).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'workload-boundary'));

    // WHEN
    new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:policy/workload-boundary`]] },
    });
  });

  test('GIVEN iam.Role.customizeRoles WHEN an identity creates its role THEN no role is synthesized, the report lists its trust and the binding names the precreated role', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
    iam.Role.customizeRoles(stack, { usePrecreatedRoles: { 'Test/Reader/Resource': 'precreated-reader' } });

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.BOTH,
    });
    identity.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] }));

    // THEN the role is not in the template; the association and the ServiceAccount use the precreated one
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/precreated-reader`]] },
    });
    expect(identity.primaryBinding.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/precreated-reader`);
    const report = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'iam-policy-report.json'), 'utf-8'));
    const role = report.roles.find((r: any) => r.roleConstructPath === 'Test/Reader/Resource');
    expect(role.roleName).toBe('precreated-reader');
    expect(role.missing).toBe(false);
    expect(role.assumeRolePolicy).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:analytics:reader', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } } }),
      expect.objectContaining({ Principal: { Service: 'pods.eks.amazonaws.com' }, Condition: podIdentityStatement('analytics', 'reader').Condition }),
    ]);
    expect(role.identityPolicyStatements).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }]);
  });

  test('GIVEN iam.Role.customizeRoles WHEN a subject is added after the role was created THEN a warning lists the trust the precreated role also needs', () => {
    // GIVEN
    const stack = newStack();
    iam.Role.customizeRoles(stack, { usePrecreatedRoles: { 'Test/Reader/Resource': 'precreated-reader' } });
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN
    identity.addSubject({ cluster: eksCluster(stack, 'Other', 'other'), namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('/Test/Reader', Match.stringLikeRegexp('existing role is used as is'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain(`aws:RequestTag/kubernetes-service-account = reader and aws:RequestTag/eks-cluster-arn = the cluster's ARN`);
  });
});

describe('IPrincipal', () => {
  test('GIVEN an identity as the principal of a bucket policy THEN the statement names its role', () => {
    // GIVEN
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });
    const bucket = new s3.Bucket(stack, 'Reports');

    // WHEN
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [identity], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));

    // THEN
    const roleId = stack.getLogicalId(identity.role.node.defaultChild as iam.CfnRole);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } }, Action: 's3:GetObject' })]) },
    });
    expect(identity.assumeRoleAction).toBe(identity.role.assumeRoleAction);
    expect(identity.principalAccount).toBe(ACCOUNT);
  });

  test('GIVEN addToPolicy THEN the statement lands in the role\'s policy', () => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });
    expect(identity.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }))).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] },
    });
  });
});

describe('IGrantable', () => {
  test('bucket.grantRead(identity) puts the statement into the created role\'s policy', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Reports');
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // WHEN
    bucket.grantRead(identity);

    // THEN
    const template = Template.fromStack(stack);
    const roleId = Stack.of(identity).getLogicalId(identity.role.node.defaultChild as iam.CfnRole);
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: Match.arrayWith(['s3:GetObject*', 's3:List*']),
          Resource: Match.arrayWith([{ 'Fn::GetAtt': [bucketId, 'Arn'] }]),
        })]),
      },
    });
    expect(identity.grantPrincipal).toBe(identity.role.grantPrincipal);
  });
});

describe('errors', () => {
  function attempt(namespace: string, serviceAccountName: string) {
    const stack = newStack();
    const cluster = eksCluster(stack);
    return () => new WorkloadIdentity(stack, 'Reader', { cluster, namespace, serviceAccountName });
  }
  const NAMESPACE_RULE = "a Kubernetes namespace must be an RFC 1123 label (1-63 lowercase letters, digits or '-', starting and ending with a letter or digit, no dots)";
  const SA_RULE = "it must be an RFC 1123 subdomain (1-253 lowercase letters, digits, '-' or '.', each dot-separated part starting and ending with a letter or digit)";

  test.each([
    ['Analytics', `Invalid namespace 'Analytics': ${NAMESPACE_RULE}. Rename it, for example 'analytics'.`],
    ['a'.repeat(64), `Invalid namespace '${'a'.repeat(64)}': ${NAMESPACE_RULE}; it has 64 characters. Rename it, for example '${'a'.repeat(63)}'.`],
    ['team.analytics', `Invalid namespace 'team.analytics': ${NAMESPACE_RULE}. Rename it, for example 'team-analytics'.`],
    ['analytics-', `Invalid namespace 'analytics-': ${NAMESPACE_RULE}. Rename it, for example 'analytics'.`],
    ['', `Invalid namespace '': ${NAMESPACE_RULE}; it is empty. Rename it, for example 'my-workload'.`],
  ])('namespace %j', (namespace, message) => {
    expect(attempt(namespace, 'reader')).toThrow(message);
  });

  test.each([
    ['Reader', `Invalid ServiceAccount name 'Reader': ${SA_RULE}. Rename it, for example 'reader'.`],
    ['reader-', `Invalid ServiceAccount name 'reader-': ${SA_RULE}. Rename it, for example 'reader'.`],
    ['', `Invalid ServiceAccount name '': ${SA_RULE}; it is empty. Rename it, for example 'my-workload'.`],
  ])('ServiceAccount name %j', (name, message) => {
    expect(attempt('analytics', name)).toThrow(message);
  });

  test('a ServiceAccount name with dots is valid (an RFC 1123 subdomain)', () => {
    expect(attempt('analytics', 'report.reader')).not.toThrow();
  });

  test('IRSA on a cluster with neither issuer nor provider', () => {
    // GIVEN
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    })).toThrow(
      "Cluster 'campus' has no OIDC issuer, so IRSA cannot be used on it. " +
      'Pass oidcIssuerUrl (aws eks describe-cluster --query cluster.identity.oidc.issuer) or openIdConnectProvider, ' +
      'or use IdentityMechanism.POD_IDENTITY on an EKS cluster.');
  });

  test.each([IdentityMechanism.POD_IDENTITY, IdentityMechanism.BOTH])('%s on a cluster that is not EKS', (mechanism) => {
    // GIVEN
    const stack = newStack();
    const cluster = selfManagedCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism })).toThrow(
      `ServiceAccount 'analytics/reader' on cluster 'edge' cannot use ${mechanism}: the cluster is NOT_EKS (self-managed, EKS Anywhere or another distribution), ` +
      "where EKS Pod Identity does not exist. Use IdentityMechanism.IRSA with the cluster's oidcIssuerUrl.");
  });

  test('the same ServiceAccount bound twice by one identity', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(() => identity.addSubject({ cluster, namespace: 'analytics', serviceAccountName: 'reader' })).toThrow(
      "ServiceAccount 'analytics/reader' on cluster 'campus' is bound twice by 'Test/Reader'. " +
      'A ServiceAccount carries one role: give each workload its own ServiceAccount, or grant both sets of permissions to one WorkloadIdentity.');
  });

  test('the same ServiceAccount bound by two identities', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Other', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    })).toThrow(
      "ServiceAccount 'analytics/reader' on cluster 'campus' is bound by both 'Test/Reader' and 'Test/Other'. " +
      'A ServiceAccount carries one role: give each workload its own ServiceAccount, or grant both sets of permissions to one WorkloadIdentity.');
  });

  test('GIVEN two stacks of one app WHEN both bind one ServiceAccount THEN it is refused: the app holds one hidden state construct', () => {
    // GIVEN
    const app = new App();
    const first = new Stack(app, 'First', { env: { account: ACCOUNT, region: REGION } });
    const second = new Stack(app, 'Second', { env: { account: ACCOUNT, region: REGION } });
    const owner = eksCluster(first);
    new WorkloadIdentity(first, 'Reader', { cluster: owner, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(() => new WorkloadIdentity(second, 'Reader', { cluster: eksCluster(second, 'Cluster', 'campus', { installPodIdentityAgent: undefined, owner }), namespace: 'analytics', serviceAccountName: 'reader' }))
      .toThrow("ServiceAccount 'analytics/reader' on cluster 'campus' is bound by both 'First/Reader' and 'Second/Reader'.");
    expect(app.node.children.filter(c => c.node.id.startsWith('cdk-eks-workload-identity.')).map(c => c.node.id)).toEqual(['cdk-eks-workload-identity.AppState']);
    expect(first.node.findAll().concat(second.node.findAll()).filter(c => c.node.id.includes('AppState'))).toEqual([]);
  });

  test('the same ServiceAccount name on another cluster or namespace is fine', () => {
    // GIVEN
    const stack = newStack();
    const campus = eksCluster(stack, 'Campus', 'campus');
    const lab = eksCluster(stack, 'Lab', 'lab');
    new WorkloadIdentity(stack, 'Reader', { cluster: campus, namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(() => new WorkloadIdentity(stack, 'LabReader', { cluster: lab, namespace: 'analytics', serviceAccountName: 'reader' })).not.toThrow();
    expect(() => new WorkloadIdentity(stack, 'OtherReader', { cluster: campus, namespace: 'reports', serviceAccountName: 'reader' })).not.toThrow();
  });

  test('a roleName longer than 64 characters', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    const roleName = 'r'.repeat(65);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', roleName })).toThrow(
      `Invalid role name '${roleName}': it has 65 characters, IAM allows 64. Choose a shorter roleName.`);
  });

  test('a roleName with characters IAM rejects', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', roleName: 'report/reader' })).toThrow(
      "Invalid role name 'report/reader': IAM allows only letters, digits and + = , . @ _ -. Choose another roleName.");
  });

  test('IRSA in an environment-agnostic stack', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Agnostic');
    const cluster = eksCluster(stack);

    // THEN
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
    })).toThrow(
      "ServiceAccount 'analytics/reader' on cluster 'campus' uses IRSA, so it must carry the role ARN, but stack 'Agnostic' is environment-agnostic, " +
      'so the role ARN is unknown at synth time. ' +
      "Set env: { account: '123456789012', region: 'eu-west-1' } on the stack, or pass an existing role whose ARN is literal (iam.Role.fromRoleArn).");
  });

  test('Pod Identity in an environment-agnostic stack is fine: the ServiceAccount needs no ARN', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Agnostic');

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });

    // THEN
    expect(identity.primaryBinding.roleArn).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
  });
});

describe('IRSA options that would make the role deny its own tokens', () => {
  test.each([
    ['${aws:username}', "contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared"],
    ['*', "contains '*', a wildcard"],
    ['sts.*.amazonaws.com', "contains '*', a wildcard"],
  ])('GIVEN audience %s WHEN declared THEN it is rejected, naming the value', (audience, why) => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, irsa: { audience },
    })).toThrow(`Invalid IRSA audience '${audience}': it ${why}. An OIDC audience (client id) has 1-255 characters, without whitespace, control characters, '*' or '\${'. Use the exact audience the tokens carry (the default is sts.amazonaws.com).`);
  });

  test('GIVEN a token expiration of a fraction of a second WHEN declared THEN the library says the annotation takes whole seconds', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA,
      irsa: { tokenExpiration: Duration.millis(3_600_500) },
    })).toThrow('Invalid IRSA tokenExpiration Duration.millis(3600500): the eks.amazonaws.com/token-expiration annotation takes whole seconds. Use e.g. Duration.hours(24).');
  });
});

describe('one ServiceAccount, one role: what counts as the same cluster', () => {
  test('GIVEN clusters of the same name in two accounts WHEN each binds payments/payment THEN both are accepted', () => {
    const app = new App();
    for (const account of ['111111111111', '222222222222']) {
      const stack = new Stack(app, `Campus${account}`, { env: { account, region: REGION } });
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });
      new WorkloadIdentity(stack, 'Payment', { cluster, namespace: 'payments', serviceAccountName: 'payment' });
    }
    expect(app.node.findAll().filter(c => c instanceof WorkloadIdentity)).toHaveLength(2);
  });

  test('GIVEN the same cluster declared by ARN in one stack and by name in another WHEN both bind payments/payment THEN the second is rejected', () => {
    const app = new App();
    const first = new Stack(app, 'First', { env: { account: ACCOUNT, region: REGION } });
    new WorkloadIdentity(first, 'Payment', {
      cluster: WorkloadCluster.fromClusterAttributes(first, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN }),
      namespace: 'payments', serviceAccountName: 'payment',
    });
    const second = new Stack(app, 'Second', { env: { account: ACCOUNT, region: REGION } });
    expect(() => new WorkloadIdentity(second, 'Payment', {
      cluster: WorkloadCluster.fromClusterAttributes(second, 'Cluster', { clusterName: 'campus' }),
      namespace: 'payments', serviceAccountName: 'payment',
    })).toThrow("ServiceAccount 'payments/payment' on cluster 'campus' is bound by both 'First/Payment' and 'Second/Payment'.");
  });
});
