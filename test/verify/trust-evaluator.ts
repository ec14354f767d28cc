/**
 * Evaluates every workload role's trust policy with an IAM policy evaluator
 * (@cloud-copilot/iam-simulate, offline), for the requests AWS STS will see:
 * the ServiceAccounts bound to the role must be allowed, and their near
 * neighbours (another namespace, name, cluster, audience, account, principal
 * or action, and every other workload of the app) must be denied.
 *
 * EKS OIDC condition keys: iam-simulate validates request context keys against
 * its catalog of keys per action. For sts:AssumeRoleWithWebIdentity that
 * catalog lists fixed identity providers (accounts.google.com, cognito,
 * GitHub, GitLab, ...) but no EKS issuer, so `oidc.eks.<region>.amazonaws.com/
 * id/<id>:sub` comes back in `ignoredContextKeys` and the request is denied
 * even with a correct trust policy (verified with iam-simulate 0.1.173). We
 * therefore rename, per request, the keys of the token's own issuer
 * (`<issuer>:sub`, `<issuer>:aud`) to the catalogued `accounts.google.com:sub`
 * and `accounts.google.com:aud`, in the trust policy and in the request alike.
 * Keys of any other issuer stay as they are and are absent from the request,
 * so a statement conditioned on another cluster's issuer still fails, as in
 * AWS. The issuer itself is checked through the Federated principal (the
 * provider ARN), which the rename leaves untouched. Any key still ignored
 * makes the evaluation throw rather than pass silently.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describeRole, describeServiceAccount, EmittedAssociation, IrsaCaller, PolicyDocument, SynthesizedWorkloadRole } from './workload-roles';
import { trustsPodIdentityWithoutAssociation } from './migration-trust';
import { iamLike, patternHalves } from './subject-patterns';

export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';
const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const MAPPED_ISSUER = 'accounts.google.com';
const MAPPED_CLAIMS = ['sub', 'aud', 'amr'];
const OTHER_ACCOUNT = '210987654321';
/** The organization of the examples' accounts (examples/fleet.ts). */
export const EXAMPLE_ORGANIZATION = 'o-a1b2c3d4e5';
/** The examples' pods reach STS through NAT gateways of this range (examples/fleet.ts), from this address. */
export const EXAMPLE_NAT_CIDR = '203.0.113.0/28';
export const EXAMPLE_SOURCE_IP = '203.0.113.7';
const OTHER_ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/0THERC1USTER0000000000000000000';

export type Decision = 'Allowed' | 'Denied';
export type Mechanism = 'IRSA' | 'POD_IDENTITY';

export interface TrustCase {
  readonly role: SynthesizedWorkloadRole;
  readonly mechanism: Mechanism;
  readonly expect: Decision;
  /** The ServiceAccount the case starts from, for messages. */
  readonly serviceAccount: string;
  /** What differs from that ServiceAccount's own request. */
  readonly variation: string;
  readonly principal: string;
  readonly action: string;
  readonly context: Record<string, string | string[]>;
  /** For web identity: the issuer (without https://) whose claims the context carries. */
  readonly issuer?: string;
}

export interface TrustResult {
  readonly trustCase: TrustCase;
  readonly actual: Decision;
}

/** A web identity request from `sa`'s projected token (with its claims possibly changed). */
interface WebIdentityRequest { issuer: string; providerArn: string; namespace: string; name: string; audience: string; action: string }
/** A Pod Identity request as EKS makes it for an association. */
interface PodIdentityRequest { principal: string; action: string; account: string; clusterArn: string; namespace: string; serviceAccount: string; tags: boolean }

/** The cases for one role; `allRoles` supplies every other workload, which must be denied. */
export function trustCases(role: SynthesizedWorkloadRole, allRoles: SynthesizedWorkloadRole[]): TrustCase[] {
  const cases: TrustCase[] = [];
  const allowedIrsa = role.irsaCallers.map(irsaRequestOf);
  const allowedPodIdentity = role.podIdentityCallers.flatMap(a => ['sts:AssumeRole', 'sts:TagSession'].map(action => podIdentityRequestOf(a, action)));
  // A match of a declared subject pattern: its role trusts every name the pattern matches, on that issuer or cluster.
  const irsaPatterns = role.irsaCallers.filter(c => c.serviceAccount.binding?.subjectPattern !== undefined)
    .map(c => ({ request: irsaRequestOf(c), ...patternHalves(c.serviceAccount.binding!.subjectPattern!) }));
  const podIdentityPatterns = role.podIdentityCallers.flatMap(a => {
    const binding = role.declared?.bindings.find(b => b.namespace === a.namespace && b.serviceAccountName === a.serviceAccount && b.subjectPattern !== undefined);
    return binding ? [{ association: a, ...patternHalves(binding.subjectPattern!) }] : [];
  });
  const isAllowedIrsa = (r: WebIdentityRequest) => allowedIrsa.some(x => sameJson(x, r)) || irsaPatterns.some(p =>
    sameJson({ ...p.request, namespace: r.namespace, name: r.name }, r) && iamLike(p.namespace, r.namespace) && iamLike(p.serviceAccountName, r.name));
  const isAllowedPodIdentity = (r: PodIdentityRequest) => allowedPodIdentity.some(x => sameJson(x, r)) || podIdentityPatterns.some(p =>
    ['sts:AssumeRole', 'sts:TagSession'].includes(r.action) &&
    sameJson({ ...podIdentityRequestOf(p.association, r.action), namespace: r.namespace, serviceAccount: r.serviceAccount }, r) &&
    iamLike(p.namespace, r.namespace) && iamLike(p.serviceAccountName, r.serviceAccount));

  const irsa = (r: WebIdentityRequest, sa: string, variation: string, expect?: Decision) => cases.push({
    role, mechanism: 'IRSA', serviceAccount: sa, variation,
    expect: expect ?? (isAllowedIrsa(r) ? 'Allowed' : 'Denied'),
    principal: r.providerArn, action: r.action, issuer: r.issuer,
    context: { [`${r.issuer}:sub`]: `system:serviceaccount:${r.namespace}:${r.name}`, [`${r.issuer}:aud`]: r.audience, 'aws:SourceIp': EXAMPLE_SOURCE_IP },
  });
  const podIdentity = (r: PodIdentityRequest, sa: string, variation: string, expect?: Decision) => cases.push({
    role, mechanism: 'POD_IDENTITY', serviceAccount: sa, variation,
    expect: expect ?? (isAllowedPodIdentity(r) ? 'Allowed' : 'Denied'),
    principal: r.principal, action: r.action, context: podIdentityContext(r),
  });

  for (const caller of role.irsaCallers) {
    const own = irsaRequestOf(caller);
    const sa = describeServiceAccount(caller.serviceAccount);
    irsa(own, sa, 'its own token', 'Allowed');
    for (const namespace of neighbours(own.namespace, 'default')) { irsa({ ...own, namespace }, sa, `namespace '${namespace}'`); }
    for (const name of neighbours(own.name, 'default')) { irsa({ ...own, name }, sa, `ServiceAccount name '${name}'`); }
    irsa({ ...own, issuer: OTHER_ISSUER, providerArn: own.providerArn.replace(own.issuer, OTHER_ISSUER) }, sa, "another cluster's issuer");
    irsa({ ...own, audience: own.audience === 'sts.amazonaws.com' ? 'other.example.com' : 'sts.amazonaws.com' }, sa, 'another audience');
    irsa({ ...own, action: 'sts:AssumeRole' }, sa, 'sts:AssumeRole instead of web identity');
    const clusterArn = caller.serviceAccount.cluster?.clusterArn;
    if (clusterArn) {
      // The same ServiceAccount through Pod Identity, allowed only if an association exists.
      for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
        const kept = trustsPodIdentityWithoutAssociation(caller.serviceAccount.binding?.migration);
        podIdentity({ principal: POD_IDENTITY_PRINCIPAL, action, account: accountOf(clusterArn), clusterArn, namespace: own.namespace, serviceAccount: own.name, tags: true },
          sa, kept ? 'Pod Identity its migration phase keeps trusted (no association, so EKS makes no such request)' : 'Pod Identity for an IRSA ServiceAccount',
          kept ? 'Allowed' : undefined);
      }
    }
  }

  for (const association of role.podIdentityCallers) {
    const sa = describeServiceAccount({ namespace: association.namespace, name: association.serviceAccount, cluster: { clusterName: association.clusterName } });
    for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
      const own = podIdentityRequestOf(association, action);
      podIdentity(own, sa, 'its own association', 'Allowed');
      for (const principal of ['eks.amazonaws.com', 'ec2.amazonaws.com']) { podIdentity({ ...own, principal }, sa, `service principal ${principal}`); }
      podIdentity({ ...own, account: OTHER_ACCOUNT, clusterArn: own.clusterArn.replace(`:${own.account}:`, `:${OTHER_ACCOUNT}:`) }, sa, 'another account');
      podIdentity({ ...own, clusterArn: `${own.clusterArn}-other` }, sa, 'another cluster');
      for (const namespace of neighbours(own.namespace, 'default')) { podIdentity({ ...own, namespace }, sa, `namespace '${namespace}'`); }
      for (const serviceAccount of neighbours(own.serviceAccount, 'default')) { podIdentity({ ...own, serviceAccount }, sa, `ServiceAccount name '${serviceAccount}'`); }
      podIdentity({ ...own, tags: false }, sa, 'no session tags');
    }
  }

  // Only that pod gets it: every other workload's own request is denied here.
  for (const other of allRoles.filter(r => r !== role)) {
    for (const caller of other.irsaCallers) {
      const r = irsaRequestOf(caller);
      irsa(r, describeServiceAccount(caller.serviceAccount), `the token of another workload (role ${describeRole(other)})`);
    }
    for (const association of other.podIdentityCallers) {
      const r = podIdentityRequestOf(association, 'sts:AssumeRole');
      podIdentity(r, describeServiceAccount({ namespace: association.namespace, name: association.serviceAccount, cluster: { clusterName: association.clusterName } }),
        `the association of another workload (role ${describeRole(other)})`);
    }
  }
  return cases;
}

/** Evaluates one case; throws if the evaluator could not use the request as given. */
export async function evaluateTrustCase(c: TrustCase): Promise<TrustResult> {
  const policy = c.issuer ? renameIssuerKeys(c.role.trustPolicy, c.issuer) : c.role.trustPolicy;
  const context = c.issuer ? renameIssuerKeys({ Statement: [{ Condition: { _: c.context } }] }, c.issuer).Statement[0].Condition._ : c.context;
  const response = await runSimulation({
    request: { principal: c.principal, action: c.action, resource: { resource: c.role.arn, accountId: c.role.account }, contextVariables: context },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  }, {});
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected the trust case for role ${describeRole(c.role)}: ${JSON.stringify(response.errors)}`);
  }
  if (response.resultType !== 'single') {
    throw new Error(`iam-simulate returned a ${response.resultType} result for role ARN ${c.role.arn}.`);
  }
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(`iam-simulate ignored context keys ${ignored.join(', ')} for ${c.action} on role ${describeRole(c.role)}; the evaluation would not mean anything.`);
  }
  return { trustCase: c, actual: response.overallResult === 'Allowed' ? 'Allowed' : 'Denied' };
}

/**
 * A web identity request: a token of `issuer` (without https://) with the
 * claims `sub` and `aud`, presented through the provider `providerArn`,
 * asking for sts:AssumeRoleWithWebIdentity on `roleArn` whose trust is
 * `trust`. The issuer's keys are renamed as for every trust case (above).
 */
export async function evaluateWebIdentity(trust: PolicyDocument, roleArn: string, providerArn: string, issuer: string, sub: string, aud: string): Promise<Decision> {
  const response = await runSimulation({
    request: {
      principal: providerArn, action: 'sts:AssumeRoleWithWebIdentity', resource: { resource: roleArn, accountId: accountOf(roleArn) },
      contextVariables: { [`${MAPPED_ISSUER}:sub`]: sub, [`${MAPPED_ISSUER}:aud`]: aud },
    },
    identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: renameIssuerKeys(trust, issuer),
  }, {});
  return decisionOf(response, roleArn);
}

/** `service` (e.g. pods.eks.amazonaws.com) asking for `action` on `roleArn` whose trust is `trust`, with `context`. */
export async function evaluateServiceRequest(trust: PolicyDocument, roleArn: string, service: string, action: string, context: Record<string, string> = {}): Promise<Decision> {
  const response = await runSimulation({
    request: { principal: service, action, resource: { resource: roleArn, accountId: accountOf(roleArn) }, contextVariables: context },
    identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: trust,
  }, {});
  return decisionOf(response, `${action} on ${roleArn}`);
}

/**
 * A role chain's second hop: `callerRoleArn`'s session (as EKS holds it after
 * assuming the association's role) asks for `action` on a target role whose
 * trust is `trust`, with an ExternalId or not. The caller's identity policy
 * allows it, so the target's trust decides.
 */
export async function evaluateRoleChain(trust: PolicyDocument, targetArn: string, callerRoleArn: string, action: string, externalId?: string): Promise<Decision> {
  const account = callerRoleArn.split(':')[4];
  const response = await runSimulation({
    request: {
      principal: `arn:${callerRoleArn.split(':')[1]}:sts::${account}:assumed-role/${callerRoleArn.split('/').pop()}/eks-session`,
      action,
      resource: { resource: targetArn, accountId: targetArn.split(':')[4] },
      // sts:ExternalId is a key of sts:AssumeRole only (iam-simulate's catalog, as the IAM service reference lists it).
      contextVariables: { 'aws:PrincipalArn': callerRoleArn, 'aws:PrincipalAccount': account, ...externalId && action === 'sts:AssumeRole' ? { 'sts:ExternalId': externalId } : {} },
    },
    identityPolicies: [{ name: 'caller', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: targetArn }] } }],
    serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: trust,
  }, {});
  return decisionOf(response, `${action} on ${targetArn}`);
}

/** The decision of a single-request simulation; throws if it was not one, or ignored a context key (the decision would mean nothing). */
function decisionOf(response: Awaited<ReturnType<typeof runSimulation>>, what: string): Decision {
  if (response.resultType !== 'single') { throw new Error(`iam-simulate: ${JSON.stringify(response)}`); }
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) { throw new Error(`iam-simulate ignored context keys ${ignored.join(', ')} for ${what}; the evaluation would not mean anything.`); }
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

export async function evaluateTrustCases(cases: TrustCase[]): Promise<TrustResult[]> {
  const results: TrustResult[] = [];
  for (const c of cases) { results.push(await evaluateTrustCase(c)); }
  return results;
}

/**
 * Evaluates every role's trust cases (optionally adjusted per role) and returns
 * the mismatches, described, with the number of cases evaluated.
 */
export async function trustMismatches(roles: SynthesizedWorkloadRole[], adjust: (c: TrustCase, role: SynthesizedWorkloadRole) => TrustCase = c => c): Promise<{ mismatches: string[]; cases: number }> {
  const mismatches: string[] = [];
  let cases = 0;
  for (const role of roles) {
    const results = await evaluateTrustCases(trustCases(role, roles).map(c => adjust(c, role)));
    cases += results.length;
    mismatches.push(...results.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch));
  }
  return { mismatches, cases };
}

/** A failure message naming the ServiceAccount, the role and the request. */
export function describeMismatch(r: TrustResult): string {
  const c = r.trustCase;
  return `Role ${describeRole(c.role)} (${c.role.arn}), ServiceAccount ${c.serviceAccount}, ${c.mechanism} with ${c.variation}: ` +
    `expected ${c.expect}, got ${r.actual}. Request: ${c.action} by ${c.principal} with ${JSON.stringify(c.context)}.`;
}

function irsaRequestOf(caller: IrsaCaller): WebIdentityRequest {
  return {
    issuer: caller.issuer,
    providerArn: caller.providerArn,
    namespace: caller.serviceAccount.namespace,
    name: caller.serviceAccount.name,
    audience: caller.audience,
    action: WEB_IDENTITY,
  };
}

function podIdentityRequestOf(a: EmittedAssociation, action: string): PodIdentityRequest {
  return { principal: POD_IDENTITY_PRINCIPAL, action, account: a.account, clusterArn: a.clusterArn, namespace: a.namespace, serviceAccount: a.serviceAccount, tags: a.sessionTags };
}

/** The request context EKS Pod Identity sends (EKS user guide, pod-id-abac): source account and ARN, and the session tags. */
function podIdentityContext(r: PodIdentityRequest): Record<string, string | string[]> {
  // Every example account is in one organization: EKS then sends aws:SourceOrgID too (the fleet example's trust requires it).
  const context: Record<string, string | string[]> = { 'aws:SourceAccount': r.account, 'aws:SourceArn': r.clusterArn, 'aws:SourceOrgID': EXAMPLE_ORGANIZATION };
  if (r.tags) {
    const tags: Record<string, string> = {
      'eks-cluster-arn': r.clusterArn,
      'eks-cluster-name': r.clusterArn.split('/').pop()!,
      'kubernetes-namespace': r.namespace,
      'kubernetes-service-account': r.serviceAccount,
      'kubernetes-pod-name': `${r.serviceAccount.slice(0, 40)}-7d4b9c8f6-x2x9z`,
      'kubernetes-pod-uid': '0b1e3a2c-5d4f-4e6a-9b8c-7d6e5f4a3b2c',
    };
    for (const [k, v] of Object.entries(tags)) { context[`aws:RequestTag/${k}`] = v; }
    context['aws:TagKeys'] = Object.keys(tags);
  }
  return context;
}

/** Names one edit away from `value` (a character changed, dropped, appended) and a common fixed name. */
function neighbours(value: string, common: string): string[] {
  const last = value[value.length - 1];
  const candidates = [
    value.slice(0, -1) + (last === 'a' ? 'b' : 'a'),
    ...(value.length > 1 ? [value.slice(0, -1)] : []),
    `${value}-2`,
    common,
  ];
  return [...new Set(candidates.filter(c => c !== value))];
}

function renameIssuerKeys<T extends PolicyDocument>(doc: T, issuer: string): T {
  const prefix = `${issuer.toLowerCase()}:`;
  const statements = [doc.Statement ?? []].flat().map((st: any) => {
    if (!st.Condition) { return st; }
    const condition: any = {};
    for (const [operator, keys] of Object.entries<any>(st.Condition)) {
      condition[operator] = {};
      for (const [key, value] of Object.entries(keys)) {
        const lower = key.toLowerCase();
        if (lower.startsWith(`${MAPPED_ISSUER}:`)) {
          throw new Error(`The policy already uses ${key}; the ${MAPPED_ISSUER} rename would be ambiguous.`);
        }
        const claim = lower.startsWith(prefix) ? lower.slice(prefix.length) : undefined;
        condition[operator][claim && MAPPED_CLAIMS.includes(claim) ? `${MAPPED_ISSUER}:${claim}` : key] = value;
      }
    }
    return { ...st, Condition: condition };
  });
  return { ...doc, Statement: statements };
}

function accountOf(arn: string): string {
  return arn.split(':')[4];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
