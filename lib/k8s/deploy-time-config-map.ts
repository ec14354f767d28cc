import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DeploymentOutputReference, DeploymentOutputs } from '../core/deployment-outputs';
import { WorkloadIdentityError } from '../core/validation-error';

const DEPLOY_TIME_CONFIG_MAP = Symbol.for('cdk-eks-workload-identity.DeployTimeConfigMap');
/** ConfigMap data keys (Kubernetes: alphanumerics, '-', '_' and '.', at most 253 characters). */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** Props of `DeployTimeConfigMap`. */
export interface DeployTimeConfigMapProps extends kplus.ConfigMapProps {
  /**
   * Entries whose values CloudFormation knows only at deployment, by where
   * `cdk deploy --outputs-file` writes them (`DeployTimeValue.reference`, or
   * a stack name and output key of your own outputs).
   */
  readonly values: { [key: string]: DeploymentOutputReference };

  /**
   * The file `cdk deploy --outputs-file` writes, relative to the directory
   * the app runs in (the CDK project's).
   *
   * @default 'cdk-outputs.json'
   */
  readonly outputsFile?: string;
}

/**
 * A ConfigMap holding values known only once the CDK app is deployed, read
 * from the file `cdk deploy --outputs-file` writes. Pods read it like any
 * ConfigMap (`kplus.EnvValue.fromConfigMap(configMap, 'BUCKET_NAME')`).
 *
 * Before the first deployment (no file, or the file lacks a value)
 * `WorkloadOutputs.synth` writes no YAML and says to deploy with
 * `--outputs-file` and synthesize again; `cdk deploy` itself, which runs the
 * app first, still works. A cdk8s app synthesized directly fails then,
 * naming the missing output.
 */
export class DeployTimeConfigMap extends kplus.ConfigMap {
  /** Whether `x` is a `DeployTimeConfigMap`. */
  public static isDeployTimeConfigMap(x: any): x is DeployTimeConfigMap {
    return x !== null && typeof x === 'object' && DEPLOY_TIME_CONFIG_MAP in x;
  }

  /** The outputs file read. */
  public readonly outputsFile: string;

  /**
   * What is missing, one line per entry, and what to run; empty when every value is there.
   * @internal
   */
  public readonly _missing: string[] = [];

  constructor(scope: Construct, id: string, props: DeployTimeConfigMapProps) {
    if (props === undefined || props === null || props.values === undefined || props.values === null) {
      throw new WorkloadIdentityError(`DeployTimeConfigMap '${scope.node.path}/${id}' has no values; pass { values: { KEY: deployTimeValue.reference } }.`, `${scope.node.path}/${id}`);
    }
    super(scope, id, props);
    Object.defineProperty(this, DEPLOY_TIME_CONFIG_MAP, { value: true });
    this.outputsFile = props.outputsFile ?? 'cdk-outputs.json';
    const outputs = DeploymentOutputs.readFile(this.outputsFile);
    const display = `ConfigMap '${Chart.of(this).namespace ? `${Chart.of(this).namespace}/` : ''}${this.name}'`;
    for (const [key, reference] of Object.entries(props.values)) {
      if (!CONFIG_MAP_KEY.test(key)) {
        throw new WorkloadIdentityError(`Invalid key '${key}' of ${display}: a ConfigMap key has 1-253 letters, digits, '-', '_' or '.'.`, this.node.path);
      }
      if (props.data?.[key] !== undefined) {
        throw new WorkloadIdentityError(`Key '${key}' of ${display} is both in data and in values; give it one source.`, this.node.path);
      }
      const value = outputs.valueOf(reference);
      if (value === undefined) {
        this._missing.push(`${display} key '${key}' needs output '${reference.outputKey}' of stack '${reference.stackName}': ${outputs.missingReason(reference)}.`);
      } else {
        this.addData(key, value);
      }
    }
    this.node.addValidation({ validate: () => this._missing.map(m => `${m} (WorkloadOutputs.synth writes nothing until then.)`) });
  }
}
