/**
 * aws-for-fluent-bit 3.2.1's cloudwatch_logs output (chart 0.2.0, the
 * values the entry renders: logGroupName set, autoCreateGroup false): it
 * creates a stream per pod (CreateLogStream) and sends events
 * (PutLogEvents); it creates no group and sets no retention.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const group = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
const stream = (name: string) => `${group(name)}:log-stream:fluentbit-kube.var.log.containers.shop-1`;

export const calls: ControllerCalls = () => [
  { call: 'CreateLogStream per pod in the log group', expect: 'Allowed', requests: [{ action: 'logs:CreateLogStream', resource: `${group(R.logGroup)}:*` }] },
  { call: 'PutLogEvents', expect: 'Allowed', requests: [{ action: 'logs:PutLogEvents', resource: stream(R.logGroup) }] },
  { call: 'PutLogEvents in another log group', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'logs:PutLogEvents', resource: stream('/payments/audit') }] },
  { call: 'CreateLogGroup', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'logs:CreateLogGroup', resource: group('/platform/new') }] },
  { call: 'DeleteLogGroup', expect: 'Denied', requests: [{ action: 'logs:DeleteLogGroup', resource: group(R.logGroup) }] },
];
