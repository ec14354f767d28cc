import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NodeTerminationHandlerIdentity, NodeTerminationHandlerIdentityProps } from '../../../lib';
import { ACCOUNT, R, REGION, platformCluster } from './catalog-app';
import { actionsOf, statementOf } from './entry-statements';

function entry(props: Partial<NodeTerminationHandlerIdentityProps> = {}): NodeTerminationHandlerIdentity {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  return new NodeTerminationHandlerIdentity(stack, 'Nth', { cluster: platformCluster(stack), queue: sqs.Queue.fromQueueArn(stack, 'Queue', R.queue), ...props });
}

describe('NodeTerminationHandlerIdentity', () => {
  test('lifecycle heartbeats are opt-in: heartbeatInterval grants RecordLifecycleActionHeartbeat and sets the chart value', () => {
    // GIVEN the default entry THEN no heartbeat permission
    expect(actionsOf(entry())).not.toContain('autoscaling:RecordLifecycleActionHeartbeat');
    // GIVEN heartbeats every 5 minutes
    const e = entry({ heartbeatInterval: Duration.minutes(5) });
    // THEN the handler may renew the termination hook of the account's groups, and the chart sends them
    expect(statementOf(e, 'CompleteLifecycleActions')).toMatchObject({
      Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
      Resource: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/*`,
    });
    expect(e.helmValues()).toMatchObject({ heartbeatInterval: 300 });
  });

  test('a heartbeat interval outside the chart\'s 30-3600 seconds is refused', () => {
    expect(() => entry({ heartbeatInterval: Duration.seconds(10) })).toThrow(
      "Invalid heartbeatInterval of NodeTerminationHandlerIdentity 'Platform/Nth': 10 seconds; the handler accepts 30 to 3600 seconds.");
  });
});
