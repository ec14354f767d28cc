import { evaluatePermission, PermissionRequest } from './permission-evaluator';
import { synthesizeExamples, SynthesizedApp, SynthesizedStack } from './synthesized-app';
import { Decision } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

let app: SynthesizedApp;
let roles: SynthesizedWorkloadRole[];

beforeAll(() => {
  app = synthesizeExamples();
  roles = workloadRoles(app);
});
afterAll(() => app?.dispose());

type Expectation = [Decision, string, (r: CampusResources) => string];

interface CampusResources {
  secret: string;
  otherSecret: string;
  table: string;
  otherTable: string;
  bucket: string;
  otherBucket: string;
  dbUser: (user: string) => string;
  otherDbUser: string;
}

function campusResources(s: SynthesizedStack): CampusResources {
  const r = s.resolved;
  const { account, region } = r.env;
  return {
    secret: r.ref(r.logicalIdOf('AWS::SecretsManager::Secret', 'PaymentApiKey')),
    otherSecret: `arn:aws:secretsmanager:${region}:${account}:secret:another-secret-AbCdEf`,
    table: r.getAtt(r.logicalIdOf('AWS::DynamoDB::GlobalTable', 'Ledger'), 'Arn'),
    otherTable: `arn:aws:dynamodb:${region}:${account}:table/another-table`,
    bucket: r.getAtt(r.logicalIdOf('AWS::S3::Bucket', 'Uploads'), 'Arn'),
    otherBucket: 'arn:aws:s3:::another-bucket',
    dbUser: (user: string) => `arn:aws:rds-db:${region}:${account}:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/${user}`,
    otherDbUser: `arn:aws:rds-db:${region}:${account}:dbuser:db-ZZZZZZZZZZZZZZZZZZZZZZZZZ9/report_readonly`,
  };
}

// Campus: each workload can do its job on its own resources, nothing on the others', and no write where it reads.
const CAMPUS: { [workload: string]: Expectation[] } = {
  Payment: [
    ['Allowed', 'secretsmanager:GetSecretValue', r => r.secret],
    ['Allowed', 'secretsmanager:DescribeSecret', r => r.secret],
    ['Denied', 'secretsmanager:PutSecretValue', r => r.secret],
    ['Denied', 'secretsmanager:DeleteSecret', r => r.secret],
    ['Denied', 'secretsmanager:GetSecretValue', r => r.otherSecret],
    ['Allowed', 'dynamodb:GetItem', r => r.table],
    ['Allowed', 'dynamodb:Query', r => r.table],
    ['Allowed', 'dynamodb:PutItem', r => r.table],
    ['Allowed', 'dynamodb:UpdateItem', r => r.table],
    ['Allowed', 'dynamodb:DeleteItem', r => r.table],
    ['Denied', 'dynamodb:DeleteTable', r => r.table],
    ['Denied', 'dynamodb:UpdateTable', r => r.table],
    ['Denied', 'dynamodb:GetItem', r => r.otherTable],
    ['Denied', 'dynamodb:PutItem', r => r.otherTable],
    ['Denied', 's3:PutObject', r => `${r.bucket}/incoming/invoice.pdf`],
    ['Denied', 's3:GetObject', r => `${r.bucket}/incoming/invoice.pdf`],
    ['Denied', 's3:ListBucket', r => r.bucket],
    ['Denied', 'rds-db:connect', r => r.dbUser('report_readonly')],
  ],
  Upload: [
    ['Allowed', 's3:PutObject', r => `${r.bucket}/incoming/photo.jpg`],
    ['Allowed', 's3:PutObject', r => `${r.bucket}/incoming/2024/05/photo.jpg`],
    ['Allowed', 's3:AbortMultipartUpload', r => `${r.bucket}/incoming/photo.jpg`],
    ['Denied', 's3:PutObject', r => `${r.bucket}/photo.jpg`],
    ['Denied', 's3:PutObject', r => `${r.bucket}/outgoing/photo.jpg`],
    ['Denied', 's3:PutObject', r => `${r.otherBucket}/incoming/photo.jpg`],
    ['Denied', 's3:GetObject', r => `${r.bucket}/incoming/photo.jpg`],
    ['Denied', 's3:GetObjectVersion', r => `${r.bucket}/incoming/photo.jpg`],
    ['Denied', 's3:DeleteObject', r => `${r.bucket}/incoming/photo.jpg`],
    ['Denied', 's3:ListBucket', r => r.bucket],
    ['Denied', 's3:PutBucketPolicy', r => r.bucket],
    ['Denied', 'secretsmanager:GetSecretValue', r => r.secret],
    ['Denied', 'dynamodb:PutItem', r => r.table],
    ['Denied', 'rds-db:connect', r => r.dbUser('report_readonly')],
  ],
  Report: [
    ['Allowed', 'rds-db:connect', r => r.dbUser('report_readonly')],
    ['Denied', 'rds-db:connect', r => r.dbUser('admin')],
    ['Denied', 'rds-db:connect', r => r.dbUser('postgres')],
    ['Denied', 'rds-db:connect', r => r.dbUser('report_readonly2')],
    ['Denied', 'rds-db:connect', r => r.otherDbUser],
    ['Denied', 'secretsmanager:GetSecretValue', r => r.secret],
    ['Denied', 'dynamodb:GetItem', r => r.table],
    ['Denied', 'dynamodb:Scan', r => r.table],
    ['Denied', 's3:GetObject', r => `${r.bucket}/incoming/photo.jpg`],
    ['Denied', 's3:PutObject', r => `${r.bucket}/incoming/photo.jpg`],
  ],
};

function roleOf(stackName: string, workload: string): SynthesizedWorkloadRole {
  const role = roles.find(r => r.stackName === stackName && r.logicalId.startsWith(workload));
  if (!role) { throw new Error(`No role ${workload} in ${stackName}`); }
  return role;
}

async function check(role: SynthesizedWorkloadRole, expectations: [Decision, PermissionRequest][]): Promise<string[]> {
  const mismatches: string[] = [];
  for (const [expected, request] of expectations) {
    const result = await evaluatePermission(app, role, request);
    recordStat(result.actual === 'Allowed' ? 'permissionAllowed' : 'permissionDenied');
    if (result.actual !== expected) {
      mismatches.push(`${role.stackName}/${role.logicalId}: ${request.action} on ${request.resource}: expected ${expected}, got ${result.actual}`);
    }
  }
  return mismatches;
}

describe('least privilege of the example workloads, evaluated with iam-simulate', () => {
  // The same campus on Pod Identity (Campus) and on IRSA (Irsa): the mechanism must not change what a role may do.
  describe.each(['Campus', 'Irsa'])('%s', stackName => {
    test.each(Object.keys(CAMPUS))('%s can do its job and nothing else', async workload => {
      // GIVEN the workload's role and the campus resources
      const resources = campusResources(app.stack(stackName));
      // WHEN each request is evaluated
      const mismatches = await check(roleOf(stackName, workload), CAMPUS[workload].map(([d, action, resource]) => [d, { action, resource: resource(resources) }]));
      // THEN each decision is the expected one
      expect(mismatches).toEqual([]);
    });
  });

  test('the IRSA reader on a new cluster reads its bucket and nothing else', async () => {
    // GIVEN the reader's role and its bucket
    const r = app.stack('IrsaOnNewCluster').resolved;
    const bucket = r.getAtt(r.logicalIdOf('AWS::S3::Bucket', 'Reports'), 'Arn');
    // WHEN read, write and foreign requests are evaluated THEN only reads of its bucket are allowed
    expect(await check(roleOf('IrsaOnNewCluster', 'Reader'), [
      ['Allowed', { action: 's3:GetObject', resource: `${bucket}/2024/report.csv` }],
      ['Allowed', { action: 's3:ListBucket', resource: bucket }],
      ['Denied', { action: 's3:GetObject', resource: `${bucket}/2024/report.csv`, context: { 'aws:SecureTransport': 'false' } }],
      ['Denied', { action: 's3:PutObject', resource: `${bucket}/2024/report.csv` }],
      ['Denied', { action: 's3:DeleteObject', resource: `${bucket}/2024/report.csv` }],
      ['Denied', { action: 's3:PutBucketPolicy', resource: bucket }],
      ['Denied', { action: 's3:GetObject', resource: 'arn:aws:s3:::another-bucket/report.csv' }],
    ])).toEqual([]);
  });

  test('the migrating notifier sends to its queue and nothing else', async () => {
    // GIVEN the notifier's role and its queue
    const r = app.stack('Migration').resolved;
    const queue = r.getAtt(r.logicalIdOf('AWS::SQS::Queue', 'Notifications'), 'Arn');
    // WHEN send, receive and foreign requests are evaluated THEN only sending to its queue is allowed
    expect(await check(roleOf('Migration', 'Notifier'), [
      ['Allowed', { action: 'sqs:SendMessage', resource: queue }],
      ['Allowed', { action: 'sqs:GetQueueAttributes', resource: queue }],
      ['Denied', { action: 'sqs:SendMessage', resource: queue, context: { 'aws:SecureTransport': 'false' } }],
      ['Denied', { action: 'sqs:ReceiveMessage', resource: queue }],
      ['Denied', { action: 'sqs:DeleteMessage', resource: queue }],
      ['Denied', { action: 'sqs:PurgeQueue', resource: queue }],
      ['Denied', { action: 'sqs:SendMessage', resource: queue.replace(/:[^:]+$/, ':another-queue') }],
    ])).toEqual([]);
  });
});
