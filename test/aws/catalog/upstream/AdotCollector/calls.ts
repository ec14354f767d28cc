/**
 * An ADOT collector with the prometheusremotewrite exporter (SigV4 to the
 * workspace's remote_write endpoint: aps:RemoteWrite) and the awsxray
 * exporter (sampling rules and targets, PutTraceSegments, PutTelemetryRecords).
 */
import { R } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

export const calls: ControllerCalls = () => [
  { call: 'prometheusremotewrite: RemoteWrite to the workspace', expect: 'Allowed', requests: [{ action: 'aps:RemoteWrite', resource: R.workspace }] },
  {
    call: 'awsxray: sampling and trace segments',
    expect: 'Allowed',
    requests: [{ action: 'xray:GetSamplingRules', resource: '*' }, { action: 'xray:GetSamplingTargets', resource: '*' }, { action: 'xray:PutTraceSegments', resource: '*' }, { action: 'xray:PutTelemetryRecords', resource: '*' }],
  },
  { call: 'RemoteWrite to another workspace', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'aps:RemoteWrite', resource: R.otherWorkspace }] },
  { call: 'QueryMetrics', expect: 'Denied', requests: [{ action: 'aps:QueryMetrics', resource: R.workspace }] },
  { call: 'DeleteWorkspace', expect: 'Denied', requests: [{ action: 'aps:DeleteWorkspace', resource: R.workspace }] },
];
