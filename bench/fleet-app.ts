// The fleet (bench/scenarios/fleet.ts) as one measured process: N workloads
// on three clusters, placed by WorkloadStacks. Started by bench/run.ts.
//
// Usage: node fleet-app.js <N> <outdir> <figures.json>
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { buildFleet } from './scenarios/fleet';

const [nText, outdir, figuresFile] = process.argv.slice(2);
const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'k8s') });
buildFleet(Number(nText), awsApp, k8sApp);
awsApp.synth();
k8sApp.synth();
fs.writeFileSync(figuresFile, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
