// The order of the two outputs: the CDK app's templates first (app.synth(),
// where the guardrails and aws-cdk-lib's validation run), then the YAML and
// bindings files (WorkloadOutputs.synth). The two sides never import each
// other, so the AWS side leaves what the Kubernetes side needs on the bindings
// it hands out: a record of its app's synthesis, which its guardrails (a
// validation plugin, run at the end of app.synth()) fill in.

/** Symbol.for: a second copy of the library in one process reads the same mark. */
const SYNTH_RECORD = Symbol.for('cdk-eks-workload-identity.awsSynthRecord');

/** What is known of the synthesis of the CDK app that declared a binding. */
export interface AwsSynthRecord {
  /** The CDK app, for messages (its outdir). */
  readonly app: string;
  /** Whether the app's validation ran (the end of its app.synth()). */
  validated: boolean;
  /** Whether some validation of the app failed (with failSynthOnValidationErrors off, app.synth() returns anyway). */
  failed: boolean;
}

/** A new record for a CDK app: not synthesized yet. */
export function newAwsSynthRecord(app: string): AwsSynthRecord {
  return { app, validated: false, failed: false };
}

/** Marks `binding` as declared by the app of `record` (not enumerable: JSON and spreads leave it out). */
export function markBindingOrigin(binding: object, record: AwsSynthRecord): void {
  Object.defineProperty(binding, SYNTH_RECORD, { value: record, enumerable: false, configurable: true });
}

/** The synthesis record of the CDK app that declared `binding`, if it came from one in this process. */
export function bindingOrigin(binding: unknown): AwsSynthRecord | undefined {
  const record = binding !== null && typeof binding === 'object' ? (binding as any)[SYNTH_RECORD] : undefined;
  return record && typeof record.validated === 'boolean' ? record : undefined;
}
