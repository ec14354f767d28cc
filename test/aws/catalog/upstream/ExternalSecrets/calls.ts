/**
 * External Secrets Operator v2.9.0 (providers/v1/aws): Secrets Manager
 * GetSecret reads GetSecretValue (DescribeSecret for metadata);
 * dataFrom.find with a path reads in batches (fetchWithBatch:
 * BatchGetSecretValue, which IAM also checks as GetSecretValue on each
 * secret), by name without a path lists (ListSecrets); Parameter Store reads
 * GetParameter and finds with DescribeParameters. Values encrypted with a
 * customer key are decrypted with the caller's kms:Decrypt.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const parameter = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;

export const calls: ControllerCalls = () => [
  { call: 'GetSecret: GetSecretValue and DescribeSecret', expect: 'Allowed', requests: [{ action: 'secretsmanager:GetSecretValue', resource: R.secret }, { action: 'secretsmanager:DescribeSecret', resource: R.secret }] },
  {
    call: 'dataFrom.find with a path: BatchGetSecretValue (and GetSecretValue per secret)',
    expect: 'Allowed',
    requests: [{ action: 'secretsmanager:BatchGetSecretValue', resource: '*' }, { action: 'secretsmanager:GetSecretValue', resource: R.secret }],
  },
  { call: 'dataFrom.find by name without a path: ListSecrets', expect: 'Allowed', requests: [{ action: 'secretsmanager:ListSecrets', resource: '*' }] },
  { call: 'Parameter Store: GetParameter', expect: 'Allowed', requests: [{ action: 'ssm:GetParameter', resource: parameter('/platform/db/url') }] },
  { call: 'Parameter Store dataFrom.find: DescribeParameters', expect: 'Allowed', upstream: 'Denied', requests: [{ action: 'ssm:DescribeParameters', resource: '*' }] },
  { call: 'a value encrypted with the customer key: kms:Decrypt', expect: 'Allowed', upstream: 'Denied', requests: [{ action: 'kms:Decrypt', resource: R.key }] },
  { call: 'GetSecretValue of another team\'s secret', expect: 'Denied', requests: [{ action: 'secretsmanager:GetSecretValue', resource: R.otherSecret }] },
  { call: 'BatchGetSecretValue returning another team\'s secret', expect: 'Denied', requests: [{ action: 'secretsmanager:BatchGetSecretValue', resource: '*' }, { action: 'secretsmanager:GetSecretValue', resource: R.otherSecret }] },
  { call: 'PushSecret: PutSecretValue', expect: 'Denied', requests: [{ action: 'secretsmanager:PutSecretValue', resource: R.secret }] },
  { call: 'GetParameter outside the path', expect: 'Denied', requests: [{ action: 'ssm:GetParameter', resource: parameter('/payments/db/url') }] },
  { call: 'PushSecret: PutParameter', expect: 'Denied', requests: [{ action: 'ssm:PutParameter', resource: parameter('/platform/db/url') }] },
  { call: 'kms:Decrypt with another key', expect: 'Denied', requests: [{ action: 'kms:Decrypt', resource: R.otherKey }] },
];
