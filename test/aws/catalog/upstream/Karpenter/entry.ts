import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { KarpenterControllerIdentity } from '../../../../../lib';
import { ACCOUNT, CLUSTER, R, REGION } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: the node role only. Full: with an encrypted interruption queue. */
export const upstreamCase: UpstreamCase = {
  key: 'Karpenter',
  build: (stack, cluster, configuration) => new KarpenterControllerIdentity(stack, 'Karpenter', {
    cluster,
    nodeRole: iam.Role.fromRoleArn(stack, 'NodeRole', R.nodeRole),
    // Full: an interruption queue encrypted with a customer managed key.
    interruptionQueue: configuration === 'full' ? sqs.Queue.fromQueueAttributes(stack, 'Queue', { queueArn: R.queue, keyArn: R.key }) : undefined,
  }),
  placeholderValues: {
    '${ClusterName}': CLUSTER, '${AWS::Partition}': 'aws', '${AWS::Region}': REGION, '${AWS::AccountId}': ACCOUNT,
    '${KarpenterNodeRole.Arn}': R.nodeRole, '${KarpenterInterruptionQueue.Arn}': R.queue,
  },
};
