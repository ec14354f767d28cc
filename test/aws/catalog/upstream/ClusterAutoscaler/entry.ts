import { ClusterAutoscalerIdentity } from '../../../../../lib';
import { UpstreamCase } from '../upstream-diff';

/** No scoping input or option: the cluster's group tags scope it. */
export const upstreamCase: UpstreamCase = {
  key: 'ClusterAutoscaler',
  build: (stack, cluster) => new ClusterAutoscalerIdentity(stack, 'ClusterAutoscaler', { cluster }),
  placeholderValues: {},
};
