import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, IWorkloadCluster, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, issuerOf, REGION } from '../../fixtures';

/**
 * The created role's trust policy with aws-cdk-lib's policy minimizer on and
 * off (`@aws-cdk/aws-iam:minimizePolicies`: on in cdk.json and in every app
 * `cdk init` writes, off in a bare `new App()`). The minimizer (aws-iam's
 * mergeStatements, read in aws-cdk-lib 2.276.0) merges two statements of one
 * document when they have the same effect, no Sid, the same
 * `JSON.stringify(conditions)` and two of actions, resources and principals
 * equal. The library keeps each statement's subject list and cluster-ARN list
 * in a Lazy, whose JSON is '<unresolved-lazy>': so its statements differ only
 * by their condition keys and literal values, and none merges into a
 * statement the user adds to the same trust. These tests pin the statements
 * either way, so a change to how the lists are held (literal values instead
 * of a Lazy, say) shows here first.
 */
const FLAG = '@aws-cdk/aws-iam:minimizePolicies';

function newApp(minimize: boolean): App {
  return new App({ context: { [FLAG]: minimize } });
}

function clusterNamed(stack: Stack, name: string): IWorkloadCluster {
  return WorkloadCluster.fromClusterAttributes(stack, name, {
    clusterName: name,
    clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`,
    oidcIssuerUrl: issuerOf(name),
  });
}

const arnOf = (name: string) => `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`;
const keyOf = (name: string) => issuerOf(name).replace('https://', '');
const providerOf = (name: string) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${keyOf(name)}`;
const POD_IDENTITY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];

/** The rendered trust statements of the identity's role, through the whole synth (the minimizer runs as the document resolves). */
function trustStatements(stack: Stack): any[] {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  const [role] = Object.values(roles) as any[];
  return role.Properties.AssumeRolePolicyDocument.Statement;
}

function irsaStatement(cluster: string, subjects: string | string[], principal: unknown = { Federated: providerOf(cluster) }): unknown {
  return {
    Effect: 'Allow',
    Action: 'sts:AssumeRoleWithWebIdentity',
    Principal: principal,
    Condition: { StringEquals: { [`${keyOf(cluster)}:sub`]: subjects, [`${keyOf(cluster)}:aud`]: 'sts.amazonaws.com' } },
  };
}

function podIdentityStatement(clusterArns: string | string[], namespace: string, serviceAccountName: string): unknown {
  return {
    Effect: 'Allow',
    Action: POD_IDENTITY_ACTIONS,
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Condition: {
      StringEquals: {
        'aws:SourceAccount': ACCOUNT,
        'aws:RequestTag/eks-cluster-arn': clusterArns,
        'aws:RequestTag/kubernetes-namespace': namespace,
        'aws:RequestTag/kubernetes-service-account': serviceAccountName,
      },
    },
  };
}

describe.each([true, false])('trust statements with the policy minimizer %s', (minimize) => {
  test('IRSA, two subjects on each of two clusters: one statement per issuer listing its subjects', () => {
    // GIVEN
    const stack = new Stack(newApp(minimize), 'Irsa', { env: { account: ACCOUNT, region: REGION } });
    const [blue, green] = [clusterNamed(stack, 'blue'), clusterNamed(stack, 'green')];

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Api', { cluster: blue, mechanism: IdentityMechanism.IRSA, namespace: 'shop', serviceAccountName: 'api' });
    identity.addSubject({ cluster: green, namespace: 'shop', serviceAccountName: 'api' });
    identity.addSubject({ cluster: blue, namespace: 'shop', serviceAccountName: 'worker' });
    identity.addSubject({ cluster: green, namespace: 'jobs', serviceAccountName: 'api' });

    // THEN
    expect(trustStatements(stack)).toEqual([
      irsaStatement('blue', ['system:serviceaccount:shop:api', 'system:serviceaccount:shop:worker']),
      irsaStatement('green', ['system:serviceaccount:shop:api', 'system:serviceaccount:jobs:api']),
    ]);
  });

  test('IRSA, one subject per cluster: each statement names its subject as a single value, and neither merges into the other', () => {
    // GIVEN
    const stack = new Stack(newApp(minimize), 'Irsa', { env: { account: ACCOUNT, region: REGION } });
    const [blue, green] = [clusterNamed(stack, 'blue'), clusterNamed(stack, 'green')];

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Api', { cluster: blue, mechanism: IdentityMechanism.IRSA, namespace: 'shop', serviceAccountName: 'api' });
    identity.addSubject({ cluster: green, namespace: 'shop', serviceAccountName: 'api' });

    // THEN
    expect(trustStatements(stack)).toEqual([
      irsaStatement('blue', 'system:serviceaccount:shop:api'),
      irsaStatement('green', 'system:serviceaccount:shop:api'),
    ]);
  });

  test('Pod Identity, two ServiceAccounts on each of two clusters: one statement per ServiceAccount listing both clusters', () => {
    // GIVEN
    const stack = new Stack(newApp(minimize), 'PodIdentity', { env: { account: ACCOUNT, region: REGION } });
    const [blue, green] = [clusterNamed(stack, 'blue'), clusterNamed(stack, 'green')];

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Api', { cluster: blue, mechanism: IdentityMechanism.POD_IDENTITY, namespace: 'shop', serviceAccountName: 'api' });
    identity.addSubject({ cluster: green, namespace: 'shop', serviceAccountName: 'api' });
    identity.addSubject({ cluster: blue, namespace: 'shop', serviceAccountName: 'worker' });
    identity.addSubject({ cluster: green, namespace: 'shop', serviceAccountName: 'worker' });

    // THEN
    expect(trustStatements(stack)).toEqual([
      podIdentityStatement([arnOf('blue'), arnOf('green')], 'shop', 'api'),
      podIdentityStatement([arnOf('blue'), arnOf('green')], 'shop', 'worker'),
    ]);
  });

  test('Pod Identity, one cluster per ServiceAccount: each statement names its cluster as a single value', () => {
    // GIVEN
    const stack = new Stack(newApp(minimize), 'PodIdentity', { env: { account: ACCOUNT, region: REGION } });
    const [blue, green] = [clusterNamed(stack, 'blue'), clusterNamed(stack, 'green')];

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Api', { cluster: blue, mechanism: IdentityMechanism.POD_IDENTITY, namespace: 'shop', serviceAccountName: 'api' });
    identity.addSubject({ cluster: green, namespace: 'shop', serviceAccountName: 'worker' });

    // THEN
    expect(trustStatements(stack)).toEqual([
      podIdentityStatement(arnOf('blue'), 'shop', 'api'),
      podIdentityStatement(arnOf('green'), 'shop', 'worker'),
    ]);
  });

  test('IRSA: a statement the user adds to the trust with the same conditions and action stays a statement of its own', () => {
    // GIVEN
    const stack = new Stack(newApp(minimize), 'Irsa', { env: { account: ACCOUNT, region: REGION } });
    const blue = clusterNamed(stack, 'blue');
    const identity = new WorkloadIdentity(stack, 'Api', { cluster: blue, mechanism: IdentityMechanism.IRSA, namespace: 'shop', serviceAccountName: 'api' });
    const mirror = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com`;

    // WHEN
    (identity.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [new iam.FederatedPrincipal(mirror)],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: { StringEquals: { [`${keyOf('blue')}:sub`]: 'system:serviceaccount:shop:api', [`${keyOf('blue')}:aud`]: 'sts.amazonaws.com' } },
    }));

    // THEN: literal subject values would make both conditions look equal to the minimizer, which would merge the principals into one statement.
    expect(trustStatements(stack)).toEqual([
      irsaStatement('blue', 'system:serviceaccount:shop:api'),
      irsaStatement('blue', 'system:serviceaccount:shop:api', { Federated: mirror }),
    ]);
  });

  test('Pod Identity: a statement the user adds to the trust with the same conditions and actions stays a statement of its own', () => {
    // GIVEN
    const stack = new Stack(newApp(minimize), 'PodIdentity', { env: { account: ACCOUNT, region: REGION } });
    const blue = clusterNamed(stack, 'blue');
    const identity = new WorkloadIdentity(stack, 'Api', { cluster: blue, mechanism: IdentityMechanism.POD_IDENTITY, namespace: 'shop', serviceAccountName: 'api' });
    const other = `arn:aws:iam::${ACCOUNT}:role/broker`;

    // WHEN
    (identity.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(other)],
      actions: POD_IDENTITY_ACTIONS,
      conditions: (podIdentityStatement(arnOf('blue'), 'shop', 'api') as any).Condition,
    }));

    // THEN: literal cluster ARNs would make both conditions look equal to the minimizer, which would merge the principals into one statement.
    expect(trustStatements(stack)).toEqual([
      podIdentityStatement(arnOf('blue'), 'shop', 'api'),
      { ...(podIdentityStatement(arnOf('blue'), 'shop', 'api') as any), Principal: { AWS: other } },
    ]);
  });
});
