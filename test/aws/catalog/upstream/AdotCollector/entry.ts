import { AdotCollectorIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: metrics to one workspace; full: traces to X-Ray too. */
export const upstreamCase: UpstreamCase = {
  key: 'AdotCollector',
  build: (stack, cluster, configuration) => new AdotCollectorIdentity(stack, 'AdotCollector', { cluster, workspaceArn: R.workspace, traces: configuration === 'full' }),
  placeholderValues: {},
};
