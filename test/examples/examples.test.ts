import { awsFacts, crossSideProblems } from './cross-side';
import { SynthesizedExample, synthesizeExamples } from './synthesize-examples';

let examples: SynthesizedExample[];

/** CDKMetadata's Analytics blob encodes the library's own construct list: noise for a review. */
function withoutAnalytics(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  if (copy.Resources?.CDKMetadata?.Properties?.Analytics) { copy.Resources.CDKMetadata.Properties.Analytics = '<version analytics>'; }
  return copy;
}
const example = (name: string) => examples.find(e => e.name === name)!;
const stack = (name: string) => examples.flatMap(e => e.stacks).find(s => s.stackName === name)!;

beforeAll(() => {
  // Template validity is the point here: run aws-cdk-lib's built-in
  // CloudFormation validation, in error mode as cdk.json sets it.
  delete process.env.CDK_VALIDATION;
  examples = synthesizeExamples();
}, 120_000);

afterAll(() => {
  process.env.CDK_VALIDATION = 'false';
});

describe.each(['campus', 'irsa', 'migration', 'preview', 'self-managed', 'fargate'])('example %s', (name) => {
  test('the AWS side and the Kubernetes side agree', () => {
    expect(crossSideProblems(example(name))).toEqual([]);
  });

  test('it has identities to check', () => {
    const facts = awsFacts(example(name));
    expect(facts.irsaRoles.length + facts.podIdentityStatements.length).toBeGreaterThan(0);
  });

  test('templates and manifests match the reviewed snapshot', () => {
    const { stacks, yaml } = example(name);
    expect({ templates: Object.fromEntries(stacks.map(s => [s.stackName, withoutAnalytics(s.template)])), manifests: yaml }).toMatchSnapshot();
  });
});

test('campus: three Pod Identity workloads, one agent add-on, no OIDC provider', () => {
  const facts = awsFacts(example('campus'));
  expect(facts.associations.map(a => `${a.namespace}/${a.serviceAccount}`).sort())
    .toEqual(['payments/payment', 'reporting/report', 'uploads/upload']);
  expect(facts.agentAddons).toHaveLength(1);
  expect(facts.irsaRoles).toEqual([]);
  const types = Object.values<any>(stack('Campus').template.Resources).map(r => r.Type);
  expect(types).not.toContain('AWS::IAM::OIDCProvider');
});

test('irsa with a literal issuer on a cluster owned elsewhere: no Lambda function, no custom resource, no OIDC provider', () => {
  const types = Object.values<any>(stack('Irsa').template.Resources).map(r => r.Type);
  expect(types.filter(t => t === 'AWS::Lambda::Function' || t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource')).toEqual([]);
  expect(types.filter(t => t === 'AWS::IAM::OIDCProvider')).toEqual([]);
  // every role trusts the existing provider of the issuer, by the ARN IAM gives it in the stack's account
  const federated = Object.values<any>(stack('Irsa').template.Resources).filter(r => r.Type === 'AWS::IAM::Role')
    .flatMap(r => r.Properties.AssumeRolePolicyDocument.Statement.map((st: any) => st.Principal.Federated));
  expect(federated).toEqual(Array(3).fill('arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'));
  expect(awsFacts(example('irsa')).irsaRoles.filter(r => r.stack === 'Irsa').map(r => r.subjects)).toEqual([
    ['system:serviceaccount:payments:payment'],
    ['system:serviceaccount:reporting:report'],
    ['system:serviceaccount:uploads:upload'],
  ]);
});

test('irsa on a cluster created in the stack: the token issuer goes through CfnJson', () => {
  const types = Object.values<any>(stack('IrsaOnNewCluster').template.Resources).map(r => r.Type);
  expect(types).toContain('Custom::AWSCDKCfnJson');
  expect(types.filter(t => t === 'AWS::IAM::OIDCProvider')).toHaveLength(1);
  expect(awsFacts(example('irsa')).irsaRoles.filter(r => r.stack === 'IrsaOnNewCluster').map(r => r.subjects))
    .toEqual([['system:serviceaccount:analytics:report-reader']]);
});

test('migration: each workload\'s trust is its phase\'s, and its ServiceAccount shows the phase', () => {
  const facts = awsFacts(example('migration'));
  // the stack owns the cluster's provider
  expect(Object.values<any>(stack('Migration').template.Resources).filter(r => r.Type === 'AWS::IAM::OIDCProvider')).toHaveLength(1);
  // notifier (to Pod Identity, switched) and reporter (to IRSA, switched) keep both; archiver (finished) is Pod Identity only.
  expect(facts.irsaRoles.map(r => r.subjects)).toEqual([['system:serviceaccount:notifications:notifier'], ['system:serviceaccount:reports:reporter']]);
  expect(facts.podIdentityStatements.map(s => `${s.namespace}/${s.serviceAccount}`)).toEqual(['notifications/notifier', 'archive/archiver', 'reports/reporter']);
  expect(facts.associations.map(a => `${a.namespace}/${a.serviceAccount}`)).toEqual(['notifications/notifier', 'archive/archiver']);
  const annotations = Object.fromEntries(example('migration').manifests.filter(o => o.kind === 'ServiceAccount').map(o => [o.metadata.name, o.metadata.annotations]));
  expect(annotations.notifier['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::123456789012:role\/MigrationNotifier/);
  expect(annotations.archiver['eks.amazonaws.com/role-arn']).toBeUndefined();
  expect(annotations.reporter['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::123456789012:role\/MigrationReporter/);
  expect(Object.fromEntries(Object.entries(annotations).map(([name, a]: [string, any]) => [name, a['cdk-eks-workload-identity/migration']]))).toEqual({
    notifier: 'irsa-to-pod-identity/switched', archiver: 'irsa-to-pod-identity/finished', reporter: 'pod-identity-to-irsa/switched',
  });
});

test('fargate: one role trusts the Fargate namespace by IRSA and the EC2 namespace by Pod Identity, each only for itself; each ServiceAccount says why', () => {
  const facts = awsFacts(example('fargate'));
  const ingest = (id: string) => id.startsWith('Ingest');
  // ingest: IRSA only for batch-nightly (every pod on Fargate, by batch-*), Pod Identity only for ingest (EC2 nodes); frontend: IRSA (labelled Fargate pods)
  expect(facts.irsaRoles.map(r => [r.logicalId.replace(/[0-9A-F]{8}$/, ''), r.subjects])).toEqual([
    ['Ingest', ['system:serviceaccount:batch-nightly:ingest']], ['Frontend', ['system:serviceaccount:web:frontend']],
  ]);
  expect(facts.podIdentityStatements.map(x => [x.logicalId.replace(/[0-9A-F]{8}$/, ''), `${x.namespace}/${x.serviceAccount}`])).toEqual([
    ['Ingest', 'ingest/ingest'], ['Api', 'web/api'],
  ]);
  expect(facts.associations.map(a => `${a.namespace}/${a.serviceAccount}`)).toEqual(['ingest/ingest', 'web/api']);
  expect(facts.irsaRoles.filter(r => ingest(r.logicalId))).toHaveLength(1);
  const annotations = Object.fromEntries(example('fargate').manifests.filter(o => o.kind === 'ServiceAccount')
    .map(o => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.annotations['cdk-eks-workload-identity/mechanism-reason']]));
  expect(annotations).toEqual({
    'batch-nightly/ingest': "IRSA: Fargate profile 'batch' (namespace 'batch-*') runs every pod of namespace 'batch-nightly' on Fargate, " +
      'where Pod Identity gives no credentials; IRSA serves pods on Fargate and on nodes',
    'ingest/ingest': undefined,
    'web/frontend': "IRSA: Fargate profile 'web-burst' (namespace 'web', labels compute=fargate) runs the pods of namespace 'web' with those labels on Fargate, " +
      'where Pod Identity gives no credentials; IRSA serves pods on Fargate and on nodes',
    'web/api': "POD_IDENTITY as declared: Fargate profile 'web-burst' (namespace 'web', labels compute=fargate) runs the pods of namespace 'web' with those labels on Fargate, " +
      'where Pod Identity gives no credentials; no pod of this ServiceAccount may carry those labels (WI-K8S-7)',
  });
});

describe('the cross-side check fails when the sides disagree', () => {
  const clone = (name: string): { -readonly [K in keyof SynthesizedExample]: SynthesizedExample[K] } => JSON.parse(JSON.stringify(example(name)));

  test('one character of a namespace in an IRSA trust policy', () => {
    const broken = clone('irsa');
    const role = broken.stacks.find(s => s.stackName === 'Irsa')!.template.Resources.Payment61ED5A27;
    const condition = role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals;
    const subKey = Object.keys(condition).find(k => k.endsWith(':sub'))!;
    condition[subKey] = 'system:serviceaccount:payment:payment';
    expect(crossSideProblems(broken)).toEqual([
      "role Irsa/Payment61ED5A27 trusts 'system:serviceaccount:payment:payment', which the manifests do not define exactly once",
      "ServiceAccount 'payments/payment': role Payment61ED5A27 trusts [\"system:serviceaccount:payment:payment\"], not exactly 'system:serviceaccount:payments:payment'",
    ]);
  });

  test('a Pod Identity association for a ServiceAccount the manifests lack', () => {
    const broken = clone('campus');
    broken.manifests = broken.manifests.filter(o => !(o.kind === 'ServiceAccount' && o.metadata.name === 'upload'));
    expect(crossSideProblems(broken)).toEqual(expect.arrayContaining([
      "Deployment uploads/upload runs as ServiceAccount 'uploads/upload', which the manifests do not define exactly once",
      "association Campus/UploadPodIdentityAssociationE618BFD1 is for ServiceAccount 'uploads/upload', defined 0 times in the manifests",
    ]));
  });

  test('a pod on the default ServiceAccount', () => {
    const broken = clone('migration');
    delete broken.manifests.find(o => o.kind === 'Deployment').spec.template.spec.serviceAccountName;
    expect(crossSideProblems(broken)).toEqual(expect.arrayContaining([
      "Deployment notifications/notifier runs as the 'default' ServiceAccount",
      "association Migration/NotifierPodIdentityAssociation4A2861FC: no pod runs as ServiceAccount 'notifications/notifier'",
    ]));
  });
});

test('preview: Pod Identity matches get exactly the declared preview namespaces; the IRSA pattern is StringLike with the exact audience', () => {
  const facts = awsFacts(example('preview'));
  expect(facts.associations.map(a => `${a.namespace}/${a.serviceAccount}`).sort())
    .toEqual(['pr-123/web', 'pr-124/web', 'pr-131/web', 'staging/web']);
  expect(facts.podIdentityStatements.filter(s => s.like).map(s => `${s.namespace}/${s.serviceAccount}`)).toEqual(['pr-*/web']);
  expect(facts.irsaRoles.map(r => ({ subjects: r.subjects, patterns: r.patterns, audiences: r.audiences }))).toEqual([
    { subjects: [], patterns: ['system:serviceaccount:pr-*:seeder'], audiences: ['sts.amazonaws.com'] },
  ]);
  const seeders = example('preview').manifests.filter(o => o.kind === 'ServiceAccount' && o.metadata.name === 'seeder');
  expect(seeders.map(o => [o.metadata.namespace, o.metadata.annotations['cdk-eks-workload-identity/subject-pattern']])).toEqual([
    ['pr-123', 'pr-*/seeder'], ['pr-124', 'pr-*/seeder'], ['pr-131', 'pr-*/seeder'],
  ]);
});

test('the cross-side check fails on a pattern the ServiceAccount does not match, and on an unsafe pattern', () => {
  const preview = example('preview');
  const edited = JSON.parse(JSON.stringify(preview.manifests));
  const sa = edited.find((o: any) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'pr-123' && o.metadata.name === 'seeder');
  sa.metadata.namespace = 'prx-123';
  edited.filter((o: any) => o.metadata.namespace === 'pr-123' && o.kind === 'Deployment' && o.spec.template.spec.serviceAccountName === 'seeder')
    .forEach((o: any) => { o.metadata.namespace = 'prx-123'; });
  expect(crossSideProblems({ ...preview, manifests: edited })).toContain(
    "ServiceAccount 'prx-123/seeder': role PreviewSeeder809C95FE trusts the patterns [\"system:serviceaccount:pr-*:seeder\"], not 'system:serviceaccount:pr-*:seeder' matching 'system:serviceaccount:prx-123:seeder'");
  const stacks = JSON.parse(JSON.stringify(preview.stacks.map(s => ({ ...s, template: s.template }))));
  const role = stacks[0].template.Resources.PreviewSeeder809C95FE;
  const like = role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringLike;
  like[Object.keys(like)[0]] = 'system:serviceaccount:*:seeder';
  expect(crossSideProblems({ ...preview, stacks: preview.stacks.map((s, i) => ({ ...s, template: stacks[i].template })) })).toContain(
    "role Preview/PreviewSeeder809C95FE trusts the pattern 'system:serviceaccount:*:seeder', which has no literal prefix ending in '-', crosses the namespace/name separator or reaches the cluster's own namespaces");
});
