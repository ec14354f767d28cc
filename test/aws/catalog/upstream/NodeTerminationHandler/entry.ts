import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NodeTerminationHandlerIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: Queue Processor on one queue; full: lifecycle heartbeats and an encrypted queue. */
export const upstreamCase: UpstreamCase = {
  key: 'NodeTerminationHandler',
  build: (stack, cluster, configuration) => new NodeTerminationHandlerIdentity(stack, 'NodeTerminationHandler', configuration === 'full'
    ? {
      cluster, heartbeatInterval: Duration.minutes(5),
      queue: sqs.Queue.fromQueueAttributes(stack, 'Queue', { queueArn: R.queue, keyArn: R.key }),
    }
    : { cluster, queue: sqs.Queue.fromQueueArn(stack, 'Queue', R.queue) }),
  placeholderValues: {},
};
