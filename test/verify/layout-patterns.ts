/**
 * Generated subject-pattern layouts (issue 25): pattern identities on two
 * clusters of one account, with the matches each cluster's Kubernetes app
 * declares, sometimes an exact identity beside them or an unsafe pattern.
 * The expectation is stated here, from the generator and the IAM user guide's
 * StringLike (subject-patterns.ts), never from lib/: which layouts must be
 * refused and why, and for a delivered one the declared layout that
 * declared-layout.ts evaluates (trust per issuer and cluster, with near misses,
 * and what reaches each declared ServiceAccount).
 */
import * as cdk from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { IdentityMechanism, WorkloadChart, WorkloadCluster, WorkloadIdentity } from '../../lib';
import { Example } from '../../examples';
import { DeclaredLayout, LayoutCluster, LayoutRole } from './declared-layout';
import { iamLike } from './subject-patterns';

export const PATTERN_ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const CLUSTERS = [
  { name: 'campus', issuer: 'oidc.eks.eu-west-1.amazonaws.com/id/PATTERNS0000000000000000000000C0' },
  { name: 'other', issuer: 'oidc.eks.eu-west-1.amazonaws.com/id/PATTERNS0000000000000000000000C1' },
];
/** Prefixes with near misses among them: prx- beside pr-, team-a- inside team-. */
const PREFIXES = ['pr-', 'prx-', 'team-', 'team-a-', 'preview-'];
const SUFFIXES = ['1', '2', '123', 'a', 'b-7'];

/** Unsafe patterns and the words of the rule each refusal must name. */
export const UNSAFE_PATTERNS: { [pattern: string]: string } = {
  '*': 'needs a literal prefix',
  'kube-*': "matches the cluster's own namespace",
  'de*': "matches the cluster's own namespace 'default'",
  'pr*': "must end in '-'",
  'pr-*:x': 'separates namespace and ServiceAccount name',
  'PR-*': 'compares case-sensitively',
  '?r-*': 'needs a literal prefix',
};

export type PatternMechanism = 'IRSA' | 'POD_IDENTITY' | 'BOTH';

export interface PatternIdentitySpec {
  readonly cluster: number;
  readonly prefix: string;
  /** 'namespace': namespacePattern `<prefix>*` with ServiceAccount 'web'; 'name': namespace 'ci' with serviceAccountPattern `<prefix>*`. */
  readonly kind: 'namespace' | 'name';
  readonly mechanism: PatternMechanism;
  /** Suffixes of the matches the cluster's app declares. */
  readonly matches: string[];
}

export interface PatternScenario {
  readonly identities: PatternIdentitySpec[];
  /** An exact identity (Pod Identity) beside them, e.g. 'pr-payments/web': refused when a pattern of its cluster matches it. */
  readonly exact?: { readonly cluster: number; readonly namespace: string };
  readonly unsafe?: string;
}

export const patternScenarioArb: fc.Arbitrary<PatternScenario> = fc.record({
  identities: fc.array(fc.record({
    cluster: fc.constantFrom(0, 0, 1),
    prefix: fc.constantFrom(...PREFIXES),
    kind: fc.constantFrom<'namespace' | 'name'>('namespace', 'namespace', 'name'),
    mechanism: fc.constantFrom<PatternMechanism>('IRSA', 'POD_IDENTITY', 'BOTH'),
    matches: fc.uniqueArray(fc.constantFrom(...SUFFIXES), { maxLength: 3 }),
  }), { minLength: 1, maxLength: 3 }),
  exact: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.record({ cluster: fc.constantFrom(0, 1), namespace: fc.constantFrom('pr-payments', 'prx-9', 'staging', 'team-a-1') }), weight: 1 }),
  // One layout in five holds an unsafe pattern.
  unsafe: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom(...Object.keys(UNSAFE_PATTERNS)), weight: 1 }),
});

interface Half { readonly namespace: string; readonly serviceAccountName: string }

/** The identity's pattern: namespace and name, either a pattern. */
export function patternOf(spec: PatternIdentitySpec): Half {
  return spec.kind === 'namespace' ? { namespace: `${spec.prefix}*`, serviceAccountName: 'web' } : { namespace: 'ci', serviceAccountName: `${spec.prefix}*` };
}

/** Its declared matches. */
export function matchesOf(spec: PatternIdentitySpec): Half[] {
  return spec.matches.map(m => spec.kind === 'namespace' ? { namespace: `${spec.prefix}${m.replace('b-7', 'b7')}`, serviceAccountName: 'web' } : { namespace: 'ci', serviceAccountName: `${spec.prefix}${m}` });
}

const identityId = (i: number) => `Pattern${i}`;

/**
 * Whether two patterns can match one ServiceAccount (the generator's
 * patterns are `<prefix>*` or literal, so: each half's literals agree, or one
 * prefix starts the other).
 */
function halvesOverlap(a: string, b: string): boolean {
  const prefixOf = (x: string) => x.endsWith('*') ? x.slice(0, -1) : undefined;
  const pa = prefixOf(a);
  const pb = prefixOf(b);
  if (pa === undefined && pb === undefined) { return a === b; }
  if (pa !== undefined && pb !== undefined) { return pa.startsWith(pb) || pb.startsWith(pa); }
  return pa !== undefined ? b.startsWith(pa) : a.startsWith(pb!);
}

/**
 * What the scenario must do: be refused, or be delivered as `patternLayout` says. Its app declares Unsafe, then Exact,
 * then the pattern identities in order, and construction stops at the first refusal: the one expected is that of the
 * first identity that clashes, with an earlier pattern or with the exact ServiceAccount. When it clashes with several,
 * naming any one of them is right: each is a real conflict, and later identities are never constructed. `anyOf` lists
 * the words of each acceptable refusal.
 */
export function patternExpectation(s: PatternScenario): { refuse?: { anyOf: string[][] } } {
  if (s.unsafe !== undefined) { return { refuse: { anyOf: [[`'${s.unsafe}'`, UNSAFE_PATTERNS[s.unsafe]]] } }; }
  for (let i = 0; i < s.identities.length; i++) {
    const a = s.identities[i];
    const pa = patternOf(a);
    const anyOf: string[][] = [];
    if (s.exact && a.cluster === s.exact.cluster && iamLike(pa.namespace, s.exact.namespace) && iamLike(pa.serviceAccountName, 'web')) {
      anyOf.push([`Layout/${identityId(i)}`, 'Layout/Exact', `${s.exact.namespace}/web`]);
    }
    for (let j = 0; j < i; j++) {
      const b = s.identities[j];
      const pb = patternOf(b);
      if (a.cluster === b.cluster && halvesOverlap(pa.namespace, pb.namespace) && halvesOverlap(pa.serviceAccountName, pb.serviceAccountName)) {
        anyOf.push([`Layout/${identityId(i)}`, `Layout/${identityId(j)}`]);
      }
    }
    if (anyOf.length > 0) { return { refuse: { anyOf } }; }
  }
  return {};
}

const MECHANISMS: { [m in PatternMechanism]: IdentityMechanism } = { IRSA: IdentityMechanism.IRSA, POD_IDENTITY: IdentityMechanism.POD_IDENTITY, BOTH: IdentityMechanism.BOTH };

/** The app, built with the public API: one stack owning both clusters' pieces, one cdk8s app per cluster. */
export function patternExample(s: PatternScenario): Example {
  return {
    name: 'patterns',
    build: (awsApp, k8s) => {
      const stack = new cdk.Stack(awsApp, 'Layout', { env: { account: PATTERN_ACCOUNT, region: REGION } });
      const clusters = CLUSTERS.map((c, i) => WorkloadCluster.fromClusterAttributes(stack, `Cluster${i}`, {
        clusterName: c.name, installPodIdentityAgent: true, createOpenIdConnectProvider: true, oidcIssuerUrl: `https://${c.issuer}`,
      }));
      // First: its refusal is the one expected, whatever else the layout holds.
      if (s.unsafe !== undefined) {
        new WorkloadIdentity(stack, 'Unsafe', { cluster: clusters[0], namespacePattern: s.unsafe, serviceAccountName: 'unsafe' });
      }
      if (s.exact) {
        const exact = new WorkloadIdentity(stack, 'Exact', { cluster: clusters[s.exact.cluster], namespace: s.exact.namespace, serviceAccountName: 'web' });
        new WorkloadChart(k8s.app(CLUSTERS[s.exact.cluster].name), 'exact', { binding: exact.primaryBinding });
      }
      s.identities.forEach((spec, i) => {
        const pattern = patternOf(spec);
        const identity = new WorkloadIdentity(stack, identityId(i), {
          cluster: clusters[spec.cluster], mechanism: MECHANISMS[spec.mechanism],
          ...(spec.kind === 'namespace' ? { namespacePattern: pattern.namespace, serviceAccountName: 'web' } : { namespace: 'ci', serviceAccountPattern: pattern.serviceAccountName }),
        });
        for (const m of matchesOf(spec)) {
          const binding = identity.addPatternMatch({ cluster: clusters[spec.cluster], ...m });
          new WorkloadChart(k8s.app(CLUSTERS[spec.cluster].name), `${identityId(i)}-${m.namespace}-${m.serviceAccountName}`, { binding });
        }
      });
    },
  };
}

/** The declared layout of a delivered scenario, for declared-layout.ts. */
export function patternLayout(s: PatternScenario): DeclaredLayout {
  const clusters: LayoutCluster[] = CLUSTERS.map((c, i) => ({ id: `c${i}`, name: c.name, account: PATTERN_ACCOUNT, region: REGION, partition: 'aws', eks: true, issuer: c.issuer }));
  const roles: LayoutRole[] = s.identities.map((spec, i) => {
    const irsa = spec.mechanism !== 'POD_IDENTITY';
    const podIdentity = spec.mechanism !== 'IRSA';
    const cluster = clusters[spec.cluster];
    return {
      identityPath: `Layout/${identityId(i)}`,
      podIdentityAccountWide: false,
      subjects: matchesOf(spec).map(m => ({ cluster, ...m, irsa, podIdentity, audience: 'sts.amazonaws.com', sessionTags: true })),
      patterns: [{ cluster, ...patternOf(spec), irsa, podIdentity, audience: 'sts.amazonaws.com' }],
    };
  });
  if (s.exact) {
    roles.push({
      identityPath: 'Layout/Exact', podIdentityAccountWide: false,
      subjects: [{ cluster: clusters[s.exact.cluster], namespace: s.exact.namespace, serviceAccountName: 'web', irsa: false, podIdentity: true, audience: 'sts.amazonaws.com', sessionTags: true }],
    });
  }
  return { clusters, roles, externalProviders: [], referencedProviders: [], folderOf: c => c.name };
}
