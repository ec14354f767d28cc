import { PrometheusIngestIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** One workspace, required; no option. */
export const upstreamCase: UpstreamCase = {
  key: 'PrometheusIngest',
  build: (stack, cluster) => new PrometheusIngestIdentity(stack, 'PrometheusIngest', { cluster, workspaceArn: R.workspace }),
  placeholderValues: {},
};
