/**
 * Issue 10 §2 through the public constructors: each hostile value that used
 * to reach a trust policy, an ARN or a manifest is refused at synth with the
 * library's error naming the value and the rule (the rules themselves are
 * tested in test/core/validation).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER, REGION, eksCluster, newStack } from '../fixtures';

const NAME_RULE = "A cluster name has 1-100 characters: letters, digits, '-' and '_', starting with a letter or digit " +
  '(the EKS CreateCluster rule, which also applies to the label of a cluster that is not EKS). ' +
  'Pass the name exactly as `aws eks list-clusters` prints it, or for a cluster that is not EKS a label by that rule';
const ARN_SHAPE = 'An EKS cluster ARN is arn:<partition>:eks:<region>:<12-digit account>:cluster/<cluster name>, without wildcards. ' +
  'Copy it from `aws eks describe-cluster --name <name> --query cluster.arn`, or leave clusterArn out to build it from the stack.';
const ISSUER_FIX = 'Pass the issuer exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, ' +
  'e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.';
const AUDIENCE_RULE = "An OIDC audience (client id) has 1-255 characters, without whitespace, control characters, '*' or '${'. " +
  'Use the exact audience the tokens carry (the default is sts.amazonaws.com).';
const POLICY_VARIABLE = "contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared";

describe('cluster names', () => {
  test.each([
    ['whitespace', 'campus dr', 'contains whitespace (U+0020)', 'campus-dr'],
    ['a wildcard', 'campus*', "contains '*', a wildcard", 'campus-'],
    ['a slash', 'team/campus', "contains '/'", 'team-campus'],
    ['a colon', 'team:campus', "contains ':'", 'team-campus'],
    ['non-ASCII', 'campüs', 'contains the non-ASCII character U+00FC', 'camp-s', 'camp\\u00FCs'],
    ['300 characters', 'c'.repeat(300), 'has 300 characters', 'c'.repeat(100), `${'c'.repeat(160)}…`],
    ['an IAM policy variable', '${aws:PrincipalTag/eks-cluster-name}', POLICY_VARIABLE, 'aws-PrincipalTag-eks-cluster-name-'],
  ])('GIVEN an EKS cluster name with %s WHEN the cluster is declared THEN it is refused before it reaches the trust policy',
    (_what, clusterName, why, suggestion, shown = clusterName) => {
      const stack = newStack();
      expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName, oidcIssuerUrl: ISSUER }))
        .toThrow(`Invalid cluster name '${shown}': it ${why}. ${NAME_RULE}, e.g. '${suggestion}'.`);
    });

  test.each([
    ['whitespace', 'edge 1', 'contains whitespace (U+0020)'],
    ['a slash', '../edge', "starts with '.'"],
    ['an IAM policy variable', 'edge-${aws:username}', POLICY_VARIABLE],
  ])('GIVEN a NOT_EKS label with %s WHEN the cluster is declared THEN the same rule refuses it', (_what, clusterName, why) => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName, kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com',
    })).toThrow(`Invalid cluster name '${clusterName}': it ${why}. ${NAME_RULE}`);
  });

  test('GIVEN an imported aws-eks-v2 cluster with a space in its name WHEN adapted THEN it is refused', () => {
    const stack = newStack();
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus dr' });
    expect(() => WorkloadCluster.fromEksV2Cluster(stack, 'Cluster', imported))
      .toThrow(`Invalid cluster name 'campus dr': it contains whitespace (U+0020). ${NAME_RULE}, e.g. 'campus-dr'.`);
  });

  test('GIVEN a cluster name at the limit of 100 characters WHEN declared THEN it reaches the trust policy unchanged', () => {
    const stack = newStack();
    const clusterName = `c${'-'.repeat(98)}c`;
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack, 'Cluster', clusterName), namespace: 'a', serviceAccountName: 'b' });
    expect(identity.primaryBinding.clusterName).toBe(clusterName);
  });
});

describe('cluster ARNs and accounts', () => {
  test.each([
    ['a wildcard name', `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/*`, "its cluster name '*' contains '*', a wildcard"],
    ['a wildcard region', `arn:aws:eks:*:${ACCOUNT}:cluster/campus`, "its region '*' contains '*', a wildcard"],
    ['a two-digit account', `arn:aws:eks:${REGION}:12:cluster/campus`, "its account '12' has 2 digits; an AWS account id has exactly 12"],
  ])('GIVEN a clusterArn with %s WHEN declared THEN it is refused before it reaches aws:SourceAccount and the session tag condition', (_what, clusterArn, why) => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn }))
      .toThrow(`Invalid EKS cluster ARN '${clusterArn}': ${why}. ${ARN_SHAPE}`);
  });

  test('GIVEN a stack whose account has two digits WHEN the cluster ARN is built from it THEN it is refused', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '12', region: REGION } });
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' }))
      // The partition stays a token (CloudFormation resolves it); the literal account is still checked.
      .toThrow(new RegExp(`^Invalid EKS cluster ARN 'arn:\\$\\{Token\\[AWS\\.Partition\\.\\d+\\]\\}:eks:${REGION}:12:cluster/campus': ` +
        "its account '12' has 2 digits; an AWS account id has exactly 12\\. "));
  });

  test('GIVEN a stack whose account has two digits WHEN an IRSA role ARN is built from it THEN the stack\'s account is named', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '12', region: REGION } });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, oidcIssuerUrl: ISSUER });
    expect(() => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'a', serviceAccountName: 'b', mechanism: IdentityMechanism.IRSA }))
      .toThrow("Invalid account of stack 'Test' '12': it has 2 digits; an AWS account id has exactly 12. " +
        "Set the stack's env.account to the 12-digit id of the account it deploys to.");
  });

  test('GIVEN an environment-agnostic stack WHEN the cluster ARN is built from it THEN the token ARN is accepted', () => {
    const stack = new Stack(new App(), 'Test');
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' })).not.toThrow();
  });
});

describe('OIDC issuers and providers', () => {
  const HOST = 'https://oidc.example.com';
  test.each([
    ['a wildcard', `${HOST}/id/*`, "it contains '*', a wildcard"],
    ['an IAM policy variable', `${HOST}/\${aws:username}`, `it ${POLICY_VARIABLE}`],
    ['a control character', `${HOST}/id\u0000`, 'it contains the control character U+0000', `${HOST}/id\\u0000`],
    ['non-ASCII', `${HOST}/ïd`, 'it contains the non-ASCII character U+00EF', `${HOST}/\\u00EFd`],
    ['300 characters', `${HOST}/${'a'.repeat(300 - HOST.length - 1)}`, 'it has 300 characters; IAM registers OIDC provider URLs of at most 255',
      `${HOST}/${'a'.repeat(160 - HOST.length - 1)}…`],
  ])('GIVEN an issuer with %s WHEN declared THEN the library refuses it, naming it', (_what, oidcIssuerUrl, why, shown = oidcIssuerUrl) => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', oidcIssuerUrl }))
      .toThrow(`Invalid OIDC issuer URL '${shown}': ${why}. ${ISSUER_FIX}`);
  });

  test('GIVEN an over-long issuer on an aws-eks-v2 adapter WHEN declared THEN the error is the library\'s, not aws-cdk-lib\'s unnamed one', () => {
    const stack = newStack();
    const imported = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'campus' });
    const oidcIssuerUrl = `${HOST}/${'a'.repeat(256 - HOST.length - 1)}`;
    expect(() => WorkloadCluster.fromEksV2Cluster(stack, 'Cluster', imported, { oidcIssuerUrl }))
      .toThrow('it has 256 characters; IAM registers OIDC provider URLs of at most 255.');
  });

  test('GIVEN an imported provider ARN with a wildcard WHEN declared THEN it is refused before it becomes the Federated principal', () => {
    const stack = newStack();
    const openIdConnectProvider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Provider', `arn:aws:iam::${ACCOUNT}:oidc-provider/*`);
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', openIdConnectProvider }))
      .toThrow(`Invalid OIDC provider ARN 'arn:aws:iam::${ACCOUNT}:oidc-provider/*': it contains '*', a wildcard.`);
  });
});

describe('IRSA audiences', () => {
  test.each([
    ['a trailing space', 'sts.amazonaws.com ', 'contains whitespace (U+0020)', 'sts.amazonaws.com '],
    ['a newline', 'sts.amazonaws.com\nx', 'contains the control character U+000A', 'sts.amazonaws.com\\u000Ax'],
    ['a space inside', 'my api', 'contains whitespace (U+0020)', 'my api'],
  ])('GIVEN an audience with %s WHEN declared THEN it is refused before it reaches the aud condition and the annotation', (_what, audience, why, shown) => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, irsa: { audience },
    })).toThrow(`Invalid IRSA audience '${shown}': it ${why}. ${AUDIENCE_RULE}`);
  });
});

describe('existing roles', () => {
  test('GIVEN an existing role whose ARN is a wildcard WHEN bound by IRSA THEN the role ARN rule refuses it before the annotation', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${ACCOUNT}:role/*`);
    expect(() => new WorkloadIdentity(stack, 'Reader', {
      cluster: eksCluster(stack), namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, role,
    })).toThrow(`Invalid roleArn of the binding for 'analytics/reader' on cluster 'campus' 'arn:aws:iam::${ACCOUNT}:role/*': it contains '*', a wildcard.`);
  });
});

describe('undefined where a value is required (JavaScript and other jsii languages)', () => {
  test('GIVEN no props WHEN a WorkloadIdentity is declared THEN the library says so, not a TypeError', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Reader', undefined as any))
      .toThrow("WorkloadIdentity 'Test/Reader' props is missing (got undefined). Pass { cluster, namespace, serviceAccountName }.");
  });

  test.each([[undefined], [null]])('GIVEN the cluster %s WHEN a WorkloadIdentity is declared THEN the library says so', (cluster) => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Reader', { cluster: cluster as any, namespace: 'a', serviceAccountName: 'b' }))
      .toThrow(`The cluster of WorkloadIdentity 'Test/Reader' is missing (got ${cluster}). ` +
        'Pass a cluster from WorkloadCluster.fromClusterAttributes, fromEksV2Cluster or fromEksCluster.');
  });

  test('GIVEN no subject WHEN addSubject is called THEN the library says so', () => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Reader', { cluster: eksCluster(stack), namespace: 'a', serviceAccountName: 'b' });
    expect(() => identity.addSubject(undefined as any)).toThrow("The cluster of WorkloadIdentity 'Test/Reader' is missing (got undefined).");
  });

  test('GIVEN no attrs WHEN fromClusterAttributes is called THEN the library says so', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', undefined as any))
      .toThrow("WorkloadCluster 'Test/Cluster' attrs is missing (got undefined). Pass { clusterName, ... }.");
  });

  test('GIVEN attrs without clusterName WHEN fromClusterAttributes is called THEN the library says so', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterArn: CLUSTER_ARN } as any))
      .toThrow('The cluster name is missing (got undefined).');
  });

  test('GIVEN a kind that is not a ClusterKind WHEN fromClusterAttributes is called THEN the library names the known ones', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus', kind: 'EKS_ANYWHERE' as ClusterKind }))
      .toThrow("Invalid kind of WorkloadCluster 'Test/Cluster' \"EKS_ANYWHERE\": it must be one of EKS, EKS_AUTO_MODE, NOT_EKS.");
  });

  test('GIVEN no cluster WHEN fromEksV2Cluster is called THEN the library says so', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromEksV2Cluster(stack, 'Cluster', undefined as any))
      .toThrow("WorkloadCluster 'Test/Cluster' cluster is missing (got undefined). Pass an aws-eks-v2 or aws-eks cluster.");
  });
});
