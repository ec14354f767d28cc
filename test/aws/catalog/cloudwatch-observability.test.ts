import { App, Stack } from 'aws-cdk-lib';
import { CloudWatchObservabilityIdentity } from '../../../lib';
import { ACCOUNT, REGION, platformCluster } from './catalog-app';
import { statementOf } from './entry-statements';

describe('CloudWatchObservabilityIdentity', () => {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  const e = new CloudWatchObservabilityIdentity(stack, 'CloudWatchObservability', { cluster: platformCluster(stack) });
  const group = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;

  test('Application Signals (on by default in the add-on) writes its log group /aws/application-signals/data beside the cluster\'s Container Insights groups', () => {
    expect(statementOf(e, 'ClusterLogGroups').Resource).toEqual([
      group('/aws/containerinsights/platform/*'), group('/aws/application-signals/data'), group('/aws/application-signals/data:*'),
    ]);
    expect(statementOf(e, 'ClusterLogEvents').Resource).toEqual([
      `${group('/aws/containerinsights/platform/*')}:log-stream:*`, `${group('/aws/application-signals/data')}:log-stream:*`,
    ]);
  });
});
