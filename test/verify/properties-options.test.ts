/**
 * Property-based tests of the WorkloadIdentity options that properties.test.ts
 * leaves at their defaults (fast-check, same FUZZ_SEED / FUZZ_RUNS): an
 * existing role (literal or token ARN), podIdentity.restrictTrustToSubjects
 * and sessionTags, irsa.audience and irsa.tokenExpiration, and clusters whose
 * OIDC provider is imported, referenced by ARN (the default) or declared by the
 * handle (createOpenIdConnectProvider). Every case ends either in outputs that pass the
 * cross-side check, the Kubernetes schema, trust evaluation and (all cases at
 * once) cfn-lint, plus a check of each option's effect on both sides, or in an
 * error that names the bad value.
 */
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as fc from 'fast-check';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadServiceAccountsChart } from '../../lib';
import { ExampleOutput } from '../../examples';
import { cfnLintErrors } from './cfn-lint';
import { validateManifestObjects } from './manifest-schema';
import { synthesize, SynthesizedApp, SynthesizedStack } from './synthesized-app';
import { POD_IDENTITY_PRINCIPAL, TrustCase, trustMismatches } from './trust-evaluator';
import { readValidationReport } from './validation-report';
import { recordStat } from './verify-stats';
import { AUDIENCE_ANNOTATION, crossSideProblems, DEFAULT_AUDIENCE, ROLE_ARN_ANNOTATION, SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

// Same knobs as properties.test.ts; a third as many runs keeps `npm run verify` near 40 s.
const SEED = Number(process.env.FUZZ_SEED ?? 20260126);
const NUM_RUNS = Math.max(1, Math.round(Number(process.env.FUZZ_RUNS ?? 80) / 3));
const ENV = { account: '123456789012', region: 'eu-west-1' };
const TOKEN_EXPIRATION_ANNOTATION = 'eks.amazonaws.com/token-expiration';
const EXISTING_ROLE_WARNING = 'The existing role is used as is';

type RoleSpec = 'created' | 'existing' | 'existingToken';
type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'millis';
/** ownsProvider: createOpenIdConnectProvider (with no imported provider); else the existing provider is referenced by ARN. */
interface ClusterSpec { readonly kind: ClusterKind; readonly issuerId: string; readonly importedProvider: boolean; readonly ownsProvider: boolean }
interface SubjectSpec { readonly cluster: number; readonly namespace: string; readonly mechanism?: IdentityMechanism }
interface IdentitySpec {
  readonly role: RoleSpec;
  /** roleName alongside an existing role, which cannot apply. */
  readonly roleNameToo: boolean;
  readonly mechanism?: IdentityMechanism;
  readonly audience?: string;
  readonly tokenExpiration?: { readonly unit: DurationUnit; readonly amount: number };
  readonly restrictTrustToSubjects?: boolean;
  readonly sessionTags?: boolean;
  readonly subjects: SubjectSpec[];
}
interface Scenario { readonly clusters: ClusterSpec[]; readonly identities: IdentitySpec[] }

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const mechanismArb = fc.constantFrom(undefined, IdentityMechanism.IRSA, IdentityMechanism.POD_IDENTITY, IdentityMechanism.BOTH);
const optionalBoolean = fc.constantFrom(undefined, true, false);
const audienceArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(DEFAULT_AUDIENCE) },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}(\.[a-z0-9-]{1,10}){0,3}$/) },
  { weight: 1, arbitrary: label.map(x => `https://${x}.example.com/api`) },
  // Any printable ASCII: '${' (an IAM policy variable in the trust's aud) and '*' must be refused by name.
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('*', '${aws:username}', 'sts.*', 'api-${x}') },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(255), 'a'.repeat(256), '') },
);
const tokenExpirationArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.record({ unit: fc.constant<DurationUnit>('seconds'), amount: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.constantFrom(3599, 3600, 3601, 86400)) }) },
  { weight: 1, arbitrary: fc.record({ unit: fc.constant<DurationUnit>('minutes'), amount: fc.integer({ min: 1, max: 2880 }) }) },
  { weight: 1, arbitrary: fc.record({ unit: fc.constant<DurationUnit>('hours'), amount: fc.integer({ min: 1, max: 48 }) }) },
  // Not a whole number of seconds: the annotation cannot hold it.
  { weight: 1, arbitrary: fc.record({ unit: fc.constantFrom<DurationUnit>('millis', 'seconds'), amount: fc.integer({ min: 3_600_001, max: 3_700_000 }).map(n => n + 0.5) }) },
);

const anyScenarioArb: fc.Arbitrary<Scenario> = fc.array(fc.record({
  kind: fc.constantFrom(ClusterKind.EKS, ClusterKind.EKS, ClusterKind.NOT_EKS),
  issuerId: fc.stringMatching(/^[0-9A-F]{32}$/),
  importedProvider: fc.boolean(),
  ownsProvider: fc.boolean(),
}), { minLength: 1, maxLength: 2 }).chain(clusters => fc.record({
  clusters: fc.constant(clusters),
  identities: fc.array(fc.record({
    role: fc.constantFrom<RoleSpec>('created', 'created', 'existing', 'existing', 'existingToken'),
    roleNameToo: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    mechanism: mechanismArb,
    audience: audienceArb,
    tokenExpiration: tokenExpirationArb,
    restrictTrustToSubjects: optionalBoolean,
    sessionTags: fc.oneof({ weight: 3, arbitrary: optionalBoolean }, { weight: 1, arbitrary: fc.constant(false) }),
    subjects: fc.array(fc.record({
      cluster: fc.nat(clusters.length - 1),
      namespace: label,
      mechanism: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: mechanismArb }),
    }), { minLength: 1, maxLength: 3 }),
  }), { minLength: 1, maxLength: 3 }),
}));

const clusterName = (i: number) => `opt-${i}`;

const issuerHost = (c: ClusterSpec, i: number) => c.kind === ClusterKind.NOT_EKS ? `oidc.opt-${i}.example.com/${c.issuerId.toLowerCase()}` : `oidc.eks.eu-west-1.amazonaws.com/id/${c.issuerId}`;
const providerArn = (c: ClusterSpec, i: number) => `arn:aws:iam::${ENV.account}:oidc-provider/${issuerHost(c, i)}`;
const existingRoleArn = (i: number) => `arn:aws:iam::${ENV.account}:role/existing-${i}`;
// Unique per subject, so no case fails for a ServiceAccount bound twice (properties.test.ts covers that).
const serviceAccountName = (i: number, j: number) => `w${i}-s${j}`;
const identityPath = (stackName: string, i: number) => `${stackName}/Identity${i}`;

function duration(d: { unit: DurationUnit; amount: number }): cdk.Duration {
  return cdk.Duration[d.unit](d.amount);
}

/** Each subject's mechanism as buildScenario passes it, resolved to the cluster's default. */
function mechanismOf(s: Scenario, identity: IdentitySpec, j: number): IdentityMechanism {
  const subject = identity.subjects[j];
  const asPassed = j === 0 ? subject.mechanism ?? identity.mechanism : subject.mechanism ?? identity.mechanism ?? identity.subjects[0].mechanism ?? identity.mechanism;
  return asPassed ?? (s.clusters[subject.cluster].kind === ClusterKind.NOT_EKS ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY);
}
const usesIrsa = (m: IdentityMechanism) => m === IdentityMechanism.IRSA || m === IdentityMechanism.BOTH;
const usesPodIdentity = (m: IdentityMechanism) => m === IdentityMechanism.POD_IDENTITY || m === IdentityMechanism.BOTH;

/**
 * The first error the declaration must raise, as a fragment its message must
 * contain, and whether it is the library's own error; undefined if it is valid.
 */
function expectedError(s: Scenario, stackName: string): { fragment: string; libraryError: boolean } | undefined {
  for (const [i, identity] of s.identities.entries()) {
    const path = identityPath(stackName, i);
    const audience = identity.audience;
    // An OIDC client id: 1-255 characters; no policy variable, wildcard, whitespace or control character in the trust's aud.
    if (audience !== undefined && (audience.length === 0 || audience.length > 255 || audience.includes('${') || audience.includes('*') || /[\s\p{Cc}\p{Cf}]/u.test(audience))) {
      // Errors show a value cut after 160 characters, with invisible characters escaped: its printable start names it.
      const named = audience.slice(0, 160).match(/^[ -~]*/)![0];
      return { fragment: `Invalid IRSA audience '${named}`, libraryError: true };
    }
    if (identity.tokenExpiration) {
      const { unit, amount } = identity.tokenExpiration;
      const seconds = amount * { millis: 0.001, seconds: 1, minutes: 60, hours: 3600 }[unit];
      if (!Number.isInteger(seconds)) {
        return { fragment: `Invalid IRSA tokenExpiration Duration.${unit}(${amount}): the eks.amazonaws.com/token-expiration annotation takes whole seconds`, libraryError: true };
      }
      if (seconds < 3600) { return { fragment: `Invalid IRSA tokenExpiration ${seconds} seconds`, libraryError: true }; }
    }
    if ((identity.restrictTrustToSubjects ?? true) && identity.sessionTags === false) {
      return { fragment: `WorkloadIdentity '${path}' disables session tags but restricts its trust to its subjects`, libraryError: true };
    }
    if (identity.role !== 'created' && identity.roleNameToo) {
      return { fragment: `WorkloadIdentity '${path}' takes an existing role, so roleName cannot apply`, libraryError: true };
    }
    for (const [j, subject] of identity.subjects.entries()) {
      const mechanism = mechanismOf(s, identity, j);
      const where = `ServiceAccount '${subject.namespace}/${serviceAccountName(i, j)}' on cluster '${clusterName(subject.cluster)}'`;
      if (usesPodIdentity(mechanism) && s.clusters[subject.cluster].kind === ClusterKind.NOT_EKS) {
        return { fragment: `${where} cannot use ${mechanism}`, libraryError: true };
      }
      if (usesIrsa(mechanism) && identity.role === 'existingToken') {
        return { fragment: `${where} uses ${mechanism}, so it must carry the role ARN, but the given role's ARN is a token`, libraryError: true };
      }
    }
  }
  return undefined;
}

/** Two valid declarations for one that is invalid in some option (the first error counts, as in the library). */
const isValid = (s: Scenario) => expectedError(s, 'Any') === undefined;
const scenarioArb: fc.Arbitrary<Scenario> = fc.oneof(
  { weight: 2, arbitrary: anyScenarioArb.filter(isValid) },
  { weight: 1, arbitrary: anyScenarioArb.filter(s => !isValid(s)) },
);

function buildScenario(s: Scenario, stackName: string) {
  return (awsApp: cdk.App, k8s: ExampleOutput) => {
    const stack = new cdk.Stack(awsApp, stackName, { env: ENV });
    const clusters = s.clusters.map((c, i) => WorkloadCluster.fromClusterAttributes(stack, `Cluster${i}`, {
      clusterName: clusterName(i), kind: c.kind, oidcIssuerUrl: `https://${issuerHost(c, i)}`,
      openIdConnectProvider: c.importedProvider ? iam.OidcProviderNative.fromOidcProviderArn(stack, `Provider${i}`, providerArn(c, i)) : undefined,
      createOpenIdConnectProvider: !c.importedProvider && c.ownsProvider ? true : undefined,
    }));
    const identities = s.identities.map((spec, i) => {
      const [first, ...rest] = spec.subjects;
      const role = spec.role === 'existing' ? iam.Role.fromRoleArn(stack, `Existing${i}`, existingRoleArn(i))
        // A role ARN that is a token while the app is built (cdk.json's @aws-cdk/core:enablePartitionLiterals
        // makes fromRoleName's ARN literal in a stack with an env, so a Lazy stands in for an import).
        : spec.role === 'existingToken' ? iam.Role.fromRoleArn(stack, `Existing${i}`, cdk.Lazy.string({ produce: () => existingRoleArn(i) })) : undefined;
      const identity = new WorkloadIdentity(stack, `Identity${i}`, {
        cluster: clusters[first.cluster], namespace: first.namespace, serviceAccountName: serviceAccountName(i, 0),
        mechanism: first.mechanism ?? spec.mechanism,
        role,
        roleName: spec.roleNameToo ? `named-${i}` : undefined,
        irsa: { audience: spec.audience, tokenExpiration: spec.tokenExpiration && duration(spec.tokenExpiration) },
        podIdentity: { restrictTrustToSubjects: spec.restrictTrustToSubjects, sessionTags: spec.sessionTags },
      });
      rest.forEach((r, j) => identity.addSubject({
        cluster: clusters[r.cluster], namespace: r.namespace, serviceAccountName: serviceAccountName(i, j + 1), mechanism: r.mechanism ?? spec.mechanism,
      }));
      return identity;
    });
    s.clusters.forEach((_, i) => new WorkloadServiceAccountsChart(k8s.app(clusterName(i)), `sa-${i}`, { bindings: identities.flatMap(x => x.bindings), clusterName: clusterName(i) }));
  };
}

/** Logical ids of a type whose construct path lies under `path`. */
function idsUnder(stack: SynthesizedStack, type: string, path: string): string[] {
  return stack.resolved.logicalIdsOfType(type).filter(id => String(stack.template.Resources[id].Metadata?.['aws:cdk:path'] ?? '').startsWith(`${path}/`));
}

/**
 * With restrictTrustToSubjects false and a Pod Identity subject, the trust is
 * account-wide by design: any association in the account (any cluster, namespace, name, with or
 * without session tags) is allowed, and only another principal, action or
 * account is denied. IRSA cases keep the evaluator's expectation.
 */
function withAccountWideTrust(c: TrustCase, accountWide: boolean): TrustCase {
  if (!accountWide || c.mechanism !== 'POD_IDENTITY') { return c; }
  const allowed = c.principal === POD_IDENTITY_PRINCIPAL && c.context['aws:SourceAccount'] === c.role.account;
  return { ...c, expect: allowed ? 'Allowed' : 'Denied' };
}

/** Problems with what each option must have produced on both sides; empty when all hold. */
function optionProblems(s: Scenario, app: SynthesizedApp, stackName: string, roles: SynthesizedWorkloadRole[]): string[] {
  const problems: string[] = [];
  const stack = app.stack(stackName);
  const manifestsServiceAccounts = app.manifests.flatMap(m => m.objects.filter(o => o.kind === 'ServiceAccount'));
  const constructAt = (path: string) => app.awsApp.node.findAll().find(c => c.node.path === path);
  const findings = readValidationReport(app.assemblyDir).findings;

  // Imported and referenced providers: none declared, and the trust's Federated principal is the given or deterministic ARN;
  // a provider the handle owns: exactly one, declared whether or not an identity uses it (ownership is eager), listing
  // sts.amazonaws.com (the default an owner registers, as eksctl does) and exactly the audiences the trust admits besides.
  s.clusters.forEach((c, i) => {
    const providers = idsUnder(stack, 'AWS::IAM::OIDCProvider', `${stackName}/Cluster${i}`);
    const irsaAudiences = new Set(s.identities.flatMap(identity => identity.role !== 'created' ? [] : identity.subjects
      .filter((x, j) => x.cluster === i && usesIrsa(mechanismOf(s, identity, j))).map(() => identity.audience ?? DEFAULT_AUDIENCE)));
    const owned = c.ownsProvider && !c.importedProvider;
    if (!owned && providers.length > 0) {
      problems.push(`Cluster${i}: ${c.importedProvider ? 'imported' : 'referenced'} provider, yet ${providers.join(', ')} declared.`);
    }
    if (owned) {
      if (providers.length !== 1) {
        problems.push(`Cluster${i}: expected one AWS::IAM::OIDCProvider, found ${providers.length}.`);
      } else {
        const expected = [...new Set([DEFAULT_AUDIENCE, ...irsaAudiences])].sort();
        const clientIds = [...stack.resolved.properties(providers[0]).ClientIdList].sort();
        if (JSON.stringify(clientIds) !== JSON.stringify(expected)) {
          problems.push(`Cluster${i}: ClientIdList ${JSON.stringify(clientIds)} but expected ${JSON.stringify(expected)} (${DEFAULT_AUDIENCE} and the audiences the trust admits).`);
        }
      }
    }
  });

  s.identities.forEach((identity, i) => {
    const path = identityPath(stackName, i);
    const where = `Identity${i}`;
    const declared = app.identities.find(x => x.path === path)!;
    const createdRoles = idsUnder(stack, 'AWS::IAM::Role', path);
    const associations = idsUnder(stack, 'AWS::EKS::PodIdentityAssociation', path).map(id => stack.resolved.properties(id));
    const warnings = (constructAt(path)?.node.metadata ?? []).filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
    const audience = identity.audience ?? DEFAULT_AUDIENCE;
    const seconds = identity.tokenExpiration && duration(identity.tokenExpiration).toSeconds();

    if (identity.role !== 'created') {
      // An existing role: none created, its ARN everywhere, and a warning listing the trust it needs.
      // A token ARN (fromRoleName) reaches only the associations, resolved; the bindings carry none.
      const arn = existingRoleArn(i);
      const bindingArn = identity.role === 'existing' ? arn : undefined;
      if (createdRoles.length > 0) { problems.push(`${where}: existing role, yet ${createdRoles.join(', ')} created.`); }
      if (declared.roleLogicalId !== undefined) { problems.push(`${where}: existing role, yet a role logical id ${declared.roleLogicalId}.`); }
      declared.bindings.filter(b => b.roleArn !== bindingArn).forEach(b => problems.push(`${where}: binding ${b.namespace}/${b.serviceAccountName} has roleArn '${b.roleArn}', not '${bindingArn}'.`));
      associations.filter(a => a.RoleArn !== arn).forEach(a => problems.push(`${where}: association ${a.Namespace}/${a.ServiceAccount} names '${a.RoleArn}', not '${arn}'.`));
      // One warning per distinct trust requirement (identical ones, e.g. two account-wide subjects, merge), naming each subject's.
      const existingWarnings = warnings.filter(w => w.includes(EXISTING_ROLE_WARNING));
      identity.subjects.forEach((subject, j) => {
        const m = mechanismOf(s, identity, j);
        const cluster = s.clusters[subject.cluster];
        const needs = [
          ...usesIrsa(m) ? [`${issuerHost(cluster, subject.cluster)}:sub = system:serviceaccount:${subject.namespace}:${serviceAccountName(i, j)} and ${issuerHost(cluster, subject.cluster)}:aud = ${identity.audience ?? DEFAULT_AUDIENCE}`] : [],
          ...usesPodIdentity(m) ? [`from ${POD_IDENTITY_PRINCIPAL}${identity.restrictTrustToSubjects === false ? '' : ` with StringEquals aws:RequestTag/kubernetes-namespace = ${subject.namespace}, aws:RequestTag/kubernetes-service-account = ${serviceAccountName(i, j)}`}`] : [],
        ];
        if (!existingWarnings.some(w => needs.every(n => w.includes(n)))) {
          problems.push(`${where}: no existing-role warning names ${JSON.stringify(needs)}; got ${JSON.stringify(existingWarnings)}.`);
        }
      });
    } else {
      if (createdRoles.length !== 1) { problems.push(`${where}: expected one created role, found ${createdRoles.length}.`); }
      if (warnings.some(w => w.includes(EXISTING_ROLE_WARNING))) { problems.push(`${where}: a created role, yet the existing-role warning.`); }
    }
    const role = roles.find(r => r.declared?.path === path);
    const trust = role?.trustPolicy.Statement ?? [];

    identity.subjects.forEach((subject, j) => {
      const mechanism = mechanismOf(s, identity, j);
      const name = serviceAccountName(i, j);
      const sa = manifestsServiceAccounts.filter(o => o.metadata.namespace === subject.namespace && o.metadata.name === name);
      const annotations = sa[0]?.metadata.annotations ?? {};
      const at = `${where} ${subject.namespace}/${name} (${mechanism})`;
      if (sa.length !== 1) { problems.push(`${at}: ${sa.length} ServiceAccount objects.`); return; }
      if (usesIrsa(mechanism)) {
        const cluster = s.clusters[subject.cluster];
        if (identity.role === 'existing' && annotations[ROLE_ARN_ANNOTATION] !== existingRoleArn(i)) {
          problems.push(`${at}: role-arn annotation '${annotations[ROLE_ARN_ANNOTATION]}', not the existing role's '${existingRoleArn(i)}'.`);
        }
        const expectedAudience = identity.audience !== undefined && identity.audience !== DEFAULT_AUDIENCE ? identity.audience : undefined;
        if (annotations[AUDIENCE_ANNOTATION] !== expectedAudience) { problems.push(`${at}: audience annotation '${annotations[AUDIENCE_ANNOTATION]}', expected '${expectedAudience}'.`); }
        const expectedExpiration = seconds !== undefined ? String(seconds) : undefined;
        if (annotations[TOKEN_EXPIRATION_ANNOTATION] !== expectedExpiration) {
          problems.push(`${at}: token-expiration annotation '${annotations[TOKEN_EXPIRATION_ANNOTATION]}', expected '${expectedExpiration}'.`);
        }
        if (role) {
          // The statement that admits this subject: the provider's ARN as Federated, the audience as aud.
          const sub = `system:serviceaccount:${subject.namespace}:${name}`;
          const statement = trust.find((st: any) => [st.Condition?.StringEquals?.[`${issuerHost(cluster, subject.cluster)}:sub`] ?? []].flat().includes(sub));
          if (!statement) {
            problems.push(`${at}: no trust statement for ${sub}.`);
          } else {
            if (statement.Principal?.Federated !== providerArn(cluster, subject.cluster)) {
              problems.push(`${at}: Federated principal '${statement.Principal?.Federated}', expected '${providerArn(cluster, subject.cluster)}'.`);
            }
            const aud = statement.Condition.StringEquals[`${issuerHost(cluster, subject.cluster)}:aud`];
            if (aud !== audience) { problems.push(`${at}: trust aud '${aud}', expected '${audience}'.`); }
          }
          if (cluster.importedProvider) {
            // Unresolved, as written: the literal ARN itself, no reference to a declared provider.
            const raw = JSON.stringify(stack.template.Resources[role.logicalId].Properties?.AssumeRolePolicyDocument);
            if (!raw.includes(JSON.stringify(providerArn(cluster, subject.cluster)))) { problems.push(`${at}: the template's trust does not hold the literal provider ARN.`); }
          }
        }
      } else {
        for (const key of [AUDIENCE_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION]) {
          if (annotations[key] !== undefined) { problems.push(`${at}: a Pod Identity ServiceAccount carries ${key}.`); }
        }
      }
      if (usesPodIdentity(mechanism)) {
        const association = associations.filter(a => a.Namespace === subject.namespace && a.ServiceAccount === name);
        const disabled = association[0]?.DisableSessionTags;
        if (association.length === 1 && disabled !== (identity.sessionTags === false ? true : undefined)) {
          problems.push(`${at}: DisableSessionTags ${disabled} with podIdentity.sessionTags ${identity.sessionTags}.`);
        }
      }
    });

    // Pod Identity trust: per subject when restricted, one account-only statement otherwise.
    const podStatements = trust.filter((st: any) => [st.Principal?.Service ?? []].flat().includes(POD_IDENTITY_PRINCIPAL));
    const podSubjects = identity.subjects.filter((_, j) => usesPodIdentity(mechanismOf(s, identity, j))).length;
    const unrestricted = identity.restrictTrustToSubjects === false;
    if (role && podStatements.length !== (unrestricted ? Math.min(podSubjects, 1) : podSubjects)) {
      problems.push(`${where}: ${podStatements.length} Pod Identity statements for ${podSubjects} subjects (restricted: ${!unrestricted}).`);
    }
    if (role && unrestricted && podSubjects > 0) {
      const condition = JSON.stringify(podStatements[0]?.Condition);
      if (condition !== JSON.stringify({ StringEquals: { 'aws:SourceAccount': ENV.account } })) { problems.push(`${where}: the account-wide statement has condition ${condition}.`); }
      const wi7 = findings.filter(f => f.rule === 'WI-AWS-7' && f.description.includes(`Role '${path}'`));
      if (wi7.length !== 1 || wi7[0].severity !== 'warning') { problems.push(`${where}: expected one WI-AWS-7 warning, got ${JSON.stringify(wi7)}.`); }
    }
  });
  return problems;
}

describe('properties of the WorkloadIdentity options over random declarations', () => {
  const previousValidation = process.env.CDK_VALIDATION;
  beforeAll(() => { process.env.CDK_VALIDATION = 'false'; });
  afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

  test(`every combination of options yields consistent, correctly trusted output or an error naming the bad value (seed ${SEED}, ${NUM_RUNS} runs)`, async () => {
    const validTemplates: { [name: string]: unknown } = {};
    let run = 0;
    await fc.assert(fc.asyncProperty(scenarioArb, async scenario => {
      const stackName = `FuzzOpt${run++}`;
      const expected = expectedError(scenario, stackName);
      let app;
      // Warnings (WI-AWS-7, the existing-role warning) are printed; the report and the construct metadata hold them.
      const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        app = synthesize([{ name: 'fuzz-options', build: buildScenario(scenario, stackName) }], { tolerateValidationFailure: true });
      } catch (e) {
        const error = e as Error;
        // GIVEN an invalid option THEN it fails naming the bad value, never with a crash
        if (!expected) { throw new Error(`A valid declaration failed: ${error.stack}`); }
        if (expected.libraryError) { expect(error.name).toBe('WorkloadIdentityError'); }
        expect(error.message).toContain(expected.fragment);
        recordStat('fuzzRejected');
        return;
      } finally {
        stderr.mockRestore();
      }
      try {
        // GIVEN a valid declaration THEN synthesis succeeds with no guardrail error
        expect(expected).toBeUndefined();
        expect(app.validationFailure?.error.message).toBeUndefined();
        // Each cluster's manifests are in their own folder, which names the cluster.
        const options = {};
        // AND both sides agree with the declaration
        expect(crossSideProblems(app, options)).toEqual([]);
        // AND every object is valid Kubernetes
        expect(validateManifestObjects(app.manifests.flatMap(m => m.objects))).toEqual([]);
        // AND each option shows on both sides as declared
        const roles = workloadRoles(app, options);
        expect(optionProblems(scenario, app, stackName, roles)).toEqual([]);
        // AND each created role admits exactly its subjects (all of the account's associations when unrestricted)
        expect(roles.length).toBe(scenario.identities.filter(x => x.role === 'created').length);
        const { mismatches, cases } = await trustMismatches(roles, (c, role) => {
          const spec = scenario.identities[Number(role.declared!.path.split('/Identity')[1])];
          return withAccountWideTrust(c, spec.restrictTrustToSubjects === false && role.podIdentityCallers.length > 0);
        });
        expect(mismatches).toEqual([]);
        recordStat('fuzzValid');
        recordStat('fuzzTrustCases', cases);
        validTemplates[stackName] = app.stack(stackName).template;
      } finally {
        app.dispose();
      }
    }), { seed: SEED, numRuns: NUM_RUNS });

    // AND cfn-lint finds no error in any valid case's template (one run for all)
    expect(Object.keys(validTemplates).length).toBeGreaterThan(NUM_RUNS / 3);
    expect(cfnLintErrors(validTemplates)).toEqual([]);
  }, 300_000);
});
