/** Grafana's Prometheus data source with SigV4 (query, series, labels, metadata) on the workspace. */
import { R } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

export const calls: ControllerCalls = () => [
  {
    call: 'dashboards: QueryMetrics, GetSeries, GetLabels, GetMetricMetadata',
    expect: 'Allowed',
    requests: ['QueryMetrics', 'GetSeries', 'GetLabels', 'GetMetricMetadata'].map(a => ({ action: `aps:${a}`, resource: R.workspace })),
  },
  { call: 'QueryMetrics on another workspace', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'aps:QueryMetrics', resource: R.otherWorkspace }] },
  { call: 'RemoteWrite', expect: 'Denied', requests: [{ action: 'aps:RemoteWrite', resource: R.workspace }] },
];
