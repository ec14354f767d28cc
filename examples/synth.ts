import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { WorkloadOutputs } from '../lib';
import { ExampleOutput } from './example-output';
import { Example } from './index';

/**
 * Builds the examples into `awsApp` and one cdk8s app per cluster, then
 * synthesizes them as bin/synth.ts does: the templates first (a validation or
 * guardrail error throws there, before any YAML or bindings file is written),
 * then every cluster's manifests to `<distDir>/<example>/<cluster>/` and the
 * bindings files, all or nothing.
 */
export function synthExamples(awsApp: cdk.App, examples: Example[], distDir: string): void {
  const outputs = examples.map(example => {
    const output = new ExampleOutput(path.join(distDir, example.name), outdir => new cdk8s.App({ outdir }));
    example.build(awsApp, output);
    return output;
  });
  awsApp.synth();
  WorkloadOutputs.synth({
    apps: outputs.flatMap(o => o.apps),
    bindingsFiles: outputs.flatMap(o => o.bindingsFiles),
    issuerFiles: outputs.flatMap(o => o.issuerFiles),
    helmValues: outputs.flatMap(o => o.helmValues),
  });
}
