import * as fs from 'fs';
import { EXAMPLES } from '../../examples';
import { DeploymentEnv } from '../verify/cfn-resolver';
import { synthesizeExamples as synthesizeApp } from '../verify/synthesized-app';

/** A synthesized CloudFormation template, by stack name. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: any;
  /** Where the stack is imagined deployed, to resolve its template with the proof's own resolver (test/verify/cfn-intrinsics.ts). */
  readonly env: DeploymentEnv;
}

/** One example, synthesized the way `npx cdk synth` does it. */
export interface SynthesizedExample {
  readonly name: string;
  readonly stacks: SynthesizedStack[];
  /** Every Kubernetes object of the example's charts, in order. */
  readonly manifests: any[];
  /** The YAML of each file, by '<cluster>/<file name without extension>', as written to dist/<example>/. */
  readonly yaml: { [chart: string]: string };
}

/**
 * Every example, synthesized once with the CLI's context (the same helper
 * `npm run verify` uses), grouped by example.
 */
export function synthesizeExamples(): SynthesizedExample[] {
  const app = synthesizeApp();
  try {
    return EXAMPLES.map(({ name }) => {
      const charts = app.manifests.filter(m => m.example === name);
      return {
        name,
        stacks: app.stacks.filter(s => s.example === name).map(s => ({ stackName: s.stackName, template: s.template, env: s.resolved.env })),
        manifests: charts.flatMap(m => m.objects),
        yaml: Object.fromEntries(charts.map(m => [`${m.cluster}/${m.chart}`, fs.readFileSync(m.file, 'utf-8')])),
      };
    });
  } finally {
    app.dispose();
  }
}
