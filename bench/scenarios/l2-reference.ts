import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AUDIENCE, clustersFor, ENV, MANAGED_BY, Mechanism, READ_ACTIONS, Scenario, STACK_BUDGET, workload } from './scenario';

/**
 * Not run by default: the same output written by hand with aws-cdk-lib's and
 * cdk8s-plus's L2s (iam.Role with its DefaultPolicy, OidcProviderNative,
 * kplus.ServiceAccount), without the library's checks and guardrails: what
 * a careful user would write without the library. `BENCH_SCENARIOS=l2-reference`.
 */
export const l2Reference: Scenario = {
  name: 'l2-reference',
  mechanisms: ['pod-identity', 'irsa'],
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App) {
    const irsa = mechanism === 'irsa';
    const platform = new cdk.Stack(awsApp, 'Platform', { env: ENV });
    const clusters = clustersFor(n).map(c => ({
      ...c,
      chart: new cdk8s.Chart(k8sApp, c.name),
      provider: irsa ? new iam.OidcProviderNative(platform, `${c.name}OidcProvider`, { url: c.issuer, clientIds: [AUDIENCE] }) : undefined,
      agent: irsa ? undefined : new eks.CfnAddon(platform, `${c.name}PodIdentityAgent`, { clusterName: c.name, addonName: 'eks-pod-identity-agent' }),
    }));
    const perStack = Math.floor(STACK_BUDGET / (irsa ? 2 : 3));
    let stack = platform;
    for (let i = 0; i < n; i++) {
      if (i % perStack === 0) { stack = new cdk.Stack(awsApp, `Workloads${i / perStack + 1}`, { env: ENV }); }
      const w = workload(i, clusters.length);
      const c = clusters[w.cluster];
      // Named, as the library names its roles, so the ARN is known to the ServiceAccount.
      const roleName = `${stack.stackName}${w.id}`;
      const role = new iam.Role(stack, w.id, {
        roleName,
        assumedBy: c.provider
          ? new iam.OpenIdConnectPrincipal(c.provider, {
            StringEquals: {
              [`${c.issuerKey}:sub`]: `system:serviceaccount:${w.namespace}:${w.serviceAccountName}`,
              [`${c.issuerKey}:aud`]: AUDIENCE,
            },
          })
          : new iam.ServicePrincipal('pods.eks.amazonaws.com', {
            conditions: {
              StringEquals: {
                'aws:SourceAccount': ENV.account,
                'aws:RequestTag/eks-cluster-arn': c.arn,
                'aws:RequestTag/kubernetes-namespace': w.namespace,
                'aws:RequestTag/kubernetes-service-account': w.serviceAccountName,
              },
            },
          }).withSessionTags(),
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [w.bucketArn, `${w.bucketArn}/*`] }));
      if (!irsa) {
        new eks.CfnPodIdentityAssociation(stack, `${w.id}PodIdentityAssociation`, {
          clusterName: c.name,
          namespace: w.namespace,
          serviceAccount: w.serviceAccountName,
          roleArn: role.roleArn,
        });
      }

      new kplus.ServiceAccount(c.chart, `${w.namespace}-${w.serviceAccountName}`, {
        metadata: {
          name: w.serviceAccountName,
          namespace: w.namespace,
          labels: MANAGED_BY,
          ...(irsa ? { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ENV.account}:role/${roleName}` } } : {}),
        },
        automountToken: false,
      });
    }
  },
};
