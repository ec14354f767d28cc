// The fleet (bench/scenarios/fleet.ts) as one measured process: N workloads
// on three clusters, placed by WorkloadStacks. Started by bench/run.ts.
//
// Usage: node fleet-app.js <N> <outdir> <figures.json>
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { WorkloadOutputs } from '../lib';
import { buildFleet } from './scenarios/fleet';

const [nText, outdir, figuresFile] = process.argv.slice(2);
const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
const { k8sApps } = buildFleet(Number(nText), awsApp, path.join(outdir, 'k8s'));
awsApp.synth();
WorkloadOutputs.synth({ apps: k8sApps });
fs.writeFileSync(figuresFile, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
