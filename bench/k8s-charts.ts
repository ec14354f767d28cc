// The charts case of the benchmark (bench/k8s-charts-app.ts runs it as one
// measured process; test/bench/k8s-charts.test.ts checks that its approaches
// write the same objects).
//
// A cdk8s app of one cluster with N ServiceAccounts spread over C charts, as a
// GitOps repository with one chart per team has them. cdk8s validates the
// whole app and resolves its dependencies once per chart it renders, so
// anything done per validation is paid C + 1 times: the same N in 30 charts
// should cost about what they cost in one.
//
// - `library`: WorkloadServiceAccounts (with their guardrails and namespaces chart);
// - the same ServiceAccounts and Namespaces written by hand with cdk8s-plus
//   (no library), which show what cdk8s itself costs per chart, as any app pays it:
//   - `kplus`: the same objects, the Namespaces in a chart of their own created
//     first, no dependency between charts (so cdk8s names the files without
//     their `0000-` index);
//   - `kplus-same-output`: the same files as `library` byte for byte, each
//     chart ordered after the Namespaces chart with `chart.addDependency`, as
//     cdk8s documents it (cdk8s then fans that dependency out to one per pair
//     of objects, in every pass).
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism } from '../lib/core';
import { WorkloadServiceAccount } from '../lib/k8s';
import { ENV } from './scenarios/scenario';

/** The approaches of the charts case, the library first. */
export const CHARTS_APPROACHES = ['library', 'kplus', 'kplus-same-output'];

/** The workloads of the case: half IRSA (a role ARN annotation the guardrails check is backed), half Pod Identity, in ten namespaces. */
function workload(i: number) {
  return {
    irsa: i % 2 === 0,
    namespace: `team-${i % 10}`,
    serviceAccountName: `workload-${i}`,
    roleArn: `arn:aws:iam::${ENV.account}:role/bench-${i}`,
  };
}

/** The cdk8s app of the charts case for `approach`, built, not synthesized. */
export function chartsApp(approach: string, n: number, chartCount: number, outdir: string): cdk8s.App {
  if (!CHARTS_APPROACHES.includes(approach)) { throw new Error(`Unknown approach '${approach}': one of ${CHARTS_APPROACHES.join(', ')}.`); }
  const app = new cdk8s.App({ outdir });
  // Created first, as the library creates its namespaces chart on the first ServiceAccount (before that one's chart renders).
  const namespaces = approach === 'library' ? undefined : new cdk8s.Chart(app, 'workload-namespaces');
  const charts = Array.from({ length: chartCount }, (_, k) => new cdk8s.Chart(app, `team-${k}`));
  if (namespaces) {
    byHand(n, charts, namespaces, approach === 'kplus-same-output');
  } else {
    library(n, charts);
  }
  return app;
}

function library(n: number, charts: cdk8s.Chart[]): void {
  for (let i = 0; i < n; i++) {
    const w = workload(i);
    new WorkloadServiceAccount(charts[i % charts.length], w.serviceAccountName, {
      binding: {
        clusterName: 'bench',
        clusterArn: `arn:aws:eks:${ENV.region}:${ENV.account}:cluster/bench`,
        namespace: w.namespace,
        serviceAccountName: w.serviceAccountName,
        mechanism: w.irsa ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY,
        roleArn: w.roleArn,
      },
    });
  }
}

/** The library's objects written by hand: its Namespaces (in the chart it names `workload-namespaces`) and ServiceAccounts. */
function byHand(n: number, charts: cdk8s.Chart[], namespaces: cdk8s.Chart, dependOnNamespaces: boolean): void {
  const annotations = { 'cdk-eks-workload-identity/cluster': 'bench' };
  for (let i = 0; i < n; i++) {
    const w = workload(i);
    if (!namespaces.node.tryFindChild(w.namespace)) {
      new kplus.Namespace(namespaces, w.namespace, { metadata: { name: w.namespace, annotations } });
    }
    new kplus.ServiceAccount(charts[i % charts.length], w.serviceAccountName, {
      metadata: {
        name: w.serviceAccountName,
        namespace: w.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cdk-eks-workload-identity' },
        annotations: { ...annotations, ...w.irsa ? { 'eks.amazonaws.com/role-arn': w.roleArn } : {} },
      },
      automountToken: false,
    });
  }
  if (dependOnNamespaces) { charts.forEach(chart => chart.addDependency(namespaces)); }
}
