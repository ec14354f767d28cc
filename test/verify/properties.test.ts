/**
 * Property-based tests of the public API (fast-check, seeded: a failure
 * prints its seed and path and reproduces). Random clusters, identities,
 * subjects, names (valid, and invalid at every boundary) and mechanisms;
 * every case ends either in outputs that pass trust evaluation, the
 * Kubernetes schema, the cross-side check and (all cases at once) cfn-lint,
 * or in a WorkloadIdentityError that names the bad value.
 */
import * as cdk from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadServiceAccountsChart } from '../../lib';
import { ExampleOutput } from '../../examples';
import { cfnLintErrors } from './cfn-lint';
import { validateManifestObjects } from './manifest-schema';
import { synthesize, SynthesizedApp } from './synthesized-app';
import { trustMismatches } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { crossSideProblems, describeRole, workloadRoles } from './workload-roles';

// Fixed so CI is reproducible; FUZZ_SEED and FUZZ_RUNS explore further.
const SEED = Number(process.env.FUZZ_SEED ?? 20260126);
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const ENV = { account: '123456789012', region: 'eu-west-1' };

// The rules, written independently of lib/core/kubernetes-names.ts.
const isNamespace = (s: string) => s.length >= 1 && s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
const isServiceAccountName = (s: string) => s.length >= 1 && s.length <= 253 && s.split('.').every(isNamespace);

const lower = (len: number) => fc.stringMatching(new RegExp(`^[a-z0-9]{${len}}$`));
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
/** A valid subdomain of exactly `len` characters: labels of up to 63 joined by dots. */
const subdomainOfLength = (len: number) => lower(len).map(s => s.replace(/(.{63})(?=.)/g, (_m, part: string) => part.slice(0, 62) + '.'));

const validNamespaceArb = fc.oneof({ weight: 8, arbitrary: label }, { weight: 1, arbitrary: lower(63) });
const invalidNamespaceArb = fc.oneof(
  lower(64),
  lower(253),
  label.map(x => x.toUpperCase() + 'A'),
  fc.tuple(label, label).map(([a, b]) => `${a}.${b}`),
  label.map(x => `-${x}`),
  label.map(x => `${x}-`),
  fc.constant(''),
);
const validServiceAccountNameArb = fc.oneof(
  { weight: 6, arbitrary: label },
  { weight: 2, arbitrary: fc.tuple(label, label).map(([a, b]) => `${a}.${b}`) },
  { weight: 1, arbitrary: fc.constant('default') },
  { weight: 1, arbitrary: subdomainOfLength(253) },
);
const invalidServiceAccountNameArb = fc.oneof(
  subdomainOfLength(254),
  label.map(x => `${x}X`),
  label.map(x => `-${x}`),
  label.map(x => `${x}-`),
  fc.tuple(label, label).map(([a, b]) => `${a}..${b}`),
  fc.constant(''),
);
const mechanismArb = fc.constantFrom(undefined, IdentityMechanism.IRSA, IdentityMechanism.POD_IDENTITY, IdentityMechanism.BOTH);

interface ClusterSpec { readonly kind: ClusterKind; readonly issuerId: string }
interface SubjectSpec { readonly cluster: number; readonly namespace: string; readonly serviceAccountName: string; readonly mechanism?: IdentityMechanism }
interface IdentitySpec { readonly mechanism?: IdentityMechanism; readonly subjects: SubjectSpec[] }
interface Scenario { readonly clusters: ClusterSpec[]; readonly identities: IdentitySpec[] }

const validScenarioArb: fc.Arbitrary<Scenario> = fc.array(
  fc.record({ kind: fc.constantFrom(ClusterKind.EKS, ClusterKind.EKS, ClusterKind.NOT_EKS), issuerId: fc.stringMatching(/^[0-9A-F]{32}$/) }),
  { minLength: 1, maxLength: 3 },
).chain(clusters => fc.record({
  clusters: fc.constant(clusters),
  identities: fc.array(fc.record({
    mechanism: mechanismArb,
    subjects: fc.array(fc.record({
      cluster: fc.nat(clusters.length - 1),
      namespace: validNamespaceArb,
      serviceAccountName: validServiceAccountNameArb,
      // Mostly the identity's mechanism; sometimes the subject's own.
      mechanism: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: mechanismArb }),
    }), { minLength: 1, maxLength: 3 }),
  }), { minLength: 1, maxLength: 3 }),
}));

/** Valid names, or (about one case in three) one name replaced by an invalid one, at a random place. */
const scenarioArb: fc.Arbitrary<Scenario> = fc.tuple(
  validScenarioArb,
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ at: fc.nat(), field: fc.constantFrom('namespace', 'serviceAccountName'), namespace: invalidNamespaceArb, serviceAccountName: invalidServiceAccountNameArb }) },
  ),
).map(([scenario, defect]) => {
  if (!defect) { return scenario; }
  const all = scenario.identities.flatMap((identity, i) => identity.subjects.map((_, j) => [i, j] as const));
  const [i, j] = all[defect.at % all.length];
  return {
    ...scenario,
    identities: scenario.identities.map((identity, x) => x !== i ? identity : {
      ...identity,
      subjects: identity.subjects.map((subject, y) => y !== j ? subject : { ...subject, [defect.field]: defect[defect.field] }),
    }),
  };
});

/** IAM's default role trust policy quota, and how far our rendering of intrinsics may differ from the guardrail's. */
const TRUST_POLICY_QUOTA = 2048;
const RENDER_TOLERANCE = 32;

/** Rendered (resolved, minified) trust policy length per role, by the role's construct path. */
function renderedTrustLengths(app: SynthesizedApp): { [path: string]: number } {
  const lengths: { [path: string]: number } = {};
  for (const s of app.stacks) {
    for (const id of s.resolved.logicalIdsOfType('AWS::IAM::Role')) {
      const path = String(s.template.Resources[id].Metadata?.['aws:cdk:path'] ?? id).replace(/(\/Resource)+$/, '');
      lengths[path] = JSON.stringify(s.resolved.properties(id).AssumeRolePolicyDocument).length;
    }
  }
  return lengths;
}

const clusterName = (i: number) => `fuzz-${i}`;
const issuerUrl = (c: ClusterSpec, i: number) => c.kind === ClusterKind.NOT_EKS ? `https://oidc.fuzz-${i}.example.com/${c.issuerId.toLowerCase()}` : `https://oidc.eks.eu-west-1.amazonaws.com/id/${c.issuerId}`;

/** The first error the declaration must raise, as a fragment its message must contain; undefined if it is valid. */
function expectedError(s: Scenario): string | undefined {
  const claimed = new Set<string>();
  for (const identity of s.identities) {
    for (const subject of identity.subjects) {
      const cluster = s.clusters[subject.cluster];
      if (!isNamespace(subject.namespace)) { return `Invalid namespace '${subject.namespace}'`; }
      if (!isServiceAccountName(subject.serviceAccountName)) { return `Invalid ServiceAccount name '${subject.serviceAccountName}'`; }
      const mechanism = subject.mechanism ?? identity.mechanism ?? (cluster.kind === ClusterKind.NOT_EKS ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY);
      if (mechanism !== IdentityMechanism.IRSA && cluster.kind === ClusterKind.NOT_EKS) {
        return `ServiceAccount '${subject.namespace}/${subject.serviceAccountName}' on cluster '${clusterName(subject.cluster)}' cannot use ${mechanism}`;
      }
      const key = `${subject.cluster}|${subject.namespace}|${subject.serviceAccountName}`;
      if (claimed.has(key)) { return `ServiceAccount '${subject.namespace}/${subject.serviceAccountName}' on cluster '${clusterName(subject.cluster)}' is bound`; }
      claimed.add(key);
    }
  }
  return undefined;
}

function buildScenario(s: Scenario, stackName: string) {
  return (awsApp: cdk.App, k8s: ExampleOutput) => {
    const stack = new cdk.Stack(awsApp, stackName, { env: ENV });
    const clusters = s.clusters.map((c, i) => WorkloadCluster.fromClusterAttributes(stack, `Cluster${i}`, {
      clusterName: clusterName(i), kind: c.kind, oidcIssuerUrl: issuerUrl(c, i),
    }));
    const identities = s.identities.map((spec, i) => {
      const [first, ...rest] = spec.subjects;
      const identity = new WorkloadIdentity(stack, `Identity${i}`, {
        cluster: clusters[first.cluster], namespace: first.namespace, serviceAccountName: first.serviceAccountName,
        mechanism: first.mechanism ?? spec.mechanism,
      });
      // The constructor takes no per-subject mechanism: the first subject's becomes the identity's default.
      rest.forEach(r => identity.addSubject({ cluster: clusters[r.cluster], namespace: r.namespace, serviceAccountName: r.serviceAccountName, mechanism: r.mechanism ?? spec.mechanism }));
      return identity;
    });
    s.clusters.forEach((_, i) => new WorkloadServiceAccountsChart(k8s.app(clusterName(i)), `sa-${i}`, { bindings: identities.flatMap(x => x.bindings), clusterName: clusterName(i) }));
  };
}

/** The scenario with each subject's mechanism as buildScenario passes it (undefined: the cluster's default). */
function asBuilt(s: Scenario): Scenario {
  return {
    ...s,
    identities: s.identities.map(i => {
      const identityDefault = i.subjects[0].mechanism ?? i.mechanism;
      return { mechanism: undefined, subjects: i.subjects.map(x => ({ ...x, mechanism: x.mechanism ?? i.mechanism ?? identityDefault })) };
    }),
  };
}

describe('properties of the public API over random declarations', () => {
  const previousValidation = process.env.CDK_VALIDATION;
  beforeAll(() => { process.env.CDK_VALIDATION = 'false'; });
  afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

  test(`every declaration yields consistent, correctly trusted output or an error naming the bad value (seed ${SEED}, ${NUM_RUNS} runs)`, async () => {
    const validTemplates: { [name: string]: unknown } = {};
    let run = 0;
    await fc.assert(fc.asyncProperty(scenarioArb, async scenario => {
      const stackName = `Fuzz${run++}`;
      const expected = expectedError(asBuilt(scenario));
      let app;
      try {
        app = synthesize([{ name: 'fuzz', build: buildScenario(scenario, stackName) }], { tolerateValidationFailure: true });
      } catch (e) {
        const error = e as Error;
        // GIVEN an invalid declaration THEN it fails with a WorkloadIdentityError naming the bad value
        if (!expected) { throw new Error(`A valid declaration failed: ${error.stack}`); }
        expect(error.name).toBe('WorkloadIdentityError');
        expect(error.message).toContain(expected);
        recordStat('fuzzRejected');
        return;
      }
      if (app.validationFailure) {
        try {
          // GIVEN valid names that add up to a trust policy over IAM's quota THEN the guardrail names the role and its length
          const message = app.validationFailure.error.message;
          const tooLong = [...message.matchAll(/WI-AWS-8: Role '([^']+)' has a trust policy of (\d+) characters/g)];
          const others = message.split('\n').filter(l => /^\s*ERROR/.test(l) && !l.includes('WI-AWS-8'));
          expect(expected).toBeUndefined();
          expect(others).toEqual([]);
          expect(tooLong.length).toBeGreaterThan(0);
          for (const [, role, length] of tooLong) {
            expect(Number(length)).toBeGreaterThan(TRUST_POLICY_QUOTA);
            expect(renderedTrustLengths(app)[role]).toBeGreaterThan(TRUST_POLICY_QUOTA - RENDER_TOLERANCE);
          }
          recordStat('fuzzTrustTooLong');
          return;
        } finally {
          app.dispose();
        }
      }
      try {
        // GIVEN a valid declaration THEN synthesis succeeds
        expect(expected).toBeUndefined();
        // Each cluster's manifests are in their own folder, which names the cluster.
        const options = {};
        // AND both sides agree with the declaration
        expect(crossSideProblems(app, options)).toEqual([]);
        // AND every object is valid Kubernetes
        expect(validateManifestObjects(app.manifests.flatMap(m => m.objects))).toEqual([]);
        // AND no trust policy is over IAM's quota (the guardrail would have said so)
        expect(Object.entries(renderedTrustLengths(app)).filter(([, n]) => n > TRUST_POLICY_QUOTA + RENDER_TOLERANCE)).toEqual([]);
        // AND each role admits exactly its subjects
        const roles = workloadRoles(app, options);
        expect(roles.map(describeRole).length).toBe(scenario.identities.length);
        const { mismatches, cases } = await trustMismatches(roles);
        expect(mismatches).toEqual([]);
        recordStat('fuzzValid');
        recordStat('fuzzTrustCases', cases);
        validTemplates[stackName] = app.stack(stackName).template;
      } finally {
        app.dispose();
      }
    }), { seed: SEED, numRuns: NUM_RUNS });

    // AND cfn-lint finds no error in any valid case's template (one run for all)
    expect(Object.keys(validTemplates).length).toBeGreaterThan(NUM_RUNS / 4);
    expect(cfnLintErrors(validTemplates)).toEqual([]);
  }, 300_000);

  test.each([
    ['a namespace of 63 characters', 'a'.repeat(63), 'sa', undefined],
    ['a namespace of 64 characters', 'a'.repeat(64), 'sa', `Invalid namespace '${'a'.repeat(64)}'`],
    ['a ServiceAccount name of 253 characters', 'ns', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, undefined],
    ['a ServiceAccount name of 254 characters', 'ns', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, 'Invalid ServiceAccount name'],
    ['an uppercase namespace', 'Payments', 'sa', "Invalid namespace 'Payments'"],
    ['a namespace with a dot', 'pay.ments', 'sa', "Invalid namespace 'pay.ments'"],
    ['a ServiceAccount name with a leading dash', 'ns', '-payment', "Invalid ServiceAccount name '-payment'"],
    ['a ServiceAccount name with a trailing dash', 'ns', 'payment-', "Invalid ServiceAccount name 'payment-'"],
    ['an empty namespace', '', 'sa', "Invalid namespace ''"],
  ])('the boundary: %s', (_what, namespace, serviceAccountName, error) => {
    // GIVEN one identity on an EKS cluster with the given names
    const scenario: Scenario = { clusters: [{ kind: ClusterKind.EKS, issuerId: 'A'.repeat(32) }], identities: [{ mechanism: IdentityMechanism.BOTH, subjects: [{ cluster: 0, namespace, serviceAccountName }] }] };
    // WHEN synthesized THEN it succeeds exactly when the names are valid, else the error names the value
    const attempt = () => synthesize([{ name: 'boundary', build: buildScenario(scenario, 'Boundary') }]).dispose();
    if (error) {
      expect(attempt).toThrow(error);
    } else {
      expect(attempt).not.toThrow();
    }
  });
});
