import { CloudWatchObservabilityIdentity } from '../../../../../lib';
import { UpstreamCase } from '../upstream-diff';

/** The scoped document (useAwsManagedPolicy attaches upstream itself); no option adds actions. */
export const upstreamCase: UpstreamCase = {
  key: 'CloudWatchObservability',
  build: (stack, cluster) => new CloudWatchObservabilityIdentity(stack, 'CloudWatchObservability', { cluster }),
  placeholderValues: {},
};
