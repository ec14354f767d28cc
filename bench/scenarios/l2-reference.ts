import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AUDIENCE, CLUSTER_ARN, CLUSTER_NAME, ENV, ISSUER, ISSUER_KEY, Mechanism, READ_ACTIONS, Scenario, workload } from './scenario';

/**
 * Not one of the three approaches: the same output written by hand with
 * aws-cdk-lib's and cdk8s-plus's L2s (iam.Role with its DefaultPolicy,
 * kplus.ServiceAccount), without the library's checks and guardrails: what
 * a careful user would write without the library.
 */
export const l2Reference: Scenario = {
  name: 'l2-reference',
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App) {
    const stack = new cdk.Stack(awsApp, 'Bench', { env: ENV });
    const chart = new cdk8s.Chart(k8sApp, 'bench');
    const provider = mechanism === 'irsa'
      ? new iam.OidcProviderNative(stack, 'OidcProvider', { url: ISSUER, clientIds: [AUDIENCE] })
      : undefined;
    const agent = mechanism === 'pod-identity'
      ? new eks.CfnAddon(stack, 'PodIdentityAgent', { clusterName: CLUSTER_NAME, addonName: 'eks-pod-identity-agent' })
      : undefined;

    for (let i = 0; i < n; i++) {
      const w = workload(i);
      const roleName = provider ? `Bench${w.id}` : undefined;
      const role = new iam.Role(stack, w.id, {
        roleName,
        assumedBy: provider
          ? new iam.OpenIdConnectPrincipal(provider, {
            StringEquals: {
              [`${ISSUER_KEY}:sub`]: `system:serviceaccount:${w.namespace}:${w.serviceAccountName}`,
              [`${ISSUER_KEY}:aud`]: AUDIENCE,
            },
          })
          : new iam.ServicePrincipal('pods.eks.amazonaws.com', {
            conditions: {
              StringEquals: {
                'aws:SourceAccount': ENV.account,
                'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
                'aws:RequestTag/kubernetes-namespace': w.namespace,
                'aws:RequestTag/kubernetes-service-account': w.serviceAccountName,
              },
            },
          }).withSessionTags(),
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
      if (agent) {
        new eks.CfnPodIdentityAssociation(stack, `${w.id}PodIdentityAssociation`, {
          clusterName: CLUSTER_NAME,
          namespace: w.namespace,
          serviceAccount: w.serviceAccountName,
          roleArn: role.roleArn,
        }).node.addDependency(agent);
      }

      new kplus.ServiceAccount(chart, `${w.namespace}-${w.serviceAccountName}`, {
        metadata: {
          name: w.serviceAccountName,
          namespace: w.namespace,
          labels: { 'app.kubernetes.io/managed-by': 'cdk-eks-workload-identity' },
          ...(roleName ? { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ENV.account}:role/${roleName}` } } : {}),
        },
        automountToken: false,
      });
    }
  },
};
