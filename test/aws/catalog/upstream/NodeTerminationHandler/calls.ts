/**
 * aws-node-termination-handler v1.25.6 in Queue Processor mode
 * (pkg/monitor/sqsevent): it receives and deletes the queue's messages,
 * describes the instance, completes the ASG lifecycle action after draining
 * and, with heartbeatInterval (set in the evaluation app), records lifecycle
 * heartbeats while draining.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const asg = (account = ACCOUNT) => `arn:aws:autoscaling:${REGION}:${account}:autoScalingGroup:11111111-2222-3333-4444-555555555555:autoScalingGroupName/platform-ng`;

export const calls: ControllerCalls = () => [
  { call: 'poll: ReceiveMessage, DeleteMessage', expect: 'Allowed', requests: [{ action: 'sqs:ReceiveMessage', resource: R.queue }, { action: 'sqs:DeleteMessage', resource: R.queue }] },
  { call: 'the event\'s instance: DescribeInstances', expect: 'Allowed', requests: [{ action: 'ec2:DescribeInstances', resource: '*' }] },
  { call: 'after draining: CompleteLifecycleAction', expect: 'Allowed', requests: [{ action: 'autoscaling:CompleteLifecycleAction', resource: asg() }] },
  { call: 'while draining: RecordLifecycleActionHeartbeat (heartbeatInterval)', expect: 'Allowed', upstream: 'Denied', requests: [{ action: 'autoscaling:RecordLifecycleActionHeartbeat', resource: asg() }] },
  { call: 'ReceiveMessage from another queue', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'sqs:ReceiveMessage', resource: R.otherQueue }] },
  { call: 'SendMessage', expect: 'Denied', requests: [{ action: 'sqs:SendMessage', resource: R.queue }] },
  { call: 'CompleteLifecycleAction in another account', expect: 'Denied', requests: [{ action: 'autoscaling:CompleteLifecycleAction', resource: asg('210987654321') }] },
];
