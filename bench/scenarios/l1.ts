import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { AUDIENCE, clustersFor, ENV, MANAGED_BY, Mechanism, READ_ACTIONS, Scenario, STACK_BUDGET, workload } from './scenario';

/**
 * The floor: the library's output written by hand as bare L1 resources and
 * plain cdk8s ApiObjects, each a direct child of its stack or chart: the
 * same roles (named, as the library names them),
 * trust conditions, policies, associations, OIDC providers and agent add-ons
 * (in a platform stack, referenced across stacks) and ServiceAccounts. The
 * stacks are filled by arithmetic, to the same 400 resources per stack.
 */
export const l1: Scenario = {
  name: 'l1',
  mechanisms: ['pod-identity', 'irsa'],
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App) {
    const irsa = mechanism === 'irsa';
    const platform = new cdk.Stack(awsApp, 'Platform', { env: ENV });
    const clusters = clustersFor(n).map(c => ({
      ...c,
      chart: new cdk8s.Chart(k8sApp, c.name),
      provider: irsa ? new iam.CfnOIDCProvider(platform, `${c.name}OidcProvider`, { url: c.issuer, clientIdList: [AUDIENCE] }) : undefined,
      agent: irsa ? undefined : new eks.CfnAddon(platform, `${c.name}PodIdentityAgent`, { clusterName: c.name, addonName: 'eks-pod-identity-agent' }),
    }));
    // Role and policy, plus the association for Pod Identity.
    const perStack = Math.floor(STACK_BUDGET / (irsa ? 2 : 3));
    let stack = platform;
    for (let i = 0; i < n; i++) {
      if (i % perStack === 0) { stack = new cdk.Stack(awsApp, `Workloads${i / perStack + 1}`, { env: ENV }); }
      const w = workload(i, clusters.length);
      const c = clusters[w.cluster];
      // Named, as the library names its roles, so the ARN is known to the ServiceAccount.
      const roleName = `${stack.stackName}${w.id}`;
      const role = new iam.CfnRole(stack, w.id, {
        roleName,
        assumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [c.provider ? {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${c.issuerKey}:sub`]: `system:serviceaccount:${w.namespace}:${w.serviceAccountName}`,
                [`${c.issuerKey}:aud`]: AUDIENCE,
              },
            },
            Effect: 'Allow',
            Principal: { Federated: c.provider.ref },
          } : {
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: {
              StringEquals: {
                'aws:SourceAccount': ENV.account,
                'aws:RequestTag/eks-cluster-arn': c.arn,
                'aws:RequestTag/kubernetes-namespace': w.namespace,
                'aws:RequestTag/kubernetes-service-account': w.serviceAccountName,
              },
            },
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
          }],
        },
      });
      new iam.CfnPolicy(stack, `${w.id}Policy`, {
        policyName: `${w.id}Policy`,
        roles: [role.ref],
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: READ_ACTIONS, Effect: 'Allow', Resource: [w.bucketArn, `${w.bucketArn}/*`] }],
        },
      });
      if (!irsa) {
        new eks.CfnPodIdentityAssociation(stack, `${w.id}PodIdentityAssociation`, {
          clusterName: c.name,
          namespace: w.namespace,
          serviceAccount: w.serviceAccountName,
          roleArn: role.attrArn,
        });
      }

      new cdk8s.ApiObject(c.chart, `${w.namespace}-${w.serviceAccountName}`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: w.serviceAccountName,
          namespace: w.namespace,
          labels: MANAGED_BY,
          ...(irsa ? { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ENV.account}:role/${roleName}` } } : {}),
        },
        automountServiceAccountToken: false,
      } as cdk8s.ApiObjectProps);
    }
  },
};
