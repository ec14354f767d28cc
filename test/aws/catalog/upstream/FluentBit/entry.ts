import * as logs from 'aws-cdk-lib/aws-logs';
import { FluentBitIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** One existing log group, required; no option. */
export const upstreamCase: UpstreamCase = {
  key: 'FluentBit',
  build: (stack, cluster) => new FluentBitIdentity(stack, 'FluentBit', { cluster, logGroup: logs.LogGroup.fromLogGroupName(stack, 'LogGroup', R.logGroup) }),
  placeholderValues: {},
};
