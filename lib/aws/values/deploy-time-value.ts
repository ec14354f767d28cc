import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DeploymentOutputReference } from '../../core/deployment-outputs';
import { WorkloadIdentityError } from '../../core/validation-error';

/** Props of `DeployTimeValue`. */
export interface DeployTimeValueProps {
  /**
   * The value pods need, known only once the stack is deployed: a generated
   * name, ARN or URL (`bucket.bucketName`, `queue.queueUrl`). A literal works
   * too, but then pass it to the pod directly.
   */
  readonly value: string;

  /**
   * Description of the stack output.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * A value for pods that CloudFormation knows only at deployment, as a stack
 * output: `cdk deploy --outputs-file cdk-outputs.json` writes it, and
 * `DeployTimeConfigMap` (Kubernetes side) renders it into a ConfigMap the
 * pods read. A token itself never reaches the YAML: `WorkloadOutputs.synth`
 * refuses any, naming the object and field.
 *
 * ```ts
 * const bucketName = new DeployTimeValue(stack, 'BucketName', { value: bucket.bucketName });
 * new DeployTimeConfigMap(chart, 'settings', { values: { BUCKET_NAME: bucketName.reference } });
 * ```
 */
export class DeployTimeValue extends Construct {
  /** Where `cdk deploy --outputs-file` writes the value: the stack's name and the output's key. */
  public readonly reference: DeploymentOutputReference;

  /** The stack output holding the value. */
  public readonly output: CfnOutput;

  constructor(scope: Construct, id: string, props: DeployTimeValueProps) {
    super(scope, id);
    if (props === undefined || props === null || props.value === undefined || props.value === null) {
      throw new WorkloadIdentityError(`DeployTimeValue '${this.node.path}' has no value (got ${props === undefined || props === null ? `props ${props}` : props.value}); pass the value pods need, e.g. { value: bucket.bucketName }.`, this.node.path);
    }
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.stackName)) {
      throw new WorkloadIdentityError(`DeployTimeValue '${this.node.path}': the name of stack '${stack.node.path}' is a token, but 'cdk deploy --outputs-file' keys the file by the stack's name, so pods could not find the value; give the stack a literal stackName.`, this.node.path);
    }
    this.output = new CfnOutput(this, 'Output', { value: props.value, description: props.description });
    // The logical id the template gives the output, which is the key the CLI writes.
    const outputKey = stack.resolve(this.output.logicalId);
    this.reference = { stackName: stack.stackName, outputKey };
  }
}
