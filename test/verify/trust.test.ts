import { FLEET_CLUSTERS } from '../../examples/fleet';
import { everyPodOnFargate, somePodsOnFargate } from './layout-fargate';
import { declaredLayoutOfExamples, deliveryProblems, layoutTrustCases } from './declared-layout';
import { synthesizeExamples, SynthesizedApp } from './synthesized-app';
import { describeMismatch, evaluateTrustCases, trustCases, TrustResult } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { crossSideProblems, describeRole, SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

let app: SynthesizedApp;
let roles: SynthesizedWorkloadRole[];

beforeAll(() => {
  app = synthesizeExamples();
  roles = workloadRoles(app);
});
afterAll(() => app?.dispose());

describe('trust of every example role, evaluated with iam-simulate', () => {
  test('every workload role has callers, and every caller is a declared workload', () => {
    // GIVEN the examples WHEN their roles are collected
    const orphans = roles.filter(r => r.irsaCallers.length === 0 && r.podIdentityCallers.length === 0).map(describeRole);
    // THEN no role trusts an OIDC provider or pods.eks.amazonaws.com without a ServiceAccount bound to it
    expect(orphans).toEqual([]);
    expect(roles.map(describeRole).sort()).toEqual([
      'Campus/Payment61ED5A27', 'Campus/Report2CA88918', 'Campus/Upload3A8DF0C8',
      // The mixed Fargate/EC2 cluster: one role for a Fargate and an EC2 namespace, the labelled namespace's two.
      'FargateMixed/Api9AF3637B', 'FargateMixed/FrontendAC0C7BD3', 'FargateMixed/Ingest5847C2DF',
      'Fleet/Exporter2955982F', 'Fleet/Ledger0B0DA0A5', 'Fleet/ReporterD2A7B712', 'Fleet/TenantsE6604F12',
      'Irsa/Payment61ED5A27', 'Irsa/Report2CA88918', 'Irsa/Upload3A8DF0C8',
      'IrsaOnNewCluster/ReaderC968FCB1',
      'Migration/Archiver4F8C6A07', 'Migration/NotifierE2836A75', 'Migration/ReporterD2A7B712',
      // The platform example's catalog entries (the add-ons' roles are reached through their add-ons' associations).
      'Platform/CertManagerIdentityAF16ED65', 'Platform/EbsCsiDriverIdentity42D4A490', 'Platform/ExternalDnsIdentity809DC896',
      'Platform/ExternalSecretsIdentity71425DBB', 'Platform/KarpenterIdentity993CFE06', 'Platform/LoadBalancerControllerIdentityDF273EC1',
      'Platform/VpcCniIdentityA01E2318',
      // The preview environments: a pattern by Pod Identity, one by IRSA, and staging's exact subject beside them.
      'Preview/PreviewSeeder809C95FE', 'Preview/PreviewWeb7E125EB0', 'Preview/StagingWeb028DA97D',
      // The self-managed cluster's two workloads, trusting the issuer kit's provider.
      'SelfManaged/Ingest5847C2DF', 'SelfManaged/WorkerF29CA63A',
    ]);
  });

  test('the bound ServiceAccounts are allowed and every neighbour is denied', async () => {
    // GIVEN every role with the requests of its own ServiceAccounts and their neighbours
    const results: TrustResult[] = [];
    for (const role of roles) {
      // WHEN each request is evaluated against the role's trust policy
      results.push(...await evaluateTrustCases(trustCases(role, roles)));
      recordStat('rolesIrsa', role.irsaCallers.length > 0 ? 1 : 0);
      recordStat('rolesPodIdentity', role.podIdentityCallers.length > 0 ? 1 : 0);
    }
    for (const r of results) {
      const c = r.trustCase;
      recordStat(c.mechanism === 'IRSA' ? (r.actual === 'Allowed' ? 'trustIrsaAllowed' : 'trustIrsaDenied') : (r.actual === 'Allowed' ? 'trustPodIdentityAllowed' : 'trustPodIdentityDenied'));
    }
    // THEN each decision is the expected one
    expect(results.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch)).toEqual([]);
    // AND both mechanisms were exercised, with allowed and denied cases
    const count = (mechanism: string, decision: string) => results.filter(r => r.trustCase.mechanism === mechanism && r.actual === decision).length;
    // 5, the migration example's reporter (switched to IRSA), the fleet's exporter (from its NAT addresses) and the self-managed cluster's 2.
    // And the preview seeder's 3 matches of pr-*/seeder, each with its 3 namespace neighbours (pr-12a, pr-12, pr-123-2): the pattern admits them.
    // And the mixed cluster's 2 on Fargate (ingest's nightly run, the frontend).
    expect(count('IRSA', 'Allowed')).toBe(9 + 3 + 9 + 2);
    // 3 campus roles, the migration notifier and the 7 platform roles, two actions each, plus the notifier reached by Pod Identity from its IRSA side;
    // and the fleet's roles: the ledger from its 8 clusters, the tenants from their 2 namespaces (each also reached as the
    // other's one-character neighbour, tenant-a/tenant-b, which is declared), the reporter (chained to a target role), two actions each.
    // the migration archiver (finished: Pod Identity only) and the reporter's Pod Identity statement, kept as its way back, two actions each.
    // The preview web: its 3 matches of pr-*/web and their 3 namespace neighbours each (pr-12a, pr-12, pr-123-2), which the pattern admits,
    // and staging's web, two actions each.
    // The mixed cluster's 2 on EC2 nodes (ingest's streaming ingester, the api), two actions each.
    expect(count('POD_IDENTITY', 'Allowed')).toBe(24 + 16 + 8 + 2 + 2 + 2 + 6 + 18 + 2 + 4);
    expect(count('IRSA', 'Denied')).toBeGreaterThan(50);
    expect(count('POD_IDENTITY', 'Denied')).toBeGreaterThan(50);
  });

  test('the mixed Fargate/EC2 example: a namespace its Fargate profiles (as the template declares them) run every pod of has no association and its ServiceAccounts are reached by IRSA only', () => {
    // GIVEN the Fargate profiles in the example's template, read by the proof (EKS's wildcards: layout-fargate.ts)
    const profiles = app.stacks.filter(st => st.example === 'fargate').flatMap(st => Object.values<any>(st.template.Resources)
      .filter(r => r.Type === 'AWS::EKS::FargateProfile')
      .flatMap(r => (r.Properties.Selectors as any[]).map(x => ({ cluster: r.Properties.ClusterName as string, profileName: r.Properties.FargateProfileName as string,
        namespace: x.Namespace as string, ...(x.Labels?.length ? { labels: Object.fromEntries(x.Labels.map((l: any) => [l.Key, l.Value])) } : {}) }))));
    expect(profiles.map(p => `${p.cluster}:${p.namespace}${p.labels ? ' (labelled)' : ''}`)).toEqual(['campus-mixed:batch-*', 'campus-mixed:web (labelled)']);
    const mixed = roles.filter(r => r.stackName === 'FargateMixed');
    const onFargate = (namespace: string) => everyPodOnFargate(profiles, namespace);
    // THEN no association of the cluster targets such a namespace, and every ServiceAccount there is an IRSA caller
    expect(mixed.flatMap(r => r.podIdentityCallers).filter(a => onFargate(a.namespace)).map(a => `${a.namespace}/${a.serviceAccount}`)).toEqual([]);
    const irsa = mixed.flatMap(r => r.irsaCallers.map(c => c.serviceAccount.namespace));
    expect(irsa.filter(onFargate)).toEqual(['batch-nightly']);
    // AND the labelled namespace has both: IRSA for the frontend (its burst pods are labelled), Pod Identity for the api (its pods are not)
    expect(mixed.flatMap(r => r.podIdentityCallers).map(a => `${a.namespace}/${a.serviceAccount}`).sort()).toEqual(['ingest/ingest', 'web/api']);
    const pods = app.manifests.filter(m => m.example === 'fargate').flatMap(m => m.objects).filter(o => o.kind === 'Deployment');
    const labelled = pods.filter(d => somePodsOnFargate(profiles.filter(p => p.labels && Object.entries(p.labels).every(([k, v]) => d.spec.template.metadata?.labels?.[k] === v)),
      d.metadata.namespace!));
    expect(labelled.map(d => `${d.metadata.namespace}/${d.spec.template.spec.serviceAccountName}`)).toEqual(['web/frontend']);
  });

  test.each([
    ['Campus/Payment61ED5A27', [], ['payments/payment']],
    ['Irsa/Upload3A8DF0C8', ['uploads/upload'], []],
    ['IrsaOnNewCluster/ReaderC968FCB1', ['analytics/report-reader'], []],
    ['Migration/NotifierE2836A75', ['notifications/notifier'], ['notifications/notifier']],
    ['Migration/Archiver4F8C6A07', [], ['archive/archiver']],
    ['Migration/ReporterD2A7B712', ['reports/reporter'], []],
  ])('%s is reached by IRSA from %j and by Pod Identity from %j', (role, irsa, podIdentity) => {
    // GIVEN the role WHEN its callers are listed THEN they are exactly the example's declaration
    const r = roles.find(x => describeRole(x) === role)!;
    expect(r.irsaCallers.map(c => `${c.serviceAccount.namespace}/${c.serviceAccount.name}`)).toEqual(irsa);
    expect(r.podIdentityCallers.map(c => `${c.namespace}/${c.serviceAccount}`)).toEqual(podIdentity);
  });
});

describe('every example subject on every cluster of the app', () => {

  test('each declared subject is allowed on its own cluster and denied on every other cluster, issuer and account', async () => {
    // GIVEN what the examples declared, per cluster
    const layout = declaredLayoutOfExamples(app);
    expect(layout.clusters.map(c => c.id)).toEqual([
      'campus:campus', 'irsa:campus-irsa', 'irsa:analytics', ...FLEET_CLUSTERS.map(c => `fleet:${c}`),
      'migration:campus-migration', 'fargate:campus-mixed', 'platform:platform', 'preview:campus-previews', 'self-managed:workshop',
    ]);
    // WHEN every role is asked by every declared ServiceAccount name from every cluster of the app
    const results: TrustResult[] = [];
    for (const declared of layout.roles) {
      const role = roles.find(r => r.declared?.path === declared.identityPath)!;
      results.push(...await evaluateTrustCases(layoutTrustCases(role, declared, layout)));
    }
    recordStat('layoutTrustCases', results.length);
    // THEN only the declared (cluster, ServiceAccount, mechanism) is allowed
    expect(results.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch)).toEqual([]);
    // 7 IRSA subjects (the migration reporter and the fleet exporter among them); 11 Pod Identity subjects (3 campus roles, the migration notifier, 7 platform roles),
    // the fleet's 8 + 2 + 1, the migration archiver and the reporter's kept Pod Identity trust, two actions each; the self-managed cluster's 2 IRSA subjects.
    // The preview example: pr-*/seeder (IRSA) admits its 3 matches and the undeclared probe pr-9z; pr-*/web (Pod Identity) the same 4 names,
    // two actions each; staging/web, two actions. The near misses (prx-1, pr1, kube-system, default) are denied.
    // The mixed Fargate/EC2 cluster: 2 IRSA subjects, 2 Pod Identity subjects (two actions each).
    expect(results.filter(r => r.actual === 'Allowed').length).toBe(7 + 22 + 16 + 4 + 2 + 2 + 2 + 2 + 4 + 8 + 2 + 2 + 4);
    expect(results.filter(r => r.actual === 'Denied').length).toBeGreaterThan(500);
  });

  test('each declared subject gets its association or annotation on its own cluster, and nothing else does', () => {
    expect(deliveryProblems(app, roles, declaredLayoutOfExamples(app))).toEqual([]);
  });

  test('the IRSA example trusts a provider it does not declare: delivered only under the assumption that it exists', () => {
    // GIVEN the examples' layout WHEN the referenced provider is not assumed to exist
    const layout = declaredLayoutOfExamples(app);
    // (and the fleet example's first cluster, whose provider its exporter trusts)
    const fleetIssuer = 'oidc.eks.eu-west-1.amazonaws.com/id/F1EE7000000000000000000000000001';
    expect(layout.referencedProviders).toEqual(['arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      `arn:aws:iam::123456789012:oidc-provider/${fleetIssuer}`]);
    const problems = deliveryProblems(app, roles, { ...layout, referencedProviders: [] });
    // THEN each of its three IRSA subjects lacks a provider, and so does the exporter
    expect(problems.filter(p => p.includes('no OIDC provider of issuer oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'))).toHaveLength(3);
    expect(problems.filter(p => p.includes(`no OIDC provider of issuer ${fleetIssuer}`))).toHaveLength(1);
  });
});

describe('the cross-side check over the examples', () => {
  test('every declared binding has its ServiceAccount, annotation and association, and nothing else is emitted', () => {
    // GIVEN the examples' declarations and outputs WHEN compared THEN they agree
    recordStat('crossSideBindings', app.identities.flatMap(i => i.bindings).length);
    expect(crossSideProblems(app)).toEqual([]);
  });
});

describe('the trust evaluation itself', () => {
  test('fails, naming the ServiceAccount and the role, when one character of a namespace changes', async () => {
    // GIVEN each role's trust policy with the last character of every namespace changed
    const broken = roles.map(r => ({ ...r, trustPolicy: JSON.parse(JSON.stringify(r.trustPolicy)
      .replace(/system:serviceaccount:([a-z0-9-]*)[a-z0-9]:/g, 'system:serviceaccount:$1x:')
      .replace(/("aws:RequestTag\/kubernetes-namespace":"[a-z0-9-]*)[a-z0-9]"/g, '$1x"')) }));
    // WHEN evaluated
    const mismatches: string[] = [];
    for (const role of broken) {
      mismatches.push(...(await evaluateTrustCases(trustCases(role, broken))).filter(r => r.actual !== r.trustCase.expect).map(describeMismatch));
    }
    // THEN every own request is denied, and the message names the role and the ServiceAccount
    expect(mismatches.length).toBeGreaterThanOrEqual(13);
    expect(mismatches).toContainEqual(expect.stringMatching(
      /^Role Campus\/Payment61ED5A27 \(arn:aws:iam::123456789012:role\/[^)]+\), ServiceAccount payments\/payment on cluster 'campus', POD_IDENTITY with its own association: expected Allowed, got Denied/));
    expect(mismatches).toContainEqual(expect.stringMatching(
      /^Role Irsa\/Upload3A8DF0C8 \(arn:aws:iam::123456789012:role\/IrsaUpload1F3F383D-eu-west-1\), ServiceAccount uploads\/upload on cluster 'campus-irsa', IRSA with its own token: expected Allowed, got Denied/));
  });

  test.each([
    ['Irsa/Payment61ED5A27', 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE', 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE2B7C4D9E1F0A3B5C6DEXAMPLE',
      /ServiceAccount payments\/payment, IRSA with a token of cluster migration:campus-migration .*expected Denied, got Allowed/],
    ['Campus/Payment61ED5A27', 'cluster/campus"', 'cluster/campus-migration"',
      /ServiceAccount payments\/payment, POD_IDENTITY with an association on cluster migration:campus-migration 'campus-migration' .*expected Denied, got Allowed/],
  ])('sees %s admitting its subject on another cluster of the app (written under %s, rewritten to %s)', async (name, from, to, mismatch) => {
    // GIVEN a role whose trust names another cluster of the app than the one its subject was declared on
    const layout = declaredLayoutOfExamples(app);
    const role = roles.find(r => describeRole(r) === name)!;
    const moved = { ...role, trustPolicy: JSON.parse(JSON.stringify(role.trustPolicy).split(from).join(to)) };
    // WHEN evaluated against what was declared, per cluster
    const results = await evaluateTrustCases(layoutTrustCases(moved, layout.roles.find(r => r.identityPath === role.declared!.path)!, layout));
    const mismatches = results.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch);
    // THEN the subject is reported admitted on the other cluster, and denied on its own
    expect(mismatches).toContainEqual(expect.stringMatching(mismatch));
    expect(mismatches).toContainEqual(expect.stringMatching(/ServiceAccount payments\/payment, .* (of|on) cluster (irsa|campus):campus(-irsa)? .*expected Allowed, got Denied/));
  });

  test('does not let an EKS issuer key through unmapped: iam-simulate would ignore it', async () => {
    // GIVEN a request whose claims come from an issuer the case does not name
    const role = roles.find(r => describeRole(r) === 'Irsa/Payment61ED5A27')!;
    const own = trustCases(role, [role])[0];
    // WHEN evaluated without the issuer mapping THEN the evaluation refuses instead of reporting a denial
    await expect(evaluateTrustCases([{ ...own, issuer: undefined }])).rejects.toThrow(/ignored context keys oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/EXAMPLED539D4633E53DE1B71EXAMPLE:sub/);
  });
});
