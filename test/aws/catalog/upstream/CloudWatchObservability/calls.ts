/**
 * The amazon-cloudwatch-observability add-on (chart 6.4.0 defaults:
 * containerInsights and applicationSignals enabled): the agent writes
 * Container Insights EMF to /aws/containerinsights/<cluster>/performance and
 * Application Signals EMF to /aws/application-signals/data, creating groups
 * and streams and setting retention; its Fluent Bit writes
 * /aws/containerinsights/<cluster>/{application,dataplane,host}; ec2tagger
 * reads volumes and tags; traces go to X-Ray; the agent may read its
 * AmazonCloudWatch-* SSM parameter.
 */
import { ACCOUNT, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const group = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
const stream = (name: string) => `${group(name)}:log-stream:ip-10-0-0-1.eu-west-1.compute.internal`;

export const calls: ControllerCalls = () => [
  {
    call: 'Container Insights: CreateLogGroup, PutRetentionPolicy, CreateLogStream, DescribeLogStreams, PutLogEvents in performance',
    expect: 'Allowed',
    requests: [
      { action: 'logs:CreateLogGroup', resource: group('/aws/containerinsights/platform/performance') },
      { action: 'logs:PutRetentionPolicy', resource: group('/aws/containerinsights/platform/performance') },
      { action: 'logs:CreateLogStream', resource: `${group('/aws/containerinsights/platform/performance')}:*` },
      { action: 'logs:DescribeLogStreams', resource: `${group('/aws/containerinsights/platform/performance')}:*` },
      { action: 'logs:PutLogEvents', resource: stream('/aws/containerinsights/platform/performance') },
    ],
  },
  { call: 'Fluent Bit: PutLogEvents in application, dataplane, host', expect: 'Allowed', requests: ['application', 'dataplane', 'host'].map(g => ({ action: 'logs:PutLogEvents', resource: stream(`/aws/containerinsights/platform/${g}`) })) },
  {
    call: 'Application Signals: CreateLogStream and PutLogEvents in /aws/application-signals/data',
    expect: 'Allowed',
    requests: [{ action: 'logs:CreateLogStream', resource: `${group('/aws/application-signals/data')}:*` }, { action: 'logs:PutLogEvents', resource: stream('/aws/application-signals/data') }],
  },
  { call: 'PutMetricData in ContainerInsights', expect: 'Allowed', requests: [{ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': 'ContainerInsights' } }] },
  {
    call: 'traces: X-Ray sampling and PutTraceSegments',
    expect: 'Allowed',
    requests: [{ action: 'xray:GetSamplingRules', resource: '*' }, { action: 'xray:GetSamplingTargets', resource: '*' }, { action: 'xray:PutTraceSegments', resource: '*' }, { action: 'xray:PutTelemetryRecords', resource: '*' }],
  },
  {
    call: 'ec2tagger and log discovery: DescribeVolumes, DescribeTags, DescribeLogGroups; SSM agent config',
    expect: 'Allowed',
    requests: [
      { action: 'ec2:DescribeVolumes', resource: '*' }, { action: 'ec2:DescribeTags', resource: '*' }, { action: 'logs:DescribeLogGroups', resource: '*' },
      { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/AmazonCloudWatch-linux` },
    ],
  },
  { call: 'PutLogEvents in another cluster\'s group', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'logs:PutLogEvents', resource: stream('/aws/containerinsights/other-cluster/performance') }] },
  { call: 'PutLogEvents in an application\'s log group', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'logs:PutLogEvents', resource: stream('/payments/audit') }] },
  { call: 'PutMetricData in another namespace', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': 'AWS/Billing' } }] },
  { call: 'DeleteLogGroup', expect: 'Denied', requests: [{ action: 'logs:DeleteLogGroup', resource: group('/aws/containerinsights/platform/performance') }] },
  { call: 'ssm:GetParameter of an application parameter', expect: 'Denied', requests: [{ action: 'ssm:GetParameter', resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/payments/db` }] },
];
