/**
 * The fleet features (issue 14 §1, §2, §4) in the generated layouts: what an
 * identity of a layout may add on top of its subjects, how it is built with
 * the public API, when it must be refused, and how a delivered app is
 * evaluated for it. Kept apart from layout-scenario.ts, which only carries a
 * `FleetSpec` per identity and calls these.
 *
 * - Added trust conditions: `irsa.additionalTrustConditions` (the NAT
 *   addresses) and `podIdentity.additionalTrustConditions` (the
 *   organization). Every trust case is sent from inside them (declared-layout.ts);
 *   each allowed case again from outside: denied where the identity added
 *   them, as before where it did not.
 * - A cross-account target role (`PodIdentityTargetRole`) in a stack of a data
 *   account, at step 1 or 2 (ExternalId known), or in the identity's own stack
 *   (refused). Its trust admits exactly the identity's role (and only with
 *   the ExternalId at step 2), every other role of the app, another role of the
 *   source account and a stranger account's role denied; every association of
 *   the identity names it, no other does; the identity's role may assume it.
 * - An ABAC grant by the `kubernetes-namespace` session tag
 *   (`bucket.grantRead(identity, '${tag}/*')`): a pod of each declared
 *   namespace reads its own objects and no other namespace's; an untagged
 *   session reads nothing. Refused where a subject can use IRSA or session
 *   tags are off.
 */
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { IdentityMechanism, PodIdentityTargetRole, PodSessionTag, WorkloadIdentity } from '../../lib';
import { evaluatePermission } from './permission-evaluator';
import { RefusalReason } from './refusal-classes';
import { SynthesizedApp } from './synthesized-app';
import { Decision, EXAMPLE_NAT_CIDR, EXAMPLE_ORGANIZATION, evaluateRoleChain, TrustCase } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { describeRole, SynthesizedWorkloadRole } from './workload-roles';

/** The account of the target roles' stacks: no cluster or identity of a layout is there. */
export const DATA_ACCOUNT = '333333333333';
const EXTERNAL_ID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE00000';
// Every trust case comes from EXAMPLE_SOURCE_IP, inside this range (declared-layout.ts).
const NAT_CIDR = EXAMPLE_NAT_CIDR;
const OUTSIDE_NAT = '198.51.100.17';
const OTHER_ORGANIZATION = 'o-0therorg000';
const STRANGER_ACCOUNT = '999999999999';

export interface FleetSpec {
  /** `irsa.additionalTrustConditions`: web-identity requests only from the NAT addresses. */
  readonly irsaConditions: boolean;
  /** `podIdentity.additionalTrustConditions`: Pod Identity requests only from the organization. */
  readonly podIdentityConditions: boolean;
  /** A `PodIdentityTargetRole`: in a stack of the data account, or (refused) in the identity's own stack; at step 2 with an ExternalId. */
  readonly targetRole?: { readonly where: 'data' | 'identity'; readonly externalIds: boolean };
  /** A bucket's objects granted by the `kubernetes-namespace` session tag. */
  readonly sessionTagGrant: boolean;
  /** Keep a target role or session-tag grant the identity's subjects cannot have (refused), instead of dropping it. */
  readonly keepUnfit: boolean;
  /** The target role and grant come after the first subject, before the others (which they must cover as well). */
  readonly early: boolean;
  /**
   * Issue 18 §1, tokens in added conditions: 'operator', the operator of the added conditions is a token that
   * resolves to the one drawn (the same conditions, delivered exactly or refused naming the option); 'ownKey', an
   * IRSA condition whose key is a token resolving to the issuer's `:sub` key of the first subject (it would replace
   * the library's own: refused).
   */
  readonly conditionToken?: 'operator' | 'ownKey';
  /**
   * `podIdentity.sessionPolicy` (issue 18 §1): every association carries it; an identity whose pods can get the
   * role another way (a subject that can use IRSA) is refused naming why. EKS takes it only with session tags off.
   */
  readonly sessionPolicy?: boolean;
}

const usesIrsa = (m: IdentityMechanism) => m === IdentityMechanism.IRSA || m === IdentityMechanism.BOTH;
const sometimes = (weight: number) => fc.oneof({ weight: 4 - weight, arbitrary: fc.constant(false) }, { weight, arbitrary: fc.constant(true) });

/** Each feature on about one identity in four; a target role mostly where it can be delivered. */
export const fleetSpecArb: fc.Arbitrary<FleetSpec> = fc.record({
  irsaConditions: sometimes(1),
  podIdentityConditions: sometimes(1),
  targetRole: fc.oneof(
    { weight: 15, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.record({ where: fc.constant<'data'>('data'), externalIds: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ where: fc.constant<'identity'>('identity'), externalIds: fc.boolean() }) },
  ),
  sessionTagGrant: sometimes(1),
  keepUnfit: sometimes(1),
  early: sometimes(2),
  sessionPolicy: sometimes(1),
  conditionToken: fc.oneof({ weight: 16, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<FleetSpec['conditionToken']>('operator', 'ownKey') }),
});

/**
 * The spec as drawn, or (mostly) without the target role or grant the
 * identity's subjects cannot have, so that most draws can be delivered.
 */
export function fitFleet(fleet: FleetSpec | undefined, mechanisms: IdentityMechanism[], sessionTags: boolean, accountWide = false): FleetSpec | undefined {
  if (!fleet || fleet.keepUnfit) { return fleet; }
  const irsa = mechanisms.some(usesIrsa);
  return {
    ...fleet, targetRole: irsa || accountWide ? undefined : fleet.targetRole, sessionTagGrant: fleet.sessionTagGrant && !irsa && sessionTags,
    sessionPolicy: fleet.sessionPolicy && !irsa && !sessionTags,
  };
}

/** The options of the identity's props that the spec sets; `subjectKey` is the `:sub` key of the identity's first subject's issuer ('' if it does not use IRSA). */
export function fleetIdentityOptions(fleet: FleetSpec | undefined, subjectKey: string) {
  const token = (s: string) => fleet?.conditionToken === 'operator' ? cdk.Lazy.string({ produce: () => s }) : s;
  const ownKey = fleet?.conditionToken === 'ownKey' && fleet.irsaConditions && subjectKey !== ''
    ? { StringEquals: { [cdk.Lazy.string({ produce: () => subjectKey })]: 'system:serviceaccount:kube-system:default' } } : {};
  return {
    irsa: fleet?.irsaConditions ? { additionalTrustConditions: { [token('IpAddress')]: { 'aws:SourceIp': NAT_CIDR }, ...ownKey } } : {},
    podIdentity: {
      ...(fleet?.podIdentityConditions ? { additionalTrustConditions: { [token('StringEquals')]: { 'aws:SourceOrgID': EXAMPLE_ORGANIZATION } } } : {}),
      ...(fleet?.sessionPolicy ? { sessionPolicy: iam.PolicyDocument.fromJson(SESSION_POLICY) } : {}),
    },
  };
}

/** The session policy an identity may draw, as the association's Policy must carry it. */
const SESSION_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::session-policy-bucket/*' }] };

export const dataStackName = (prefix: string, i: number) => `${prefix}D${i}`;
const bucketName = (prefix: string, i: number) => `tenant-data-${prefix.toLowerCase()}-${i}`;

/** Adds the identity's other subjects and the spec's target role and grant to identity `i`: the spec says in which order. */
export function applyFleet(fleet: FleetSpec | undefined, identity: WorkloadIdentity, prefix: string, i: number, addOtherSubjects: () => void, associations = 1): void {
  if (!fleet?.early) { addOtherSubjects(); }
  if (fleet) { addFleetFeatures(fleet, identity, prefix, i, associations); }
  if (fleet?.early) { addOtherSubjects(); }
}

/** Step 2 passes one ExternalId per association (the first is the one the evaluation presents): the library refuses fewer or more. */
function externalIds(associations: number): string[] {
  return Array.from({ length: Math.max(associations, 1) }, (_, n) => n === 0 ? EXTERNAL_ID : `${EXTERNAL_ID}-${n + 1}`);
}

function addFleetFeatures(fleet: FleetSpec, identity: WorkloadIdentity, prefix: string, i: number, associations: number): void {
  const stack = cdk.Stack.of(identity);
  if (fleet.sessionTagGrant) {
    const bucket = s3.Bucket.fromBucketName(stack, `TenantData${i}`, bucketName(prefix, i));
    bucket.grantRead(identity, `${identity.sessionTag(PodSessionTag.NAMESPACE)}/*`);
  }
  if (fleet.targetRole) {
    const scope = fleet.targetRole.where === 'identity' ? stack
      : new cdk.Stack(stack.node.root as cdk.App, dataStackName(prefix, i), { env: { account: DATA_ACCOUNT, region: stack.region } });
    new PodIdentityTargetRole(scope, `Target${i}`, { identity, externalIds: fleet.targetRole.externalIds ? externalIds(associations) : undefined });
  }
}

/** Why the spec must be refused, given the identity's subjects' mechanisms and session-tag setting, with words of the library's error. */
export function fleetRefusals(fleet: FleetSpec | undefined, mechanisms: IdentityMechanism[], sessionTags: boolean, accountWide = false): RefusalReason[] {
  const reasons: RefusalReason[] = [];
  if (fleet?.targetRole && accountWide) {
    reasons.push({ why: 'a target role for an identity whose trust admits every association of its account', class: 'target-role-with-account-wide-trust', fragments: [] });
  }
  if (fleet?.sessionTagGrant && !sessionTags) {
    reasons.push({ why: 'a session-tag grant with session tags off', class: 'session-tag-grant-without-tags', fragments: [] });
  }
  if (fleet?.sessionTagGrant && mechanisms.some(usesIrsa)) {
    reasons.push({ why: 'a session-tag grant with a subject that can use IRSA', class: 'session-tag-grant-with-irsa', fragments: [] });
  }
  if (fleet?.targetRole && mechanisms.some(usesIrsa)) {
    reasons.push({ why: 'a target role for a subject that can use IRSA', class: 'target-role-with-irsa', fragments: [] });
  }
  if (fleet?.conditionToken === 'ownKey' && fleet.irsaConditions && usesIrsa(mechanisms[0])) {
    reasons.push({ why: "an added IRSA condition whose key is a token resolving to the library's own :sub key", class: 'added-condition-replaces-own', fragments: ['irsa.additionalTrustConditions'] });
  }
  if (fleet?.sessionPolicy && sessionTags) {
    reasons.push({ why: 'a session policy with session tags on', class: 'session-policy-with-session-tags', fragments: [] });
  }
  if (fleet?.sessionPolicy && mechanisms.some(usesIrsa)) {
    reasons.push({ why: 'a session policy on an identity whose pods can get the role by IRSA', class: 'session-policy-not-applied', fragments: [] });
  }
  if (fleet?.targetRole?.where === 'identity') {
    reasons.push({ why: "a target role in the identity's own stack", class: 'target-role-in-identity-stack', fragments: [] });
  }
  return reasons;
}

/**
 * The trust cases with the added conditions: each case sent from inside them,
 * and each allowed one again from outside: denied where the identity added
 * them, allowed as before where it did not.
 */
export function withAddedConditionCases(cases: TrustCase[], fleet: FleetSpec | undefined): TrustCase[] {
  return cases.flatMap(c => {
    if (c.expect !== 'Allowed') { return [c]; }
    const outside: TrustCase = c.mechanism === 'IRSA'
      ? { ...c, context: { ...c.context, 'aws:SourceIp': OUTSIDE_NAT }, variation: `${c.variation}, from ${OUTSIDE_NAT} (outside ${NAT_CIDR})`, expect: fleet?.irsaConditions ? 'Denied' : 'Allowed' }
      : { ...c, context: { ...c.context, 'aws:SourceOrgID': OTHER_ORGANIZATION }, variation: `${c.variation}, from organization ${OTHER_ORGANIZATION}`, expect: fleet?.podIdentityConditions ? 'Denied' : 'Allowed' };
    return [c, outside];
  });
}

/** One role of a delivered app: its ARN and, when the app created it, the synthesized role. */
export interface FleetRole { readonly arn: string; readonly created?: SynthesizedWorkloadRole }

/**
 * The target role and ABAC problems of identity `i` of a delivered app; also
 * the number of cases evaluated.
 */
export async function fleetProblems(app: SynthesizedApp, fleet: FleetSpec | undefined, role: FleetRole, allRoleArns: string[], prefix: string, i: number,
  namespaces: { own: string[]; all: string[] }): Promise<{ problems: string[]; cases: number }> {
  const problems: string[] = [];
  let cases = 0;
  const identityStack = app.stacks.find(st => st.resolved.logicalIdsOfType('AWS::EKS::PodIdentityAssociation')
    .some(id => st.resolved.properties(id).RoleArn === role.arn));
  const associations = identityStack ? identityStack.resolved.logicalIdsOfType('AWS::EKS::PodIdentityAssociation')
    .map(id => ({ id, p: identityStack.resolved.properties(id) })).filter(a => a.p.RoleArn === role.arn) : [];

  if (fleet?.targetRole) {
    const data = app.stack(dataStackName(prefix, i)).resolved;
    const [targetId, ...more] = data.logicalIdsOfType('AWS::IAM::Role');
    if (!targetId || more.length > 0) {
      problems.push(`Identity${i}: ${more.length + (targetId ? 1 : 0)} roles in the data stack, expected its target role.`);
      return { problems, cases };
    }
    const trust = data.properties(targetId).AssumeRolePolicyDocument;
    const targetArn = data.getAtt(targetId, 'Arn') as string;
    // GIVEN the target role THEN every association of the identity names it
    for (const a of associations.filter(x => x.p.TargetRoleArn !== targetArn)) {
      problems.push(`Identity${i}: association ${a.id} names target '${a.p.TargetRoleArn}', not its target role ${targetArn}.`);
    }
    // AND its trust admits exactly the identity's role (with the ExternalId at step 2): no other role of the app,
    // of the role's account or of a stranger account
    const sourceAccount = role.arn.split(':')[4];
    const callers = [...new Set([role.arn, ...allRoleArns, `arn:${role.arn.split(':')[1]}:iam::${sourceAccount}:role/another-role`, role.arn.replace(`:${sourceAccount}:`, `:${STRANGER_ACCOUNT}:`)])];
    const step2 = fleet.targetRole.externalIds;
    for (const caller of callers) {
      for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
        for (const externalId of action === 'sts:AssumeRole' && step2 ? [EXTERNAL_ID, undefined, 'another-external-id'] : [undefined]) {
          const expected: Decision = caller === role.arn && (!step2 || action !== 'sts:AssumeRole' || externalId === EXTERNAL_ID) ? 'Allowed' : 'Denied';
          const actual = await evaluateRoleChain(trust, targetArn, caller, action, externalId);
          cases++;
          if (actual !== expected) {
            problems.push(`Identity${i}: target role ${targetArn} (step ${step2 ? 2 : 1}), ${action} by ${caller} with ExternalId ${externalId ?? '(none)'}: expected ${expected}, got ${actual}.`);
          }
        }
      }
    }
    // AND the identity's role may assume the target, and (by its own policy) no other role of the data account, even one
    // that trusted it as the target does (across accounts both the identity policy and the role's trust must allow)
    if (role.created) {
      for (const [resource, expected] of [[targetArn, 'Allowed'], [`arn:${role.arn.split(':')[1]}:iam::${DATA_ACCOUNT}:role/another-role`, 'Denied']] as [string, Decision][]) {
        const { actual } = await evaluatePermission(app, role.created, {
          action: 'sts:AssumeRole', resource, resourcePolicy: trust,
          context: { 'aws:PrincipalArn': role.arn, ...step2 ? { 'sts:ExternalId': EXTERNAL_ID } : {} },
        });
        cases++;
        if (actual !== expected) { problems.push(`Identity${i}: role ${describeRole(role.created)} sts:AssumeRole on ${resource}: expected ${expected}, got ${actual}.`); }
      }
    }
  } else {
    for (const a of associations.filter(x => x.p.TargetRoleArn !== undefined)) {
      problems.push(`Identity${i}: association ${a.id} names target '${a.p.TargetRoleArn}', but no target role was declared.`);
    }
  }

  if (fleet?.sessionPolicy) {
    // GIVEN a session policy THEN every association of the identity carries it (and there is one)
    if (associations.length === 0) { problems.push(`Identity${i}: a session policy, but no association carries it.`); }
    for (const a of associations) {
      const policy = typeof a.p.Policy === 'string' ? JSON.parse(a.p.Policy) : a.p.Policy;
      if (canonicalJson(policy) !== canonicalJson(SESSION_POLICY)) {
        problems.push(`Identity${i}: association ${a.id} has Policy ${JSON.stringify(a.p.Policy)}, not the declared session policy.`);
      }
    }
  } else {
    for (const a of associations.filter(x => x.p.Policy !== undefined)) { problems.push(`Identity${i}: association ${a.id} has a Policy no one declared.`); }
  }

  if (fleet?.sessionTagGrant && role.created) {
    // GIVEN the grant by namespace THEN a pod of each declared namespace reads its own objects, no other's; an untagged session nothing
    const bucket = bucketName(prefix, i);
    const pods: (string | undefined)[] = [...namespaces.own, undefined];
    for (const pod of pods) {
      for (const objects of [...new Set([...namespaces.all, 'other'])]) {
        const expected: Decision = pod !== undefined && pod === objects ? 'Allowed' : 'Denied';
        const context: Record<string, string> = pod === undefined ? {} : { 'aws:PrincipalTag/kubernetes-namespace': pod, 'aws:PrincipalTag/kubernetes-service-account': 'app' };
        const resource = `arn:${role.arn.split(':')[1]}:s3:::${bucket}/${objects}/report.csv`;
        const { actual } = await evaluatePermission(app, role.created, { action: 's3:GetObject', resource, context });
        cases++;
        recordStat(actual === 'Allowed' ? 'permissionAllowed' : 'permissionDenied');
        if (actual !== expected) {
          problems.push(`Identity${i}: s3:GetObject on ${resource} by a pod of ${pod ?? 'an untagged session'}: expected ${expected}, got ${actual}.`);
        }
      }
    }
  }
  return { problems, cases };
}

const FEATURES: [string, (f: FleetSpec) => boolean][] = [
  ['IRSA conditions', f => f.irsaConditions],
  ['Pod Identity conditions', f => f.podIdentityConditions],
  ['target roles', f => f.targetRole !== undefined],
  ['session-tag grants', f => f.sessionTagGrant],
  ['session policies', f => f.sessionPolicy === true],
];

/** Counts the identities with each feature in delivered and refused apps, for the run's summary. */
export function fleetTally() {
  const counts = new Map(FEATURES.map(([name]) => [name, { delivered: 0, refused: 0 }]));
  return {
    add(s: { identities: { fleet?: FleetSpec }[] }, outcome: 'delivered' | 'refused') {
      for (const [name, has] of FEATURES) { counts.get(name)![outcome] += s.identities.filter(x => x.fleet && has(x.fleet)).length; }
    },
    describe: () => `fleet features delivered / refused: ${[...counts].map(([name, c]) => `${name} ${c.delivered} / ${c.refused}`).join(', ')}`,
    /** Features no delivered (or no refused) app had. */
    missing: () => [...counts].filter(([, c]) => c.delivered === 0 || c.refused === 0).map(([name]) => name),
  };
}

/** JSON with sorted keys: IAM reads a policy's keys in any order. */
function canonicalJson(v: unknown): string {
  const sort = (x: any): any => Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map(k => [k, sort(x[k])])) : x;
  return JSON.stringify(sort(v));
}

/** The spec in words, for messages. */
export function describeFleet(fleet: FleetSpec | undefined): string {
  if (!fleet) { return 'none'; }
  return [fleet.irsaConditions && 'IRSA conditions', fleet.podIdentityConditions && 'Pod Identity conditions',
    fleet.targetRole && `target role (${fleet.targetRole.where}, step ${fleet.targetRole.externalIds ? 2 : 1})`, fleet.sessionTagGrant && 'session-tag grant', fleet.sessionPolicy && 'session policy',
    fleet.conditionToken && `a token as ${fleet.conditionToken === 'operator' ? 'operator' : 'key'} of added conditions`,
    (fleet.targetRole || fleet.sessionTagGrant) && fleet.early && 'before the other subjects']
    .filter(Boolean).join(', ') || 'none';
}
