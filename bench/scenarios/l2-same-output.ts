import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AUDIENCE, clusterApp, clustersFor, ENV, MANAGED_BY, Mechanism, READ_ACTIONS, Scenario, STACK_BUDGET, workload } from './scenario';

/** The annotation the library puts on every object it renders for a cluster (its value: the cluster's name). */
const CLUSTER_ANNOTATION = 'cdk-eks-workload-identity/cluster';

/**
 * `l2-reference` written so that it synthesizes the library's output exactly:
 * the same templates byte for byte (but for the CDK metadata resource, which
 * names the construct classes used) and the same manifest files. Each workload
 * gets a scope construct holding its `iam.Role` ('Resource') and association,
 * as a careful user who wraps a workload in a construct writes it; roles are
 * named as the library names them (`Names.uniqueResourceName` with the
 * region); the stacks are grouped as `WorkloadStacks` groups them (same paths,
 * same 400 resources each), and depend on the platform stack for Pod Identity
 * (the agent add-on first); the cluster-wide pieces sit in a scope per
 * cluster. On the Kubernetes side, one cdk8s app per cluster: a chart of the
 * workloads' Namespaces, then the ServiceAccounts' chart, both annotated
 * with the cluster. Still without the library's checks and guardrails.
 * `bench/test/scenario-outputs.test.ts` keeps it equal to `library`.
 * `BENCH_SCENARIOS=l2-same-output`.
 */
export const l2SameOutput: Scenario = {
  name: 'l2-same-output',
  mechanisms: ['pod-identity', 'irsa'],
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App) {
    const irsa = mechanism === 'irsa';
    const platform = new cdk.Stack(awsApp, 'Platform', { env: ENV });
    const clusters = clustersFor(n).map(c => {
      const scope = new Construct(platform, c.name);
      const app = clusterApp(k8sApp, c.name);
      const namespaces = new cdk8s.Chart(app, 'workload-namespaces');
      const chart = new cdk8s.Chart(app, 'service-accounts');
      chart.addDependency(namespaces);
      return {
        ...c,
        chart,
        namespaces,
        declaredNamespaces: new Set<string>(),
        provider: irsa ? new iam.OidcProviderNative(scope, 'OidcProvider', { url: c.issuer, clientIds: [AUDIENCE] }) : undefined,
        agent: irsa ? undefined : new eks.CfnAddon(scope, 'PodIdentityAgent', { clusterName: c.name, addonName: 'eks-pod-identity-agent' }),
      };
    });
    const group = new Construct(awsApp, 'Workloads');
    const perStack = Math.floor(STACK_BUDGET / (irsa ? 2 : 3));
    let stack = platform;
    for (let i = 0; i < n; i++) {
      if (i % perStack === 0) {
        stack = new cdk.Stack(group, `Stack${i / perStack + 1}`, { env: ENV });
        if (!irsa) { stack.addStackDependency(platform, 'the eks-pod-identity-agent add-on of the cluster'); }
      }
      const w = workload(i, clusters.length);
      const c = clusters[w.cluster];
      const scope = new Construct(stack, w.id);
      const suffix = `-${ENV.region}`;
      // The library's deterministic name: unique in the app, region-suffixed (IAM names are per account).
      const roleName = `${cdk.Names.uniqueResourceName(scope, { maxLength: 64 - suffix.length })}${suffix}`;
      const role = new iam.Role(scope, 'Resource', {
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
        new eks.CfnPodIdentityAssociation(scope, 'PodIdentityAssociation', {
          clusterName: c.name,
          namespace: w.namespace,
          serviceAccount: w.serviceAccountName,
          roleArn: role.roleArn,
        });
      }

      const annotations = { [CLUSTER_ANNOTATION]: c.name };
      if (!c.declaredNamespaces.has(w.namespace)) {
        c.declaredNamespaces.add(w.namespace);
        new kplus.Namespace(c.namespaces, w.namespace, { metadata: { name: w.namespace, annotations } });
      }
      new kplus.ServiceAccount(c.chart, `${w.namespace}-${w.serviceAccountName}`, {
        metadata: {
          name: w.serviceAccountName,
          namespace: w.namespace,
          labels: MANAGED_BY,
          annotations: irsa ? { ...annotations, 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ENV.account}:role/${roleName}` } : annotations,
        },
        automountToken: false,
      });
    }
  },
};
