/** Prometheus server remote_write with SigV4 to the workspace (the chart's server.remoteWrite the entry renders). */
import { R } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

export const calls: ControllerCalls = () => [
  { call: 'remote_write: RemoteWrite to the workspace', expect: 'Allowed', requests: [{ action: 'aps:RemoteWrite', resource: R.workspace }] },
  { call: 'RemoteWrite to another workspace', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'aps:RemoteWrite', resource: R.otherWorkspace }] },
  { call: 'QueryMetrics', expect: 'Denied', requests: [{ action: 'aps:QueryMetrics', resource: R.workspace }] },
];
