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
import { ACCOUNT, CatalogEntries, REGION, addEveryEntry, platformCluster } from '../aws/catalog/catalog-app';
import { ControllerCall, ControllerCalls } from '../aws/catalog/upstream/controller-calls';
import { keptUpstream, substitutedDocument, upstreamCases } from '../aws/catalog/upstream/upstream-diff';
import { evaluateDocument, evaluatePermission } from './permission-evaluator';
import { synthesize, SynthesizedApp } from './synthesized-app';
import { Decision, describeMismatch, evaluateTrustCases, trustCases, TrustResult } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { describeRole, SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

/** The default key policy: it delegates to the account's IAM policies (KMS denies without a key policy). */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

/** Every entry's controller calls: test/aws/catalog/upstream/<Entry>/calls.ts, read from its source at the pinned release. */
const UPSTREAM = upstreamCases();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CALLS: { [entry: string]: ControllerCalls } = Object.fromEntries(UPSTREAM.map(c => [c.key, require(`../aws/catalog/upstream/${c.key}/calls`).calls]));

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
  expect(Object.keys(CALLS).sort()).toEqual(Object.keys(entries).sort());
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
