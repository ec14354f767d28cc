import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DeployTimeValue } from '../../../lib/aws/values/deploy-time-value';

describe('DeployTimeValue', () => {
  test('GIVEN a generated bucket name WHEN declared THEN a stack output holds it, and the reference names the stack and the output key the CLI writes', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Uploads', { env: { account: '123456789012', region: 'eu-west-1' } });
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    const value = new DeployTimeValue(stack, 'BucketName', { value: bucket.bucketName, description: 'where uploads go' });

    // THEN
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual([value.reference.outputKey]);
    expect(outputs[value.reference.outputKey]).toEqual({ Value: { Ref: stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket) }, Description: 'where uploads go' });
    expect(value.reference).toEqual({ stackName: 'Uploads', outputKey: expect.stringMatching(/^BucketNameOutput[0-9A-F]{8}$/) });
  });

  test('GIVEN a stack whose name differs from its id WHEN declared THEN the reference carries the deployed stack name', () => {
    const stack = new Stack(new App(), 'Uploads', { stackName: 'campus-uploads-prod' });
    expect(new DeployTimeValue(stack, 'V', { value: 'x' }).reference.stackName).toBe('campus-uploads-prod');
  });

  test('GIVEN no value WHEN declared THEN the error names the construct and the fix', () => {
    const stack = new Stack(new App(), 'Uploads');
    expect(() => new DeployTimeValue(stack, 'V', { value: undefined as any }))
      .toThrow("DeployTimeValue 'Uploads/V' has no value (got undefined); pass the value pods need, e.g. { value: bucket.bucketName }.");
  });
});
