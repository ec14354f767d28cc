import { PrometheusQueryIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** One workspace, required; no option. */
export const upstreamCase: UpstreamCase = {
  key: 'PrometheusQuery',
  build: (stack, cluster) => new PrometheusQueryIdentity(stack, 'PrometheusQuery', { cluster, workspaceArn: R.workspace }),
  placeholderValues: {},
};
