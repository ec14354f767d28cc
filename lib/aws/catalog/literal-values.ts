import { Token } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * A queue's URL as a literal where its ARN is one: an imported queue's
 * `queueUrl` is built with the `AWS::URLSuffix` pseudo parameter (a token),
 * though SQS's endpoint follows from the ARN's partition and region. A
 * queue created in the app without a literal name keeps its token, which
 * Helm values refuse by name.
 */
export function literalQueueUrl(queue: sqs.IQueue): string {
  if (!Token.isUnresolved(queue.queueUrl)) { return queue.queueUrl; }
  const arn = queue.queueArn;
  if (Token.isUnresolved(arn)) { return queue.queueUrl; }
  const [, partition, , region, account, name] = arn.split(':');
  const suffix = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${suffix}/${account}/${name}`;
}

/**
 * A queue's name as a literal where one is known: an imported queue's ARN, or
 * the `queueName` a queue created in the app was given (its `queueName`
 * attribute is a `GetAtt` in its own stack).
 */
export function literalQueueName(queue: sqs.IQueue): string {
  if (!Token.isUnresolved(queue.queueName)) { return queue.queueName; }
  const resource = queue.node.defaultChild;
  if (resource instanceof sqs.CfnQueue && resource.queueName !== undefined && !Token.isUnresolved(resource.queueName)) { return resource.queueName; }
  if (!Token.isUnresolved(queue.queueArn)) { return queue.queueArn.split(':')[5]; }
  return queue.queueName;
}
