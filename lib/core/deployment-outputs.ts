import * as fs from 'fs';
import * as path from 'path';
import { containsCdkToken } from './cdk-token';
import { WorkloadIdentityError } from './validation-error';

/**
 * Where a value known only once a stack is deployed (a generated bucket name,
 * a queue URL) can be read after `cdk deploy --outputs-file <file>`: the
 * CLI writes `{ "<stack name>": { "<output key>": "<value>" } }`. This is
 * where the two sides meet: the AWS side declares the output
 * (`DeployTimeValue`), the Kubernetes side reads it from the file
 * (`DeployTimeConfigMap`).
 */
export interface DeploymentOutputReference {
  /** The deployed stack's name (`Stack.stackName`), the file's first key. */
  readonly stackName: string;

  /** The output's key in the template (the `CfnOutput`'s logical id), the file's second key. */
  readonly outputKey: string;
}

/** The file `cdk deploy --outputs-file` writes, as read, or its absence before the first deploy. */
export class DeploymentOutputs {
  /**
   * Reads the file `cdk deploy --outputs-file <file>` wrote. A file that does
   * not exist yet (before the first deploy) is not an error: every value is
   * then missing, and `missingReason` says to deploy first. A file that is not
   * what the CLI writes is an error naming the file.
   */
  public static readFile(file: string): DeploymentOutputs {
    if (!fs.existsSync(file)) { return new DeploymentOutputs(file, undefined); }
    return DeploymentOutputs.fromJson(fs.readFileSync(file, 'utf-8'), file);
  }

  /** The outputs from the JSON text of such a file; `file` names it in errors. */
  public static fromJson(json: string, file: string): DeploymentOutputs {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new WorkloadIdentityError(`Invalid outputs file '${file}': it is not JSON (${(e as Error).message}). Write it with 'npx cdk deploy --all --outputs-file ${file}'.`);
    }
    const shape = `an object of stacks, each an object of output keys and string values, as 'cdk deploy --outputs-file' writes it`;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new WorkloadIdentityError(`Invalid outputs file '${file}': expected ${shape}.`);
    }
    const stacks: Record<string, Record<string, string>> = {};
    for (const [stackName, outputs] of Object.entries(parsed as Record<string, unknown>)) {
      if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs)) {
        throw new WorkloadIdentityError(`Invalid outputs file '${file}': stack '${stackName}' is not an object of outputs; expected ${shape}.`);
      }
      for (const [key, value] of Object.entries(outputs as Record<string, unknown>)) {
        if (typeof value !== 'string') {
          throw new WorkloadIdentityError(`Invalid outputs file '${file}': output '${stackName}.${key}' is ${value === null ? 'null' : typeof value}, not a string; expected ${shape}.`);
        }
        if (containsCdkToken(value)) {
          throw new WorkloadIdentityError(`Invalid outputs file '${file}': output '${stackName}.${key}' is an unresolved CDK token ('${value}'); the file must come from 'cdk deploy --outputs-file', which writes deployed values.`);
        }
      }
      stacks[stackName] = outputs as Record<string, string>;
    }
    return new DeploymentOutputs(file, stacks);
  }

  /** Path of the file, as given. */
  public readonly file: string;

  private readonly stacks?: Record<string, Record<string, string>>;

  private constructor(file: string, stacks: Record<string, Record<string, string>> | undefined) {
    this.file = file;
    this.stacks = stacks;
  }

  /** Whether the file exists (it does once `cdk deploy --outputs-file` ran). */
  public get exists(): boolean {
    return this.stacks !== undefined;
  }

  /** The deployed value, or undefined when the file does not hold it. */
  public valueOf(reference: DeploymentOutputReference): string | undefined {
    checkReference(reference);
    const outputs = this.stacks?.[reference.stackName];
    return outputs !== undefined && Object.prototype.hasOwnProperty.call(outputs, reference.outputKey) ? outputs[reference.outputKey] : undefined;
  }

  /** Why `valueOf(reference)` is undefined, and what to run, or undefined when the value is there. */
  public missingReason(reference: DeploymentOutputReference): string | undefined {
    if (this.valueOf(reference) !== undefined) { return undefined; }
    const deploy = `deploy with 'npx cdk deploy --all --outputs-file ${this.file}' (the file then holds every deployed stack's outputs), then synthesize again`;
    if (this.stacks === undefined) {
      return `'${path.resolve(this.file)}' does not exist yet: ${deploy}`;
    }
    if (this.stacks[reference.stackName] === undefined) {
      return `'${this.file}' has no stack '${reference.stackName}' (it has ${listed(Object.keys(this.stacks))}): ${deploy}`;
    }
    return `'${this.file}' has no output '${reference.outputKey}' of stack '${reference.stackName}' (it has ${listed(Object.keys(this.stacks[reference.stackName]))}): ${deploy}`;
  }
}

function listed(names: string[]): string {
  return names.length === 0 ? 'none' : names.map(n => `'${n}'`).join(', ');
}

function checkReference(reference: DeploymentOutputReference): void {
  for (const [field, value] of [['stackName', reference?.stackName], ['outputKey', reference?.outputKey]] as const) {
    if (typeof value !== 'string' || value === '' || containsCdkToken(value)) {
      throw new WorkloadIdentityError(`Invalid deployment output reference: its ${field} is ${value === undefined ? 'missing' : `'${value}'`}; `
        + 'a reference names a deployed stack and an output key literally, as DeployTimeValue.reference does.');
    }
  }
}
