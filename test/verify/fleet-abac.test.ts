/**
 * ABAC by the session tags EKS Pod Identity sends (issue 14 part 2),
 * evaluated with iam-simulate on the fleet example's shared tenants role: a
 * pod of one namespace reaches its own objects and not another tenant's, and
 * a session without the tag (IRSA, tags disabled) reaches nothing. The
 * per-association session policy is evaluated as the intersection it is.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { EXAMPLES } from '../../examples';
import { TENANTS } from '../../examples/fleet';
import { evaluatePermission, PermissionRequest } from './permission-evaluator';
import { synthesize, SynthesizedApp } from './synthesized-app';
import { Decision, trustMismatches } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

let app: SynthesizedApp;
let tenants: SynthesizedWorkloadRole;
let bucketArn: string;

beforeAll(() => {
  app = synthesize(EXAMPLES.filter(e => e.name === 'fleet'));
  tenants = workloadRoles(app).find(r => r.logicalId.startsWith('Tenants'))!;
  const fleet = app.stack('Fleet').resolved;
  bucketArn = fleet.getAtt(fleet.logicalIdOf('AWS::S3::Bucket', 'TenantData'), 'Arn') as string;
});
afterAll(() => app?.dispose());

/** The principal tags of a Pod Identity session of `namespace` (none: a session without tags). */
const sessionOf = (namespace?: string): Record<string, string> => namespace === undefined ? {} : {
  'aws:PrincipalTag/kubernetes-namespace': namespace, 'aws:PrincipalTag/kubernetes-service-account': 'tenant-app',
  'aws:PrincipalTag/eks-cluster-name': 'prod-blue-01',
};

async function decide(request: PermissionRequest): Promise<Decision> {
  const result = await evaluatePermission(app, tenants, request);
  recordStat(result.actual === 'Allowed' ? 'permissionAllowed' : 'permissionDenied');
  return result.actual;
}

test('the tenants role admits exactly its two ServiceAccounts', async () => {
  const { mismatches, cases } = await trustMismatches([tenants]);
  expect(tenants.podIdentityCallers.map(a => a.namespace)).toEqual(TENANTS);
  expect(cases).toBeGreaterThan(20);
  expect(mismatches).toEqual([]);
});

test.each(TENANTS)('a pod of %s reads and writes its own objects, and no other tenant\'s', async (own) => {
  const other = TENANTS.find(t => t !== own)!;
  const cases: [Decision, string, string, string | undefined][] = [
    ['Allowed', 's3:GetObject', `${bucketArn}/${own}/report.csv`, own],
    ['Allowed', 's3:PutObject', `${bucketArn}/${own}/2026/report.csv`, own],
    ['Denied', 's3:GetObject', `${bucketArn}/${other}/report.csv`, own],
    ['Denied', 's3:PutObject', `${bucketArn}/${other}/report.csv`, own],
    ['Denied', 's3:GetObject', `${bucketArn}/${own}-x/report.csv`, own],
    ['Denied', 's3:GetObject', `${bucketArn}/report.csv`, own],
    ['Denied', 's3:DeleteObject', `${bucketArn}/${own}/report.csv`, own],
    ['Denied', 's3:GetObject', `arn:aws:s3:::another-bucket/${own}/report.csv`, own],
    // A session without the tag (IRSA, or session tags disabled) reaches nothing.
    ['Denied', 's3:GetObject', `${bucketArn}/${own}/report.csv`, undefined],
  ];
  const wrong: string[] = [];
  for (const [expect_, action, resource, namespace] of cases) {
    const actual = await decide({ action, resource, context: sessionOf(namespace) });
    if (actual !== expect_) { wrong.push(`${action} on ${resource} as ${namespace ?? 'an untagged session'}: expected ${expect_}, got ${actual}`); }
  }
  expect(wrong).toEqual([]);
});

test('a session policy narrows the role: the intersection, never more', async () => {
  // GIVEN the role's identity policy and an association's session policy for tenant-a's reports only
  const sessionPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/tenant-a/reports/*` }] };
  const decideWith = async (action: string, resource: string) => {
    const response = await runSimulation({
      request: {
        principal: `arn:aws:sts::${tenants.account}:assumed-role/${tenants.arn.split('/').pop()}/pod`, action,
        resource: { resource, accountId: tenants.account }, contextVariables: { 'aws:SecureTransport': 'true', ...sessionOf('tenant-a') },
      },
      identityPolicies: tenants.identityPolicies.map(p => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [], resourceControlPolicies: [], sessionPolicy,
    } as any, {});
    if (response.resultType !== 'single') { throw new Error(`iam-simulate: ${JSON.stringify(response)}`); }
    return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
  };
  // THEN what both allow is allowed; what only the role allows is denied; the session policy adds nothing
  expect(await decideWith('s3:GetObject', `${bucketArn}/tenant-a/reports/q1.csv`)).toBe('Allowed');
  expect(await decideWith('s3:GetObject', `${bucketArn}/tenant-a/other.csv`)).toBe('Denied');
  expect(await decideWith('s3:PutObject', `${bucketArn}/tenant-a/reports/q1.csv`)).toBe('Denied');
  expect(await decideWith('s3:GetObject', `${bucketArn}/tenant-b/reports/q1.csv`)).toBe('Denied');
});
