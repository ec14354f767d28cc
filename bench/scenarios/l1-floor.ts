import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { AUDIENCE, CLUSTER_ARN, CLUSTER_NAME, ENV, ISSUER, ISSUER_KEY, Mechanism, READ_ACTIONS, Scenario, workload } from './scenario';

/**
 * The floor: the same roles, trust policies, policies, associations, OIDC
 * provider, agent add-on and ServiceAccounts, written as bare L1 resources and
 * plain cdk8s ApiObjects, each a direct child of its stack or chart. Nothing
 * can synthesize these workloads with less work.
 */
export const l1Floor: Scenario = {
  name: 'l1-floor',
  build: (n, mechanism, awsApp, k8sApp) => buildL1(n, mechanism, awsApp, k8sApp, false),
};

/**
 * The same L1s at the construct paths the library gives them (one construct
 * per workload, the role and its policy below it, the ApiObject below a
 * wrapper), so the same logical ids: what any construct library's layout costs,
 * with nothing else added (CDK hashes every nested path into its logical id).
 */
export const l1Nested: Scenario = {
  name: 'l1-nested',
  build: (n, mechanism, awsApp, k8sApp) => buildL1(n, mechanism, awsApp, k8sApp, true),
};

function buildL1(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App, nested: boolean): void {
  const stack = new cdk.Stack(awsApp, 'Bench', { env: ENV });
  const chart = new cdk8s.Chart(k8sApp, 'bench');
  const provider = mechanism === 'irsa'
    ? new iam.CfnOIDCProvider(stack, 'OidcProvider', { url: ISSUER, clientIdList: [AUDIENCE] })
    : undefined;
  const agent = mechanism === 'pod-identity'
    ? new eks.CfnAddon(stack, 'PodIdentityAgent', { clusterName: CLUSTER_NAME, addonName: 'eks-pod-identity-agent' })
    : undefined;

  for (let i = 0; i < n; i++) {
    const w = workload(i);
    const roleName = provider ? `Bench${w.id}` : undefined;
    const workloadScope = nested ? new Construct(stack, w.id) : stack;
    const roleScope = nested ? new Construct(workloadScope, 'Resource') : stack;
    const role = new iam.CfnRole(roleScope, nested ? 'Resource' : w.id, {
      roleName,
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [provider ? {
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${ISSUER_KEY}:sub`]: `system:serviceaccount:${w.namespace}:${w.serviceAccountName}`,
              [`${ISSUER_KEY}:aud`]: AUDIENCE,
            },
          },
          Effect: 'Allow',
          Principal: { Federated: provider.ref },
        } : {
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': ENV.account,
              'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
              'aws:RequestTag/kubernetes-namespace': w.namespace,
              'aws:RequestTag/kubernetes-service-account': w.serviceAccountName,
            },
          },
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
        }],
      },
    });
    new iam.CfnPolicy(nested ? new Construct(roleScope, 'DefaultPolicy') : stack, nested ? 'Resource' : `${w.id}Policy`, {
      policyName: `${w.id}Policy`,
      roles: [role.ref],
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Action: READ_ACTIONS,
          Effect: 'Allow',
          Resource: [w.bucketArn, `${w.bucketArn}/*`],
        }],
      },
    });
    if (agent) {
      new eks.CfnPodIdentityAssociation(workloadScope, nested ? 'PodIdentityAssociation' : `${w.id}PodIdentityAssociation`, {
        clusterName: CLUSTER_NAME,
        namespace: w.namespace,
        serviceAccount: w.serviceAccountName,
        roleArn: role.attrArn,
      }).addResourceDependency(agent);
    }

    const objectId = `${w.namespace}-${w.serviceAccountName}`;
    new cdk8s.ApiObject(nested ? new Construct(chart, objectId) : chart, nested ? 'Resource' : objectId, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: w.serviceAccountName,
        namespace: w.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cdk-eks-workload-identity' },
        ...(roleName ? { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ENV.account}:role/${roleName}` } } : {}),
      },
      automountServiceAccountToken: false,
    } as cdk8s.ApiObjectProps);
  }
}
