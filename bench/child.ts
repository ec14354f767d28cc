// One measurement in a fresh process: builds and synthesizes one scenario
// once, then prints its figures as one JSON line. Started by bench/run.ts.
import * as path from 'path';
import { performance } from 'perf_hooks';
import type * as cdkTypes from 'aws-cdk-lib';
import type * as cdk8sTypes from 'cdk8s';
import type * as measureTypes from './measure';
import type * as scenariosTypes from './scenarios';
import type { Mechanism } from './scenarios/scenario';

// Loading the modules is a fixed cost, the same for every N: reported, not timed.
// Each approach loads only its own (see scenarios/index.ts).
const importStart = performance.now();
const cdk: typeof cdkTypes = require('aws-cdk-lib');
const cdk8s: typeof cdk8sTypes = require('cdk8s');
const { measureOutput }: typeof measureTypes = require('./measure');
const { loadScenario, SCENARIO_NAMES }: typeof scenariosTypes = require('./scenarios');
const [scenarioName, mechanism, nText, outdir] = process.argv.slice(2);
if (!SCENARIO_NAMES.includes(scenarioName) || !['pod-identity', 'irsa'].includes(mechanism) || !(Number(nText) > 0) || !outdir) {
  throw new Error(`Usage: child.ts <${SCENARIO_NAMES.join('|')}> <pod-identity|irsa> <N> <outdir>; got ${process.argv.slice(2).join(' ')}`);
}
const scenario = loadScenario(scenarioName);
const importMs = performance.now() - importStart;
const rssAfterImportKb = Math.round(process.memoryUsage().rss / 1024);

const n = Number(nText);

const start = performance.now();
const awsApp = new cdk.App({
  outdir: path.join(outdir, 'cdk.out'),
  // Pod Identity needs 3 resources per workload, so N=200 is over the
  // 500-resource stack limit for every approach: measured anyway, flagged in the table.
  context: { '@aws-cdk/core:stackResourceLimit': 0, ...JSON.parse(process.env.BENCH_CONTEXT ?? '{}') },
});
const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'k8s') });
scenario.build(n, mechanism as Mechanism, awsApp, k8sApp);
const built = performance.now();
awsApp.synth();
const awsSynthesized = performance.now();
k8sApp.synth();
const end = performance.now();
const maxRssKb = process.resourceUsage().maxRSS;

process.stdout.write(JSON.stringify({
  scenario: scenario.name,
  mechanism,
  n,
  importMs,
  constructMs: built - start,
  awsSynthMs: awsSynthesized - built,
  k8sSynthMs: end - awsSynthesized,
  totalMs: end - start,
  rssAfterImportKb,
  maxRssKb,
  validation: process.env.CDK_VALIDATION,
  ...measureOutput(path.join(outdir, 'cdk.out'), path.join(outdir, 'k8s')),
}) + '\n');
