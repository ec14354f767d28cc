import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Aws } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';

/** The identity mechanism a run measures. */
export type Mechanism = 'pod-identity' | 'irsa';

/** One way of giving N workloads their AWS identity and ServiceAccount. */
export interface Scenario {
  /** Short name, used on the command line and in the table. */
  readonly name: string;
  /** The mechanisms it is measured with (a scenario that exists for one mechanism lists one). */
  readonly mechanisms: Mechanism[];
  /**
   * Declares N workloads into the two apps, in stacks CloudFormation accepts.
   * Everything the approach needs (cluster references, OIDC providers, agent
   * add-ons, kubectl provider) is declared here too, so it is part of the
   * measured process.
   */
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App): void;
}

const clusterApps = new WeakMap<cdk8s.App, Map<string, cdk8s.App>>();

/**
 * The cdk8s app of one cluster, writing `<k8sApp's outdir>/<cluster>/`: the
 * library renders one cluster per cdk8s app (one folder per cluster).
 */
export function clusterApp(k8sApp: cdk8s.App, clusterName: string): cdk8s.App {
  const apps = clusterApps.get(k8sApp) ?? new Map<string, cdk8s.App>();
  clusterApps.set(k8sApp, apps);
  let app = apps.get(clusterName);
  if (!app) {
    app = new cdk8s.App({ outdir: path.join(k8sApp.outdir, clusterName) });
    apps.set(clusterName, app);
  }
  return app;
}

/** The cluster apps made from `k8sApp` by clusterApp, to synthesize with it. */
export function clusterAppsOf(k8sApp: cdk8s.App): cdk8s.App[] {
  return [...(clusterApps.get(k8sApp)?.values() ?? [])];
}

// Placeholders: nothing is deployed.
export const ENV = { account: '123456789012', region: 'eu-west-1' };
export const AUDIENCE = 'sts.amazonaws.com';
/** Resources per stack, as WorkloadStacks' default: the rest of the 500 is the user's. */
export const STACK_BUDGET = 400;
/** EKS accepts 5,000 pod identity associations per cluster: larger runs use three clusters, for every approach. */
export const MAX_WORKLOADS_PER_CLUSTER = 4000;

/** One cluster the workloads run on. */
export interface BenchCluster {
  readonly name: string;
  readonly arn: string;
  readonly issuer: string;
  /** The issuer without https://: the prefix of the IRSA condition keys. */
  readonly issuerKey: string;
}

/** The clusters N workloads are spread over: one, or three when one would pass the association quota. */
export function clustersFor(n: number): BenchCluster[] {
  const count = n > MAX_WORKLOADS_PER_CLUSTER ? 3 : 1;
  return Array.from({ length: count }, (_, k) => {
    const name = k === 0 ? 'bench' : `bench-${k}`;
    const issuer = `https://oidc.eks.${ENV.region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPL${k}`;
    return { name, arn: `arn:aws:eks:${ENV.region}:${ENV.account}:cluster/${name}`, issuer, issuerKey: issuer.replace(/^https:\/\//, '') };
  });
}

/** The i-th workload: its cluster (round robin), namespace (ten teams), ServiceAccount and the one bucket it reads. */
export function workload(i: number, clusterCount = 1): { id: string; cluster: number; namespace: string; serviceAccountName: string; bucketArn: string } {
  return {
    id: `Workload${i}`,
    cluster: i % clusterCount,
    namespace: `team-${i % 10}`,
    serviceAccountName: `workload-${i}`,
    // What s3.Bucket.fromBucketName(...).bucketArn renders, without the import construct.
    bucketArn: `arn:${Aws.PARTITION}:s3:::bench-data-${i}`,
  };
}

/** The grant every approach gives each workload: what bucket.grantRead(...) writes, as one statement. */
export const READ_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*'];

/** The label every approach puts on its ServiceAccounts. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cdk-eks-workload-identity' };
