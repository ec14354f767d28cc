import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { EXAMPLES } from '../../examples';

/** A synthesized CloudFormation template, by stack name. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: any;
}

/** One example, synthesized the way `npx cdk synth` does it. */
export interface SynthesizedExample {
  readonly name: string;
  readonly stacks: SynthesizedStack[];
  /** Every Kubernetes object of the example's charts, in order. */
  readonly manifests: any[];
  /** The YAML of each chart, by chart id. */
  readonly yaml: { [chart: string]: string };
}

/**
 * Synthesizes every example in-process with the context of cdk.json, so
 * tests see exactly what `npx cdk synth` writes.
 */
export function synthesizeExamples(): SynthesizedExample[] {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8'));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
  const awsApp = new cdk.App({ context: cdkJson.context, outdir: path.join(outdir, 'cdk.out') });
  const built = EXAMPLES.map(example => {
    const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'dist', example.name) });
    const before = new Set(awsApp.node.children.map(c => c.node.id));
    example.build(awsApp, k8sApp);
    const stackNames = awsApp.node.children.filter(c => cdk.Stack.isStack(c) && !before.has(c.node.id)).map(c => (c as cdk.Stack).stackName);
    return { example, k8sApp, stackNames };
  });
  const assembly = awsApp.synth();
  return built.map(({ example, k8sApp, stackNames }) => {
    const yaml: { [chart: string]: string } = {};
    const manifests: any[] = [];
    for (const chart of k8sApp.charts) {
      const objects = chart.toJson();
      manifests.push(...objects);
      yaml[chart.node.id] = cdk8s.Yaml.stringify(...objects);
    }
    return {
      name: example.name,
      stacks: stackNames.map(stackName => ({ stackName, template: assembly.getStackByName(stackName).template })),
      manifests,
      yaml,
    };
  });
}
