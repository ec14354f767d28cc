/**
 * Cross-account target roles (issue 14 part 1), evaluated with iam-simulate:
 * the target role in the data account admits exactly the identity's role in
 * the cluster's account, for both steps of the deployment: step 1 (ExternalId
 * not yet known) admits that role only; step 2 also requires the
 * association's ExternalId. Nothing else is admitted at either step.
 */
import * as cdk from 'aws-cdk-lib';
import { EXAMPLES } from '../../examples';
import { PodIdentityTargetRole, WorkloadCluster, WorkloadIdentity } from '../../lib';
import { synthesize } from './synthesized-app';
import { Decision, evaluateRoleChain } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { PolicyDocument } from './workload-roles';

const CLUSTER_ACCOUNT = '123456789012';
const DATA_ACCOUNT = '210987654321';
const STRANGER_ACCOUNT = '999999999999';
const REGION = 'eu-west-1';
const EXTERNAL_ID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

/** Synthesizes the two-account layout at one step; returns the target's trust, its ARN and the identity's role ARN. */
function targetTrust(externalIds?: string[]): { trust: PolicyDocument; targetArn: string; sourceRoleArn: string } {
  let targetArn = '';
  let sourceRoleArn = '';
  const app = synthesize([{
    name: 'cross-account',
    build: (awsApp: cdk.App) => {
      const workloads = new cdk.Stack(awsApp, 'Workloads', { env: { account: CLUSTER_ACCOUNT, region: REGION } });
      const data = new cdk.Stack(awsApp, 'Data', { env: { account: DATA_ACCOUNT, region: REGION } });
      const cluster = WorkloadCluster.fromClusterAttributes(workloads, 'Cluster', { clusterName: 'prod', clusterArn: `arn:aws:eks:${REGION}:${CLUSTER_ACCOUNT}:cluster/prod` });
      const identity = new WorkloadIdentity(workloads, 'Reporter', { cluster, namespace: 'reports', serviceAccountName: 'reporter' });
      const target = new PodIdentityTargetRole(data, 'ReporterTarget', { identity, externalIds });
      targetArn = target.roleArn;
      sourceRoleArn = identity.primaryBinding.roleArn!;
    },
  }]);
  try {
    const r = app.stack('Data').resolved;
    const [id] = r.logicalIdsOfType('AWS::IAM::Role');
    return { trust: r.properties(id).AssumeRolePolicyDocument, targetArn, sourceRoleArn };
  } finally {
    app.dispose();
  }
}

async function decide(trust: PolicyDocument, targetArn: string, roleArn: string, action: string, externalId?: string): Promise<Decision> {
  const actual = await evaluateRoleChain(trust, targetArn, roleArn, action, externalId);
  recordStat(actual === 'Allowed' ? 'permissionAllowed' : 'permissionDenied');
  return actual;
}

type Case = [Decision, string, (source: string) => string, string | undefined];
const otherRole = (source: string) => source.replace(/role\/.*$/, 'role/another-role');
const strangerRole = (source: string) => source.replace(`:${CLUSTER_ACCOUNT}:`, `:${STRANGER_ACCOUNT}:`);

async function mismatches(step: PolicyDocument, targetArn: string, sourceRoleArn: string, cases: Case[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const [expected, action, who, externalId] of cases) {
    const roleArn = who(sourceRoleArn);
    const actual = await decide(step, targetArn, roleArn, action, externalId);
    if (actual !== expected) { wrong.push(`${action} by ${roleArn} with ExternalId ${externalId ?? '(none)'}: expected ${expected}, got ${actual}`); }
  }
  return wrong;
}

test('step 1 (ExternalId unknown): exactly the identity\'s role, nothing else of its account or another', async () => {
  const { trust, targetArn, sourceRoleArn } = targetTrust();
  expect(await mismatches(trust, targetArn, sourceRoleArn, [
    ['Allowed', 'sts:AssumeRole', s => s, undefined],
    ['Allowed', 'sts:TagSession', s => s, undefined],
    ['Denied', 'sts:AssumeRole', otherRole, undefined],
    ['Denied', 'sts:TagSession', otherRole, undefined],
    ['Denied', 'sts:AssumeRole', strangerRole, undefined],
  ])).toEqual([]);
});

test('step 2 (ExternalId known): the identity\'s role with the association\'s ExternalId only', async () => {
  const { trust, targetArn, sourceRoleArn } = targetTrust([EXTERNAL_ID]);
  expect(await mismatches(trust, targetArn, sourceRoleArn, [
    ['Allowed', 'sts:AssumeRole', s => s, EXTERNAL_ID],
    ['Allowed', 'sts:TagSession', s => s, EXTERNAL_ID],
    ['Denied', 'sts:AssumeRole', s => s, undefined],
    ['Denied', 'sts:AssumeRole', s => s, 'another-external-id'],
    ['Denied', 'sts:AssumeRole', otherRole, EXTERNAL_ID],
    ['Denied', 'sts:AssumeRole', strangerRole, EXTERNAL_ID],
    ['Denied', 'sts:TagSession', otherRole, EXTERNAL_ID],
  ])).toEqual([]);
});

test('the fleet example\'s reporter: its target role in the data account admits exactly the reporter\'s role (step 1)', async () => {
  const app = synthesize(EXAMPLES.filter(e => e.name === 'fleet'));
  try {
    const data = app.stack('FleetData').resolved;
    const fleet = app.stack('Fleet').resolved;
    const targetId = data.logicalIdOf('AWS::IAM::Role', 'ReporterTarget');
    const trust = data.properties(targetId).AssumeRolePolicyDocument;
    const targetArn = data.getAtt(targetId, 'Arn') as string;
    const sourceRoleArn = fleet.getAtt(fleet.logicalIdOf('AWS::IAM::Role', 'Reporter'), 'Arn') as string;
    // The association names the target by the same ARN.
    const association = fleet.logicalIdsOfType('AWS::EKS::PodIdentityAssociation').map(id => fleet.properties(id)).find(p => p.Namespace === 'reports')!;
    expect(association.TargetRoleArn).toBe(targetArn);
    expect(await mismatches(trust, targetArn, sourceRoleArn, [
      ['Allowed', 'sts:AssumeRole', s => s, undefined],
      ['Allowed', 'sts:TagSession', s => s, undefined],
      ['Denied', 'sts:AssumeRole', otherRole, undefined],
      ['Denied', 'sts:AssumeRole', strangerRole, undefined],
    ])).toEqual([]);
  } finally {
    app.dispose();
  }
});
