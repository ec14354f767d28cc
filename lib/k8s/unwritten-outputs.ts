/**
 * A cdk8s app the program built but never wrote is reported when the process
 * exits. Forgetting `WorkloadOutputs.synth` (or the cdk8s app's `synth()`)
 * otherwise passes unnoticed: `cdk synth` writes the templates, exits 0, and
 * the cluster's folder keeps the previous run's YAML, or none.
 *
 * Only when the CDK CLI runs the program (it sets CDK_OUTDIR for the app it
 * starts, as aws-cdk-lib's own autoSynth reads it): a test or a script that
 * builds apps to inspect them is not a run that should write. One listener
 * per process, shared (Symbol.for) by every copy of the library in it.
 */

const TRACKER = Symbol.for('cdk-eks-workload-identity.unwrittenOutputs');

/** A cdk8s app that should be written in this run. */
export interface ExpectedOutput {
  /** The app, as the report names it (its outdir). */
  readonly describe: () => string;
  /** Whether it was rendered (synthesized, by WorkloadOutputs.synth or its own synth()). */
  readonly written: () => boolean;
}

interface Tracker {
  readonly expected: ExpectedOutput[];
}

/** Expects `output` to be written before the process exits, when the CDK CLI runs it. */
export function expectWritten(output: ExpectedOutput): void {
  if (process.env.CDK_OUTDIR === undefined) { return; }
  const g = globalThis as any;
  let tracker: Tracker | undefined = g[TRACKER];
  if (!tracker) {
    const created: Tracker = { expected: [] };
    tracker = created;
    g[TRACKER] = created;
    process.once('exit', code => reportUnwritten(created, code));
  }
  tracker.expected.push(output);
}

/** Writes the error and fails the run, if the run would otherwise succeed with an app unwritten. */
export function reportUnwritten(tracker: Tracker, code: number): void {
  // A run that already fails says why itself.
  if (code !== 0) { return; }
  const unwritten = tracker.expected.filter(o => !o.written()).map(o => o.describe());
  if (unwritten.length === 0) { return; }
  process.stderr.write(
    `[ERROR] cdk-eks-workload-identity: the cdk8s app${unwritten.length > 1 ? 's' : ''} ${unwritten.join(', ')} ` +
    `${unwritten.length > 1 ? 'were' : 'was'} never written: this run wrote no Kubernetes YAML for ${unwritten.length > 1 ? 'them' : 'it'}. ` +
    'End the program with WorkloadOutputs.synth({ apps, bindingsFiles }) after app.synth().\n');
  process.exitCode = 1;
}
