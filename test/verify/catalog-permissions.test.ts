/**
 * The catalog's least privilege, by evaluation: every entry, on Pod Identity
 * and on IRSA, is asked for the API calls its workload makes on its own
 * resources (allowed) and the same calls on another zone, bucket, key,
 * secret, queue, workspace or another cluster's tagged resources (denied);
 * and no statement allows writes on `*` without a condition unless the entry
 * records why.
 */
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { AddonIdentity, CatalogIdentity, IdentityMechanism, WorkloadServiceAccount } from '../../lib';
import { ACCOUNT, CatalogEntries, R, REGION, addEveryEntry, platformCluster } from '../aws/catalog/catalog-app';
import { ControllerCall, ControllerCalls } from '../aws/catalog/upstream/controller-calls';
import { keptUpstream, substitutedDocument, upstreamCases } from '../aws/catalog/upstream/upstream-diff';
import { evaluateDocument, evaluatePermission } from './permission-evaluator';
import { synthesize, SynthesizedApp } from './synthesized-app';
import { Decision, describeMismatch, evaluateTrustCases, trustCases, TrustResult } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { describeRole, SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

type Context = Record<string, string | string[]>;
type Case = [Decision, string, string, Context?];

const OTHER_ACCOUNT = '210987654321';
const ec2 = (type: string, account = ACCOUNT) => `arn:aws:ec2:${REGION}:${account}:${type}`;
const elb = (resource: string, account = ACCOUNT) => `arn:aws:elasticloadbalancing:${REGION}:${account}:${resource}`;
const zone = (id: string) => `arn:aws:route53:::hostedzone/${id}`;
const s3 = (key: string) => `arn:aws:s3:::${key}`;
const ssmParameter = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
const asg = (account = ACCOUNT) => `arn:aws:autoscaling:${REGION}:${account}:autoScalingGroup:11111111-2222-3333-4444-555555555555:autoScalingGroupName/platform-ng`;
const logStream = (group: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:log-stream:pod-1`;
const fileSystem = (id: string) => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`;
const OTHER = 'other-cluster';

/** The default key policy: it delegates to the account's IAM policies (KMS denies without a key policy). */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

/**
 * Entries with a folder in test/aws/catalog/upstream/ list their controller's
 * calls there (calls.ts, read from its source at the pinned release); the
 * others keep their cases here until they move.
 */
const UPSTREAM = upstreamCases();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CALLS: { [entry: string]: ControllerCalls } = Object.fromEntries(UPSTREAM.map(c => [c.key, require(`../aws/catalog/upstream/${c.key}/calls`).calls]));

/** Per entry without calls.ts: the calls its workload makes, in scope and out of scope. */
const CASES: { [entry: string]: Case[] } = {
  EfsCsiDriver: [
    ['Allowed', 'elasticfilesystem:CreateAccessPoint', fileSystem(R.fileSystem), { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' }],
    ['Denied', 'elasticfilesystem:CreateAccessPoint', fileSystem(R.fileSystem), { 'aws:RequestTag/team': 'payments' }],
    ['Denied', 'elasticfilesystem:CreateAccessPoint', fileSystem('fs-0fffffffffffffff0'), { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' }],
    ['Allowed', 'elasticfilesystem:DeleteAccessPoint', `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/fsap-1`, { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' }],
    ['Denied', 'elasticfilesystem:DeleteAccessPoint', `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/fsap-1`, { 'aws:ResourceTag/team': 'payments' }],
    ['Denied', 'elasticfilesystem:DeleteFileSystem', fileSystem(R.fileSystem)],
  ],
  FsxCsiDriver: [
    ['Allowed', 'fsx:CreateFileSystem', `arn:aws:fsx:${REGION}:${ACCOUNT}:file-system/*`],
    ['Denied', 'fsx:CreateFileSystem', `arn:aws:fsx:${REGION}:${OTHER_ACCOUNT}:file-system/*`],
    ['Allowed', 's3:ListBucket', s3(R.bucket)],
    ['Denied', 's3:ListBucket', s3(R.otherBucket)],
    ['Allowed', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx`, { 'iam:AWSServiceName': 'fsx.amazonaws.com' }],
    ['Denied', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`, { 'iam:AWSServiceName': 'ecs.amazonaws.com' }],
    ['Denied', 'iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/admin`],
  ],
  MountpointS3CsiDriver: [
    ['Allowed', 's3:GetObject', s3(`${R.bucket}/datasets/2024/a.parquet`)],
    ['Allowed', 's3:PutObject', s3(`${R.bucket}/datasets/2024/a.parquet`)],
    ['Allowed', 's3:ListBucket', s3(R.bucket), { 's3:prefix': 'datasets/2024/' }],
    ['Denied', 's3:ListBucket', s3(R.bucket), { 's3:prefix': 'private/' }],
    ['Denied', 's3:GetObject', s3(`${R.bucket}/private/a.parquet`)],
    ['Denied', 's3:GetObject', s3(`${R.otherBucket}/datasets/a.parquet`)],
    ['Denied', 's3:PutBucketPolicy', s3(R.bucket)],
  ],
  VpcCni: [
    ['Allowed', 'ec2:CreateNetworkInterface', ec2('network-interface/*'), { 'aws:RequestTag/cluster.k8s.amazonaws.com/name': 'platform' }],
    ['Denied', 'ec2:CreateNetworkInterface', ec2('network-interface/*'), { 'aws:RequestTag/cluster.k8s.amazonaws.com/name': OTHER }],
    ['Allowed', 'ec2:CreateNetworkInterface', ec2('subnet/subnet-1'), { 'ec2:Vpc': ec2(`vpc/${R.vpc}`) }],
    ['Denied', 'ec2:CreateNetworkInterface', ec2('subnet/subnet-1'), { 'ec2:Vpc': ec2(`vpc/${R.otherVpc}`) }],
    ['Allowed', 'ec2:DeleteNetworkInterface', ec2('network-interface/eni-1'), { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': 'platform' }],
    ['Denied', 'ec2:DeleteNetworkInterface', ec2('network-interface/eni-1'), { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': OTHER }],
    ['Allowed', 'ec2:AttachNetworkInterface', ec2('instance/i-1'), { 'aws:ResourceTag/kubernetes.io/cluster/platform': 'owned' }],
    ['Denied', 'ec2:AttachNetworkInterface', ec2('instance/i-1'), { [`aws:ResourceTag/kubernetes.io/cluster/${OTHER}`]: 'owned' }],
    ['Denied', 'ec2:TerminateInstances', ec2('instance/i-1')],
  ],
  VpcCniIpv6: [
    ['Allowed', 'ec2:AssignIpv6Addresses', ec2('network-interface/eni-1')],
    ['Denied', 'ec2:AssignPrivateIpAddresses', ec2('network-interface/eni-1')],
    ['Denied', 'ec2:DeleteNetworkInterface', ec2('network-interface/eni-1')],
  ],
  CloudWatchObservability: [
    ['Allowed', 'logs:PutLogEvents', logStream('/aws/containerinsights/platform/performance')],
    ['Denied', 'logs:PutLogEvents', logStream(`/aws/containerinsights/${OTHER}/performance`)],
    ['Denied', 'logs:PutLogEvents', logStream('/payments/audit')],
    ['Allowed', 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'ContainerInsights' }],
    ['Denied', 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/Billing' }],
    ['Allowed', 'xray:PutTraceSegments', '*'],
    ['Denied', 'logs:DeleteLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/containerinsights/platform/performance`],
  ],
  AdotCollector: [
    ['Allowed', 'aps:RemoteWrite', R.workspace],
    ['Denied', 'aps:RemoteWrite', R.otherWorkspace],
    ['Denied', 'aps:QueryMetrics', R.workspace],
    ['Allowed', 'xray:PutTraceSegments', '*'],
    ['Denied', 'aps:DeleteWorkspace', R.workspace],
  ],
  AwsGatewayApiController: [
    ['Allowed', 'vpc-lattice:CreateService', `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*`],
    ['Allowed', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice`, { 'iam:AWSServiceName': 'vpc-lattice.amazonaws.com' }],
    ['Denied', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`, { 'iam:AWSServiceName': 'ecs.amazonaws.com' }],
    ['Denied', 'ec2:CreateVpc', ec2('vpc/*')],
    ['Denied', 'elasticloadbalancing:CreateLoadBalancer', elb('loadbalancer/app/x/1')],
  ],
  CertManager: [
    ['Allowed', 'route53:ChangeResourceRecordSets', zone(R.zone), { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] }],
    ['Denied', 'route53:ChangeResourceRecordSets', zone(R.zone), { 'route53:ChangeResourceRecordSetsRecordTypes': ['A'] }],
    ['Denied', 'route53:ChangeResourceRecordSets', zone(R.zone), { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT', 'CNAME'] }],
    ['Denied', 'route53:ChangeResourceRecordSets', zone(R.zone)],
    ['Denied', 'route53:ChangeResourceRecordSets', zone(R.otherZone), { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] }],
    ['Allowed', 'route53:GetChange', 'arn:aws:route53:::change/C2682N5HXP0BZ4'],
    ['Allowed', 'route53:ListHostedZonesByName', '*'],
    ['Denied', 'route53:DeleteHostedZone', zone(R.zone)],
  ],
  AwsPrivateCaIssuer: [
    ['Allowed', 'acm-pca:IssueCertificate', R.ca],
    ['Allowed', 'acm-pca:GetCertificate', R.ca],
    ['Denied', 'acm-pca:IssueCertificate', R.otherCa],
    ['Denied', 'acm-pca:DeleteCertificateAuthority', R.ca],
  ],
  ClusterAutoscaler: [
    ['Allowed', 'autoscaling:SetDesiredCapacity', asg(), { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/platform': 'owned' }],
    ['Denied', 'autoscaling:SetDesiredCapacity', asg(), { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', [`aws:ResourceTag/k8s.io/cluster-autoscaler/${OTHER}`]: 'owned' }],
    ['Denied', 'autoscaling:TerminateInstanceInAutoScalingGroup', asg(), { 'aws:ResourceTag/k8s.io/cluster-autoscaler/platform': 'owned' }],
    ['Allowed', 'autoscaling:DescribeAutoScalingGroups', '*'],
    ['Denied', 'autoscaling:DeleteAutoScalingGroup', asg(), { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/platform': 'owned' }],
  ],
  ExternalSecrets: [
    ['Allowed', 'secretsmanager:GetSecretValue', R.secret],
    ['Denied', 'secretsmanager:GetSecretValue', R.otherSecret],
    ['Denied', 'secretsmanager:PutSecretValue', R.secret],
    ['Allowed', 'ssm:GetParameter', ssmParameter('/platform/db/url')],
    ['Denied', 'ssm:GetParameter', ssmParameter('/payments/db/url')],
    ['Denied', 'ssm:PutParameter', ssmParameter('/platform/db/url')],
    ['Allowed', 'kms:Decrypt', R.key],
    ['Denied', 'kms:Decrypt', R.otherKey],
  ],
  SecretsStoreCsiProvider: [
    ['Allowed', 'secretsmanager:GetSecretValue', R.secret],
    ['Denied', 'secretsmanager:GetSecretValue', R.otherSecret],
    ['Allowed', 'ssm:GetParameters', ssmParameter('/platform/checkout/url')],
    ['Denied', 'ssm:GetParameters', ssmParameter('/platform/other/url')],
  ],
  Velero: [
    ['Allowed', 's3:PutObject', s3(`${R.backupBucket}/velero/backups/nightly/a.tar.gz`)],
    ['Denied', 's3:PutObject', s3(`${R.backupBucket}/other/a.tar.gz`)],
    ['Denied', 's3:PutObject', s3(`${R.otherBucket}/velero/a.tar.gz`)],
    ['Allowed', 'ec2:CreateSnapshot', ec2('volume/vol-1')],
    ['Allowed', 'kms:GenerateDataKey', R.key],
    ['Denied', 'kms:GenerateDataKey', R.otherKey],
    ['Denied', 's3:DeleteBucket', s3(R.backupBucket)],
  ],
  NodeTerminationHandler: [
    ['Allowed', 'sqs:ReceiveMessage', R.queue],
    ['Allowed', 'sqs:DeleteMessage', R.queue],
    ['Denied', 'sqs:ReceiveMessage', R.otherQueue],
    ['Denied', 'sqs:SendMessage', R.queue],
    ['Allowed', 'autoscaling:CompleteLifecycleAction', asg()],
    ['Denied', 'autoscaling:CompleteLifecycleAction', asg(OTHER_ACCOUNT)],
  ],
  PrometheusIngest: [
    ['Allowed', 'aps:RemoteWrite', R.workspace],
    ['Denied', 'aps:RemoteWrite', R.otherWorkspace],
    ['Denied', 'aps:QueryMetrics', R.workspace],
  ],
  PrometheusQuery: [
    ['Allowed', 'aps:QueryMetrics', R.workspace],
    ['Allowed', 'aps:GetSeries', R.workspace],
    ['Denied', 'aps:QueryMetrics', R.otherWorkspace],
    ['Denied', 'aps:RemoteWrite', R.workspace],
  ],
  FluentBit: [
    ['Allowed', 'logs:PutLogEvents', logStream(R.logGroup)],
    ['Allowed', 'logs:CreateLogStream', logStream(R.logGroup)],
    ['Denied', 'logs:PutLogEvents', logStream('/payments/audit')],
    ['Denied', 'logs:CreateLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/platform/new`],
    ['Denied', 'logs:DeleteLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${R.logGroup}`],
  ],
};

const STACKS: [string, IdentityMechanism][] = [['CatalogPodIdentity', IdentityMechanism.POD_IDENTITY], ['CatalogIrsa', IdentityMechanism.IRSA]];
const entriesByStack: { [stack: string]: CatalogEntries } = {};
// One app per mechanism: a ServiceAccount of one cluster carries one role per app.
const apps: { [stack: string]: SynthesizedApp } = {};
const roles: { [stack: string]: SynthesizedWorkloadRole[] } = {};

beforeAll(() => {
  for (const [stackName, mechanism] of STACKS) {
    apps[stackName] = synthesize([{
      name: 'catalog',
      build: (awsApp, k8s) => {
        const stack = new cdk.Stack(awsApp, stackName, { env: { account: ACCOUNT, region: REGION } });
        entriesByStack[stackName] = addEveryEntry(stack, platformCluster(stack), mechanism);
        // The Kubernetes side of every entry that is not an installed add-on (add-ons own their ServiceAccounts).
        const entries = Object.values(entriesByStack[stackName]).filter(x => !(x instanceof AddonIdentity && x.addon));
        // One cluster: its cdk8s app (one folder) holds them all.
        const chart = new cdk8s.Chart(k8s.app(entries[0].binding.clusterName), stackName.toLowerCase());
        for (const e of entries) {
          new WorkloadServiceAccount(chart, `${e.node.id}-sa`, { binding: e.binding, automountToken: true });
        }
      },
    }]);
    roles[stackName] = workloadRoles(apps[stackName]);
  }
});
afterAll(() => Object.values(apps).forEach(a => a.dispose()));

function roleOf(stackName: string, entry: CatalogIdentity): SynthesizedWorkloadRole {
  const role = roles[stackName].find(r => r.stackName === stackName && r.declared?.path === entry.identity.node.path);
  if (!role) { throw new Error(`No synthesized role for ${entry.node.path}`); }
  return role;
}

test('every catalog entry has evaluation cases, in and out of scope', () => {
  const entries = entriesByStack.CatalogPodIdentity;
  expect([...Object.keys(CASES), ...Object.keys(CALLS)].sort()).toEqual(Object.keys(entries).sort());
  for (const [name, cases] of Object.entries(CASES)) {
    expect([name, cases.some(c => c[0] === 'Allowed'), cases.some(c => c[0] === 'Denied')]).toEqual([name, true, true]);
  }
  for (const [name, calls] of Object.entries(CALLS)) {
    const list = calls(entries[name]);
    expect([name, list.some(c => c.expect === 'Allowed'), list.some(c => c.expect === 'Denied')]).toEqual([name, true, true]);
  }
});

/** A call's decision: allowed when AWS allows every one of its requests. */
async function decide(call: ControllerCall, evaluate: (r: ControllerCall['requests'][number]) => Promise<Decision>): Promise<Decision> {
  for (const request of call.requests) {
    if (await evaluate(request) === 'Denied') { return 'Denied'; }
  }
  return 'Allowed';
}

describe.each(STACKS.map(s => s[0]))('%s: controller calls', stackName => {
  test.each(Object.keys(CALLS))('%s: its controller\'s normal calls are allowed, out-of-scope calls denied, as upstream decides unless marked', async name => {
    // GIVEN the entry's synthesized role, its controller's calls and the kept upstream document
    const entry = entriesByStack[stackName][name];
    const role = roleOf(stackName, entry);
    const upstreamCase = UPSTREAM.find(c => c.key === name)!;
    const upstream = substitutedDocument(keptUpstream(name, entry.upstream.version), upstreamCase.placeholderValues);
    const mismatches: string[] = [];
    for (const call of CALLS[name](entry)) {
      // WHEN each call's requests are evaluated against the role and against the upstream document
      const resourcePolicy = (action: string) => action.startsWith('kms:') ? DEFAULT_KEY_POLICY : undefined;
      const actual = await decide(call, r => evaluatePermission(apps[stackName], role, { ...r, resourcePolicy: resourcePolicy(r.action) }).then(x => x.actual));
      const byUpstream = await decide(call, r => evaluateDocument(role.account, upstream, { ...r, resourcePolicy: resourcePolicy(r.action) }));
      recordStat(actual === 'Allowed' ? 'permissionAllowed' : 'permissionDenied');
      // THEN the entry decides as expected, and upstream as recorded
      if (actual !== call.expect) { mismatches.push(`${call.call}: expected ${call.expect}, got ${actual} (${JSON.stringify(call.requests)})`); }
      if (byUpstream !== (call.upstream ?? call.expect)) { mismatches.push(`${call.call}: upstream expected ${call.upstream ?? call.expect}, got ${byUpstream}`); }
    }
    expect(mismatches).toEqual([]);
  });
});

describe.each(STACKS.map(s => s[0]))('%s', stackName => {
  test.each(Object.keys(CASES))('%s can make its calls on its resources and not on others', async name => {
    // GIVEN the entry's synthesized role
    const role = roleOf(stackName, entriesByStack[stackName][name]);
    // WHEN each call is evaluated against its identity policies
    const mismatches: string[] = [];
    for (const [expected, action, resource, context] of CASES[name]) {
      const resourcePolicy = action.startsWith('kms:') ? DEFAULT_KEY_POLICY : undefined;
      const result = await evaluatePermission(apps[stackName], role, { action, resource, context, resourcePolicy });
      recordStat(result.actual === 'Allowed' ? 'permissionAllowed' : 'permissionDenied');
      if (result.actual !== expected) { mismatches.push(`${action} on ${resource} ${JSON.stringify(context ?? {})}: expected ${expected}, got ${result.actual}`); }
    }
    // THEN each decision is the expected one
    expect(mismatches).toEqual([]);
  });

  test('no statement allows writes on * without a condition unless its entry says why', () => {
    // GIVEN every role's resolved identity policies
    const isRead = (a: string) => /^[a-z0-9-]+:(Describe|List|Get|Search|Lookup|BatchGet)/.test(a);
    const unexplained: string[] = [];
    for (const entry of Object.values(entriesByStack[stackName])) {
      for (const p of roleOf(stackName, entry).identityPolicies) {
        for (const s of p.policy.Statement) {
          const writes = [s.Action].flat().filter((a: string) => !isRead(a));
          // WHEN a statement allows a write on * with no condition THEN the entry records its reason
          if ([s.Resource].flat().includes('*') && !s.Condition && writes.length > 0 && !entry.wildcardWriteReasons[s.Sid]) {
            unexplained.push(`${entry.node.id}/${s.Sid}: ${writes.join(', ')}`);
          }
        }
      }
    }
    expect(unexplained).toEqual([]);
  });
});

describe('trust of every catalog role', () => {
  test.each(STACKS.map(s => s[0]))('%s: each role admits exactly its ServiceAccount and denies every neighbour', async stackName => {
    // GIVEN every catalog role with its callers (Pod Identity: standalone and add-on associations; IRSA: annotated ServiceAccounts)
    const results: TrustResult[] = [];
    for (const role of roles[stackName]) {
      // WHEN its own and its neighbours' requests are evaluated against its trust policy
      results.push(...await evaluateTrustCases(trustCases(role, roles[stackName])));
    }
    for (const r of results) {
      const irsa = r.trustCase.mechanism === 'IRSA';
      recordStat(r.actual === 'Allowed' ? (irsa ? 'trustIrsaAllowed' : 'trustPodIdentityAllowed') : (irsa ? 'trustIrsaDenied' : 'trustPodIdentityDenied'));
    }
    // THEN each decision is the expected one
    expect(results.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch)).toEqual([]);
    const allowed = results.filter(r => r.actual === 'Allowed').map(r => describeRole(r.trustCase.role));
    const entries = Object.values(entriesByStack[stackName]);
    if (stackName === 'CatalogPodIdentity') {
      // Every entry, add-ons through their add-on's association: AssumeRole and TagSession each.
      expect(allowed.length).toBe(entries.length * 2);
    } else {
      // IRSA: the ServiceAccounts this app renders (the add-ons annotate their own, outside the manifests).
      expect(allowed.length).toBe(entries.filter(e => !(e instanceof AddonIdentity && e.addon)).length);
    }
    expect(results.filter(r => r.actual === 'Denied').length).toBeGreaterThan(entries.length * 5);
  });
});
