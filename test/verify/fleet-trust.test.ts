/**
 * Fleet trust (issue 14 part 4), evaluated with iam-simulate: the fleet
 * example's one role packed for eight clusters, and a shared role whose
 * ServiceAccounts run on different subsets of clusters. Every declared
 * (cluster, namespace, ServiceAccount) is allowed; every cross-combination the
 * packing could have admitted, another cluster, account or organization is denied.
 */
import * as cdk from 'aws-cdk-lib';
import { EXAMPLES } from '../../examples';
import { FLEET_CLUSTERS, FLEET_NAT_CIDRS, FLEET_ORGANIZATION } from '../../examples/fleet';
import { WorkloadCluster, WorkloadIdentity } from '../../lib';
import { synthesize, SynthesizedApp } from './synthesized-app';
import { describeMismatch, evaluateTrustCases, EXAMPLE_NAT_CIDR, EXAMPLE_ORGANIZATION, EXAMPLE_SOURCE_IP, POD_IDENTITY_PRINCIPAL, TrustCase, trustMismatches } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const REGION = 'eu-west-1';
const arnOf = (name: string, account = ACCOUNT) => `arn:aws:eks:${REGION}:${account}:cluster/${name}`;

/** The request EKS Pod Identity makes for an association (EKS user guide, pod-id-abac), in the organization. */
function podIdentityCase(role: SynthesizedWorkloadRole, expect: 'Allowed' | 'Denied', clusterArn: string, namespace: string, serviceAccount: string,
  variation: string, organization: string | null = FLEET_ORGANIZATION): TrustCase {
  const account = clusterArn.split(':')[4];
  const tags: Record<string, string> = {
    'eks-cluster-arn': clusterArn, 'eks-cluster-name': clusterArn.split('/').pop()!, 'kubernetes-namespace': namespace,
    'kubernetes-service-account': serviceAccount, 'kubernetes-pod-name': `${serviceAccount}-7d4b9c8f6-x2x9z`, 'kubernetes-pod-uid': '0b1e3a2c-5d4f-4e6a-9b8c-7d6e5f4a3b2c',
  };
  const context: Record<string, string | string[]> = { 'aws:SourceAccount': account, 'aws:SourceArn': clusterArn, ...organization ? { 'aws:SourceOrgID': organization } : {} };
  for (const [k, v] of Object.entries(tags)) { context[`aws:RequestTag/${k}`] = v; }
  context['aws:TagKeys'] = Object.keys(tags);
  return { role, mechanism: 'POD_IDENTITY', expect, serviceAccount: `${namespace}/${serviceAccount}`, variation, principal: POD_IDENTITY_PRINCIPAL, action: 'sts:AssumeRole', context };
}

async function mismatches(cases: TrustCase[]): Promise<string[]> {
  const results = await evaluateTrustCases(cases);
  recordStat('layoutTrustCases', results.length);
  return results.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch);
}

describe('the fleet example: one role, eight clusters, one statement', () => {
  let app: SynthesizedApp;
  let role: SynthesizedWorkloadRole;
  beforeAll(() => {
    app = synthesize(EXAMPLES.filter(e => e.name === 'fleet'));
    role = workloadRoles(app, { rolesOnly: true }).find(r => r.stackName === 'Fleet')!;
  });
  afterAll(() => app?.dispose());

  test('the trust is one statement listing the eight cluster ARNs', () => {
    const statements = [role.trustPolicy.Statement].flat() as any[];
    expect(statements).toHaveLength(1);
    expect(statements[0].Condition.StringEquals['aws:RequestTag/eks-cluster-arn']).toEqual(FLEET_CLUSTERS.map(c => arnOf(c)));
  });

  test('each cluster\'s ledger-writer is allowed; another cluster, account, namespace, ServiceAccount or organization is denied', async () => {
    const cases: TrustCase[] = [];
    for (const cluster of FLEET_CLUSTERS) {
      cases.push(podIdentityCase(role, 'Allowed', arnOf(cluster), 'ledger', 'ledger-writer', `its own association on ${cluster}`));
      cases.push(podIdentityCase(role, 'Denied', arnOf(cluster), 'ledger', 'ledger-writer', 'without the organization', null));
      cases.push(podIdentityCase(role, 'Denied', arnOf(cluster), 'ledger', 'ledger-writer', 'from another organization', 'o-zzzzzzzzzz'));
      cases.push(podIdentityCase(role, 'Denied', arnOf(cluster), 'ledger', 'ledger-reader', 'another ServiceAccount'));
      cases.push(podIdentityCase(role, 'Denied', arnOf(cluster), 'payments', 'ledger-writer', 'another namespace'));
      cases.push(podIdentityCase(role, 'Denied', arnOf(cluster, OTHER_ACCOUNT), 'ledger', 'ledger-writer', 'the same cluster name in another account'));
    }
    cases.push(podIdentityCase(role, 'Denied', arnOf('prod-blue-09'), 'ledger', 'ledger-writer', 'a cluster outside the fleet'));
    expect(await mismatches(cases)).toEqual([]);
  });

  test('the exporter (IRSA) is allowed from the NAT addresses only: from another address, or with none (an STS VPC endpoint), denied', async () => {
    const exporter = workloadRoles(app, { rolesOnly: true }).find(r => r.logicalId.startsWith('Exporter'))!;
    const issuer = `oidc.eks.${REGION}.amazonaws.com/id/F1EE7${'1'.padStart(27, '0')}`;
    const token = { [`${issuer}:sub`]: 'system:serviceaccount:exports:exporter', [`${issuer}:aud`]: 'sts.amazonaws.com' };
    const irsaCase = (expect: 'Allowed' | 'Denied', sourceIp: string | undefined, variation: string): TrustCase => ({
      role: exporter, mechanism: 'IRSA', expect, serviceAccount: 'exports/exporter', variation, issuer,
      principal: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}`, action: 'sts:AssumeRoleWithWebIdentity',
      context: { ...token, ...sourceIp ? { 'aws:SourceIp': sourceIp } : {} },
    });
    expect(await mismatches([
      irsaCase('Allowed', '203.0.113.1', 'from the first NAT address'),
      irsaCase('Allowed', '203.0.113.14', 'from the last NAT address'),
      irsaCase('Denied', '203.0.113.16', 'from the address after the range'),
      irsaCase('Denied', '198.51.100.7', 'from another network'),
      irsaCase('Denied', undefined, 'with no source address'),
    ])).toEqual([]);
  });

  test('the generic trust cases (their requests carry the organization and a NAT address) find no wrong allow or deny', async () => {
    expect(EXAMPLE_ORGANIZATION).toBe(FLEET_ORGANIZATION);
    expect([EXAMPLE_NAT_CIDR]).toEqual(FLEET_NAT_CIDRS);
    expect(EXAMPLE_SOURCE_IP.startsWith('203.0.113.')).toBe(true);
    const roles = workloadRoles(app);
    const { mismatches: wrong, cases } = await trustMismatches(roles);
    recordStat('layoutTrustCases', cases);
    expect(cases).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });
});

describe('packing admits no cross-combination', () => {
  test('api on c1 and c2, worker on c2 only: only those are allowed, and nothing of another account', async () => {
    // GIVEN a shared role whose ServiceAccounts run on different clusters
    const build = (awsApp: cdk.App) => {
      const stack = new cdk.Stack(awsApp, 'Packing', { env: { account: ACCOUNT, region: REGION } });
      const cluster = (name: string, account = ACCOUNT) => WorkloadCluster.fromClusterAttributes(stack, `${name}${account}`, { clusterName: name, clusterArn: arnOf(name, account) });
      const [c1, c2] = [cluster('c1'), cluster('c2')];
      const identity = new WorkloadIdentity(stack, 'Shared', { cluster: c1, namespace: 'payments', serviceAccountName: 'api', createPodIdentityAssociations: false });
      identity.addSubject({ cluster: c2, namespace: 'payments', serviceAccountName: 'worker' });
      identity.addSubject({ cluster: c2, namespace: 'payments', serviceAccountName: 'api' });
    };
    const app = synthesize([{ name: 'packing', build }]);
    try {
      const role = workloadRoles(app, { rolesOnly: true })[0];
      const declared = new Set(['c1|api', 'c2|worker', 'c2|api']);
      const cases: TrustCase[] = [];
      // WHEN every (cluster, ServiceAccount) combination of the declared values asks
      for (const [name, account] of [['c1', ACCOUNT], ['c2', ACCOUNT], ['c3', ACCOUNT], ['c1', OTHER_ACCOUNT], ['c2', OTHER_ACCOUNT]]) {
        for (const sa of ['api', 'worker']) {
          const ok = account === ACCOUNT && declared.has(`${name}|${sa}`);
          cases.push(podIdentityCase(role, ok ? 'Allowed' : 'Denied', arnOf(name, account), 'payments', sa, `${sa} on ${name} in ${account}`, null));
        }
      }
      // THEN only the declared ones are allowed (worker on c1: denied although c1 and worker are both in the trust)
      expect(await mismatches(cases)).toEqual([]);
      expect(cases.filter(c => c.expect === 'Allowed')).toHaveLength(3);
    } finally {
      app.dispose();
    }
  });
});
