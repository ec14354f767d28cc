/**
 * secrets-store-csi-driver-provider-aws 3.1.1 (provider/): with the mounting
 * pod's credentials, DescribeSecret (to skip unchanged versions on rotation)
 * and GetSecretValue for secrets, GetParameters (batches of 10) for
 * parameters.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const parameter = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;

export const calls: ControllerCalls = () => [
  { call: 'mount a secret: DescribeSecret, GetSecretValue', expect: 'Allowed', requests: [{ action: 'secretsmanager:DescribeSecret', resource: R.secret }, { action: 'secretsmanager:GetSecretValue', resource: R.secret }] },
  { call: 'mount a parameter: GetParameters', expect: 'Allowed', requests: [{ action: 'ssm:GetParameters', resource: parameter('/platform/checkout/url') }] },
  { call: 'GetSecretValue of a secret the pod does not mount', expect: 'Denied', requests: [{ action: 'secretsmanager:GetSecretValue', resource: R.otherSecret }] },
  { call: 'GetParameters of another parameter', expect: 'Denied', requests: [{ action: 'ssm:GetParameters', resource: parameter('/platform/other/url') }] },
];
