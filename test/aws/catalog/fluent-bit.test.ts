import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FluentBitIdentity } from '../../../lib';
import { ACCOUNT, R, REGION, platformCluster } from './catalog-app';
import { statementsOf } from './entry-statements';

describe('FluentBitIdentity', () => {
  test('the cloudwatch_logs output with an existing group: CreateLogStream and PutLogEvents on that group only', () => {
    const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
    const e = new FluentBitIdentity(stack, 'FluentBit', { cluster: platformCluster(stack), logGroup: logs.LogGroup.fromLogGroupName(stack, 'Group', R.logGroup) });
    const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${R.logGroup}`;
    // THEN no DescribeLogStreams (the C plugin of aws-for-fluent-bit 3.x never calls it), no CreateLogGroup or PutRetentionPolicy
    expect(statementsOf(e).map(s => [s.Action, s.Resource])).toEqual([
      ['logs:CreateLogStream', `${group}:*`],
      ['logs:PutLogEvents', `${group}:log-stream:*`],
    ]);
  });
});
