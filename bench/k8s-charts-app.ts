// The Kubernetes guardrails' scaling case as one measured process: a cdk8s
// app of one cluster with N WorkloadServiceAccounts (with their guardrails
// and namespaces chart) spread over C charts, as a GitOps repository with one
// chart per team has them. cdk8s validates the whole app once per chart it
// renders, so anything the guardrails do per validation is paid C + 1 times:
// the same N in 30 charts should cost about what they cost in one.
// Started by bench/run.ts.
//
// Usage: node k8s-charts-app.js <N> <charts> <outdir> <figures.json>
import * as fs from 'fs';
import * as cdk8s from 'cdk8s';
import { IdentityMechanism } from '../lib/core';
import { WorkloadServiceAccount } from '../lib/k8s';
import { ENV } from './scenarios/scenario';

const [nText, chartsText, outdir, figuresFile] = process.argv.slice(2);
const n = Number(nText);
const chartCount = Number(chartsText);
const app = new cdk8s.App({ outdir });
const charts = Array.from({ length: chartCount }, (_, k) => new cdk8s.Chart(app, `team-${k}`));
for (let i = 0; i < n; i++) {
  const irsa = i % 2 === 0;
  const namespace = `team-${i % 10}`;
  const serviceAccountName = `workload-${i}`;
  new WorkloadServiceAccount(charts[i % chartCount], serviceAccountName, {
    binding: {
      clusterName: 'bench',
      clusterArn: `arn:aws:eks:${ENV.region}:${ENV.account}:cluster/bench`,
      namespace,
      serviceAccountName,
      // Half IRSA (a role ARN annotation the guardrails check is backed), half Pod Identity.
      mechanism: irsa ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY,
      roleArn: `arn:aws:iam::${ENV.account}:role/bench-${i}`,
    },
  });
}
app.synth();
const cpu = process.cpuUsage();
fs.writeFileSync(figuresFile, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }));
