/**
 * Every error a construct throws names it (`WorkloadIdentityErrors.constructPathOf`),
 * whether the bad value was checked by the construct itself or by a shared
 * validator of the core that knows no construct: a factory such as
 * `WorkloadCluster.fromClusterAttributes`, a constructor, or a method of it.
 */
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ExternalSecretsIdentity, IdentityMechanism, MigrationPhase, SecretsStoreCsiProviderIdentity, ServiceAccountIssuer, ServiceAccountSigningKey,
  WorkloadCluster, WorkloadIdentity, WorkloadIdentityErrors, WorkloadIdentityGuardrails,
} from '../../lib';
import { ACCOUNT, REGION, eksCluster, newStack } from '../fixtures';
import { rsaKeyPair } from '../issuer-fixtures';

/** The library error `create` throws: its message and the construct it names. */
function errorOf(create: () => unknown): { message: string; constructPath?: string } {
  try {
    create();
  } catch (e) {
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(e)).toBe(true);
    return { message: (e as Error).message, constructPath: WorkloadIdentityErrors.constructPathOf(e) };
  }
  throw new Error('expected an error');
}

const NAME_RULE = "A cluster name has 1-100 characters: letters, digits, '-' and '_', starting with a letter or digit " +
  '(the EKS CreateCluster rule, which also applies to the label of a cluster that is not EKS). ' +
  'Pass the name exactly as `aws eks list-clusters` prints it, or for a cluster that is not EKS a label by that rule';

describe('cluster handles: the values the core checks name the handle', () => {
  test.each([
    ['a bad cluster name', (stack: any) => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus dr' }),
      `Invalid cluster name 'campus dr': it contains whitespace (U+0020). ${NAME_RULE}, e.g. 'campus-dr'.`],
    ['no cluster name', (stack: any) => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {} as any),
      'The cluster name is missing (got undefined). Pass the name exactly as `aws eks list-clusters` prints it, or for a cluster that is not EKS a label by that rule.'],
    ['a bad cluster ARN', (stack: any) => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: `arn:aws:eks:${REGION}:12:cluster/campus` }),
      `Invalid EKS cluster ARN 'arn:aws:eks:${REGION}:12:cluster/campus': its account '12' has 2 digits; an AWS account id has exactly 12. ` +
      'An EKS cluster ARN is arn:<partition>:eks:<region>:<12-digit account>:cluster/<cluster name>, without wildcards. ' +
      'Copy it from `aws eks describe-cluster --name <name> --query cluster.arn`, or leave clusterArn out to build it from the stack.'],
    ['a bad issuer', (stack: any) => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', oidcIssuerUrl: 'https://oidc.example.com/id/*' }),
      "Invalid OIDC issuer URL 'https://oidc.example.com/id/*': it contains '*', a wildcard. Pass the issuer exactly as " +
      '`aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.'],
    ['an imported aws-eks-v2 cluster with a bad name', (stack: any) => WorkloadCluster.fromEksV2Cluster(stack, 'Cluster', eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus dr' })),
      `Invalid cluster name 'campus dr': it contains whitespace (U+0020). ${NAME_RULE}, e.g. 'campus-dr'.`],
    ['an imported aws-eks cluster with a bad name', (stack: any) => WorkloadCluster.fromEksCluster(stack, 'Cluster', eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus dr' })),
      `Invalid cluster name 'campus dr': it contains whitespace (U+0020). ${NAME_RULE}, e.g. 'campus-dr'.`],
  ])('GIVEN %s WHEN the handle is made THEN the error names it', (_what, create, message) => {
    const stack = newStack();
    expect(errorOf(() => create(stack))).toEqual({ message, constructPath: 'Test/Cluster' });
  });

  test('GIVEN a handle inside a construct WHEN its name is bad THEN the error names its full path', () => {
    const stack = newStack();
    const platform = new iam.Role(stack, 'Platform', { assumedBy: new iam.AccountRootPrincipal() });
    expect(errorOf(() => WorkloadCluster.fromClusterAttributes(platform, 'Cluster', { clusterName: 'campus/dr' })).constructPath).toBe('Test/Platform/Cluster');
  });
});

test('GIVEN a ServiceAccountIssuer with an http:// issuer WHEN declared THEN the error names the issuer', () => {
  const stack = newStack();
  expect(errorOf(() => new ServiceAccountIssuer(stack, 'Issuer', {
    clusterName: 'lab',
    issuerUrl: 'http://oidc.example.com/clusters/lab',
    signingKeys: [ServiceAccountSigningKey.fromPem(rsaKeyPair().publicPem)],
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`),
  }))).toEqual({
    message: "Invalid OIDC issuer URL 'http://oidc.example.com/clusters/lab': it must start with 'https://'. Pass the issuer exactly as " +
      '`aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.',
    constructPath: 'Test/Issuer',
  });
});

test('GIVEN an acknowledgement of a rule that does not exist WHEN made THEN the error names the construct acknowledged', () => {
  const stack = newStack();
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
  expect(errorOf(() => WorkloadIdentityGuardrails.acknowledge(role, 'WI-AWS-99', 'no such rule'))).toEqual({
    message: `Cannot acknowledge 'WI-AWS-99' at 'Test/Role': no such guardrail on this side. Use one of ${Array.from({ length: 15 }, (_, i) => `WI-AWS-${i + 1}`).join(', ')}.`,
    constructPath: 'Test/Role',
  });
});

describe('WorkloadIdentity: the values the core checks name the identity', () => {
  const NAMESPACE_RULE = "Invalid namespace 'Analytics': a Kubernetes namespace must be an RFC 1123 label";
  test.each([
    ['a bad namespace', { namespace: 'Analytics' }, NAMESPACE_RULE],
    ['a bad ServiceAccount name', { serviceAccountName: 'reader_1' }, "Invalid ServiceAccount name 'reader_1'"],
    ['a bad IRSA audience', { mechanism: IdentityMechanism.IRSA, irsa: { audience: 'my api' } }, "Invalid IRSA audience 'my api': it contains whitespace (U+0020)."],
    ['no cluster', { cluster: undefined as any }, "The cluster of WorkloadIdentity 'Test/Reader' is missing (got undefined). " +
      'Pass a cluster from WorkloadCluster.fromClusterAttributes, fromEksV2Cluster or fromEksCluster.'],
    ['a migration phase that does not exist', { migration: { to: IdentityMechanism.POD_IDENTITY, phase: 'HALFWAY' as MigrationPhase } },
      "Invalid migration of the ServiceAccount 'analytics/reader' on cluster 'campus': phase \"HALFWAY\" must be one of PREPARED, SWITCHED, FINISHED."],
  ])('GIVEN %s WHEN the identity is declared THEN the error names it', (_what, props, message) => {
    const stack = newStack();
    const error = errorOf(() => new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', ...props }));
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.constructPath).toBe('Test/Reader');
  });

  test('GIVEN no props WHEN the identity is declared THEN the error names it', () => {
    expect(errorOf(() => new WorkloadIdentity(newStack(), 'Reader', undefined as any))).toEqual({
      message: "WorkloadIdentity 'Test/Reader' props is missing (got undefined). Pass { cluster, namespace, serviceAccountName }.",
      constructPath: 'Test/Reader',
    });
  });

  test('GIVEN an existing role whose ARN is a wildcard WHEN bound by IRSA THEN the error names the identity', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${ACCOUNT}:role/*`);
    const error = errorOf(() => new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, role }));
    expect(error.message.startsWith(`Invalid roleArn of the binding for 'analytics/reader' on cluster 'campus' 'arn:aws:iam::${ACCOUNT}:role/*': it contains '*', a wildcard.`)).toBe(true);
    expect(error.constructPath).toBe('Test/Reader');
  });

  test.each([
    ['a bad namespace', (cluster: any) => ({ cluster, namespace: 'Analytics', serviceAccountName: 'reader' }), NAMESPACE_RULE],
    ['no subject', () => undefined, "The cluster of WorkloadIdentity 'Test/Reader' is missing (got undefined)."],
  ])('GIVEN %s WHEN addSubject is called THEN the error names the identity', (_what, subject, message) => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader' });
    const error = errorOf(() => identity.addSubject(subject(eksCluster(stack, 'Other', 'other')) as any));
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.constructPath).toBe('Test/Reader');
  });
});

describe('catalog entries name themselves, before and after their identity exists', () => {
  test('GIVEN SecretsStoreCsiProviderIdentity without the application\'s ServiceAccount WHEN declared THEN the error names the entry', () => {
    const stack = newStack();
    expect(errorOf(() => new SecretsStoreCsiProviderIdentity(stack, 'Provider', { cluster: eksCluster(stack) }))).toEqual({
      message: "SecretsStoreCsiProviderIdentity 'Test/Provider' needs namespace and serviceAccountName: the provider fetches secrets as the pod that mounts them, " +
        'so they are the application\'s ServiceAccount, which has no default.',
      constructPath: 'Test/Provider',
    });
  });

  test('GIVEN ExternalSecretsIdentity that reads nothing WHEN declared THEN the error names the entry', () => {
    const stack = newStack();
    expect(errorOf(() => new ExternalSecretsIdentity(stack, 'ExternalSecrets', { cluster: eksCluster(stack) }))).toEqual({
      message: "ExternalSecretsIdentity 'Test/ExternalSecrets' reads nothing: pass secrets (SecretScope) or parameters (ParameterScope).",
      constructPath: 'Test/ExternalSecrets',
    });
  });

  test('GIVEN an entry with a bad namespace WHEN declared THEN the error names the entry\'s identity', () => {
    const stack = newStack();
    expect(errorOf(() => new ExternalSecretsIdentity(stack, 'ExternalSecrets', { cluster: eksCluster(stack), namespace: 'External_Secrets' })).constructPath)
      .toBe('Test/ExternalSecrets/Identity');
  });
});
