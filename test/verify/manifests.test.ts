import { FLEET_CLUSTERS } from '../../examples/fleet';
import { validateManifestObject, validateManifestObjects } from './manifest-schema';
import { synthesizeExamples, SynthesizedApp } from './synthesized-app';
import { recordStat } from './verify-stats';

let app: SynthesizedApp;

beforeAll(() => {
  app = synthesizeExamples();
});
afterAll(() => app?.dispose());

describe('every emitted Kubernetes object against the Kubernetes schema', () => {
  test('the examples write one folder per cluster, one YAML file per chart, the namespaces first', () => {
    // GIVEN the synthesized examples WHEN their output is listed THEN each cluster has its folder, each chart its file with objects in it
    expect(app.manifests.map(m => `${m.example}/${m.cluster}/${m.chart}`)).toEqual([
      'campus/campus/0000-workload-namespaces', 'campus/campus/0001-payment', 'campus/campus/0002-report', 'campus/campus/0003-upload',
      'irsa/analytics/0000-workload-namespaces', 'irsa/analytics/0001-report-reader',
      'irsa/campus-irsa/0000-workload-namespaces', 'irsa/campus-irsa/0001-payment', 'irsa/campus-irsa/0002-report', 'irsa/campus-irsa/0003-upload',
      // The ledger writer on every cluster of the fleet, the reporter, the tenants' apps and the exporter on the first.
      ...FLEET_CLUSTERS.flatMap((c, i) => [`fleet/${c}/0000-workload-namespaces`, `fleet/${c}/0001-ledger-writer`,
        ...(i === 0 ? [`fleet/${c}/0002-reporter`, `fleet/${c}/0003-tenant-a-app`, `fleet/${c}/0004-tenant-b-app`, `fleet/${c}/0005-exporter`] : [])]),
      'migration/campus-migration/0000-workload-namespaces', 'migration/campus-migration/0001-notifier',
      'migration/campus-migration/0002-archiver', 'migration/campus-migration/0003-reporter',
      // The mixed Fargate/EC2 cluster: one identity's two ServiceAccounts, then the labelled namespace's two.
      'fargate/campus-mixed/0000-workload-namespaces', 'fargate/campus-mixed/0001-ingest-nightly', 'fargate/campus-mixed/0002-ingest-streaming',
      'fargate/campus-mixed/0003-frontend', 'fargate/campus-mixed/0004-api',
      'platform/platform/0000-workload-namespaces', 'platform/platform/0001-platform',
      // The preview environments: staging, then each open pull request's web and seeder.
      'preview/campus-previews/0000-workload-namespaces', 'preview/campus-previews/0001-staging-web',
      ...[123, 124, 131].flatMap(pr => [`preview/campus-previews/000${2 + 2 * [123, 124, 131].indexOf(pr)}-pr-${pr}-web`, `preview/campus-previews/000${3 + 2 * [123, 124, 131].indexOf(pr)}-pr-${pr}-seeder`]),
      // The self-managed cluster: the pod identity webhook before the two workloads it gives tokens to.
      'self-managed/workshop/0000-workload-namespaces', 'self-managed/workshop/0001-pod-identity-webhook',
      'self-managed/workshop/0002-ingest', 'self-managed/workshop/0003-worker',
    ]);
    expect(app.manifests.every(m => m.objects.length > 0)).toBe(true);
    // AND applied in the order kubectl applies a folder (files in lexical order), every namespace exists before what lives in it
    const folders = [...new Set(app.manifests.map(m => `${m.example}/${m.cluster}`))];
    for (const folder of folders) {
      const applied = app.manifests.filter(m => `${m.example}/${m.cluster}` === folder).flatMap(m => m.objects);
      // Every cluster has these; the library never declares them.
      const created = new Set<string>(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
      for (const o of applied) {
        if (o.metadata.namespace) { expect(`${folder}: ${o.kind} ${o.metadata.namespace}/${o.metadata.name} after its Namespace: ${created.has(o.metadata.namespace)}`).toMatch(/: true$/); }
        if (o.kind === 'Namespace') { created.add(o.metadata.name!); }
      }
      // AND the folder says which cluster it is for
      expect(applied.filter(o => o.kind === 'Namespace' || o.kind === 'ServiceAccount').map(o => o.metadata.annotations?.['cdk-eks-workload-identity/cluster']))
        .toEqual(applied.filter(o => o.kind === 'Namespace' || o.kind === 'ServiceAccount').map(() => folder.split('/')[1]));
    }
  });

  test('every object is valid, with no unknown field and valid names', () => {
    // GIVEN every object of every file
    const objects = app.manifests.flatMap(m => m.objects);
    // WHEN validated against the OpenAPI schema and the API server's name rules
    const problems = validateManifestObjects(objects);
    recordStat('manifestFiles', app.manifests.length);
    recordStat('manifestObjects', objects.length);
    // THEN there is no problem
    expect(problems).toEqual([]);
    expect(objects.map(o => o.kind).sort()).toEqual([
      // The platform's controllers: their namespaces and ServiceAccounts (Helm installs the pods; the add-ons their ServiceAccounts).
      // The fleet's ledger on each of its 8 clusters, its 2 tenants, its reporter and exporter; the migration example's archiver and reporter.
      // The self-managed cluster: the webhook (cert-manager Issuer and Certificate, RBAC, Deployment, Service, webhook configuration) and its 2 workloads.
      // The preview example: staging's web and 3 previews' web and seeder, in 4 namespaces.
      // The mixed Fargate/EC2 cluster: 4 Deployments and ServiceAccounts in 3 namespaces.
      'Certificate', 'ClusterRole', 'ClusterRoleBinding',
      ...Array(8 + 8 + 2 + 2 + 2 + 3 + 7 + 4).fill('Deployment'), 'Issuer', 'MutatingWebhookConfiguration',
      ...Array(8 + 3 + 8 + 2 + 2 + 2 + 3 + 4 + 3).fill('Namespace'), 'Service', ...Array(8 + 5 + 8 + 2 + 2 + 2 + 3 + 7 + 4).fill('ServiceAccount'),
    ]);
  });
});

describe('the schema check itself', () => {
  const serviceAccount = () => JSON.parse(JSON.stringify(app.manifests.flatMap(m => m.objects).find(o => o.kind === 'ServiceAccount')));
  const deployment = () => JSON.parse(JSON.stringify(app.manifests.flatMap(m => m.objects).find(o => o.kind === 'Deployment')));

  test('rejects an unknown field, at any depth', () => {
    // GIVEN objects with misspelled fields
    const sa = { ...serviceAccount(), automountServiceAccountTokens: false };
    const dep = deployment();
    dep.spec.template.spec.serviceAccount_name = 'payment';
    dep.spec.template.spec.containers[0].securityContext.runAsUsr = 1000;
    // WHEN validated THEN each unknown field is named
    expect(validateManifestObject(sa).map(p => p.message)).toEqual(['unknown field .automountServiceAccountTokens']);
    expect(validateManifestObject(dep).map(p => p.message)).toEqual([
      'unknown field .spec.template.spec.containers[0].securityContext.runAsUsr',
      'unknown field .spec.template.spec.serviceAccount_name',
    ]);
  });

  test('accepts any key in maps (labels, annotations, resource limits)', () => {
    // GIVEN an object with new keys only inside map fields
    const dep = deployment();
    dep.metadata.labels = { 'app.kubernetes.io/name': 'payment' };
    dep.metadata.annotations = { 'example.com/owner': 'payments-team' };
    dep.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '1';
    // WHEN validated THEN there is no problem
    expect(validateManifestObject(dep)).toEqual([]);
  });

  test('rejects wrong types, bad enum values, invalid names and unknown kinds', () => {
    // GIVEN invalid objects WHEN validated THEN each problem is reported
    const sa = serviceAccount();
    sa.metadata.annotations = { 'eks.amazonaws.com/role-arn': 42 };
    sa.metadata.name = 'Payment';
    expect(validateManifestObject(sa).map(p => p.message)).toEqual([
      'schema: data/metadata/annotations/eks.amazonaws.com~1role-arn must be string',
      "metadata.name 'Payment' is not an RFC 1123 subdomain of at most 253 characters",
    ]);
    const dep = deployment();
    dep.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    expect(validateManifestObject(dep).map(p => p.message)).toEqual([
      'schema: data/spec/template/spec/containers/0/imagePullPolicy must be equal to one of the allowed values',
    ]);
    expect(validateManifestObject({ apiVersion: 'v1', kind: 'ServiceAcount', metadata: { name: 'x' } }).map(p => p.message))
      .toEqual(["no schema for apiVersion 'v1' kind 'ServiceAcount' in kubernetes-models"]);
  });
});
