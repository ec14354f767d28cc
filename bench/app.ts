// One measured process, as a user runs `cdk synth` (the CLI runs the app as
// a child process): load the modules, build the app, synthesize both sides,
// exit. Started by bench/run.ts as plain `node` on the compiled JavaScript
// (bench/build.ts), so no TypeScript compiler is in the figures. The
// figures go to a file, so nothing is printed that a user's app would not.
//
// Usage: node app.js <scenario> <pod-identity|irsa> <N> <outdir> <figures.json>
import { performance } from 'perf_hooks';
const started = performance.now(); // since the process started: Node's own start-up

import * as fs from 'fs';
import * as path from 'path';
import type * as cdkTypes from 'aws-cdk-lib';
import type * as cdk8sTypes from 'cdk8s';
import type * as scenariosTypes from './scenarios';
import type * as scenarioTypes from './scenarios/scenario';

const [scenarioName, mechanism, nText, outdir, figuresFile] = process.argv.slice(2);
const cdk: typeof cdkTypes = require('aws-cdk-lib');
const cdk8s: typeof cdk8sTypes = require('cdk8s');
const { loadScenario }: typeof scenariosTypes = require('./scenarios');
const { clusterAppsOf }: typeof scenarioTypes = require('./scenarios/scenario');
const scenario = loadScenario(scenarioName);
const loaded = performance.now();

const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'k8s') });
scenario.build(Number(nText), mechanism as 'pod-identity' | 'irsa', awsApp, k8sApp);
const built = performance.now();
awsApp.synth();
const awsSynthesized = performance.now();
k8sApp.synth();
clusterAppsOf(k8sApp).forEach(app => app.synth());
const end = performance.now();

const cpu = process.cpuUsage();
fs.writeFileSync(figuresFile, JSON.stringify({
  // User and system CPU of the whole process so far (every thread): less
  // sensitive than wall time to other work on a shared machine.
  cpuMs: (cpu.user + cpu.system) / 1000,
  startupMs: started,
  loadMs: loaded - started,
  constructMs: built - loaded,
  awsSynthMs: awsSynthesized - built,
  k8sSynthMs: end - awsSynthesized,
  maxRssKb: process.resourceUsage().maxRSS,
}));
