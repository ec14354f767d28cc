import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadChart } from '../../lib/k8s/workload-chart';
import { WorkloadOutputs } from '../../lib/k8s/workload-outputs';

function podIdentity(clusterName: string, namespace: string, serviceAccountName: string): WorkloadBinding {
  return { clusterName, namespace, serviceAccountName, mechanism: IdentityMechanism.POD_IDENTITY };
}

/** Every file below `dir`, relative, sorted. */
function filesBelow(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' }) as string[])
    .filter(f => fs.statSync(path.join(dir, f)).isFile()).sort() : [];
}

describe('WorkloadOutputs.synth', () => {
  let dist: string;
  beforeEach(() => { dist = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-outputs-')); });
  afterEach(() => { fs.rmSync(dist, { recursive: true, force: true }); });

  /** One cluster's cdk8s app with one workload; `broken` adds a pod on the default ServiceAccount (WI-K8S-3). */
  function clusterApp(cluster: string, broken = false): App {
    const app = new App({ outdir: path.join(dist, cluster) });
    const chart = new WorkloadChart(app, 'upload', { binding: podIdentity(cluster, 'uploads', 'upload') });
    new kplus.Deployment(chart, 'upload', { serviceAccount: chart.serviceAccount, containers: [{ image: 'upload:1', securityContext: { user: 1000 } }] });
    if (broken) {
      new kplus.Deployment(chart, 'legacy', { containers: [{ image: 'legacy:1', securityContext: { user: 1000 } }] });
    }
    return app;
  }

  test('GIVEN two clusters and a bindings file WHEN synthesized THEN each cluster has its folder and the file is written', () => {
    // GIVEN
    const bindingsFile = path.join(dist, 'bindings', 'blue.json');

    // WHEN
    WorkloadOutputs.synth({
      apps: [clusterApp('blue'), clusterApp('green')],
      bindingsFiles: [{ file: bindingsFile, bindings: [podIdentity('blue', 'uploads', 'upload')] }],
    });

    // THEN
    expect(filesBelow(dist)).toEqual([
      'bindings/blue.json',
      'blue/0000-workload-namespaces.k8s.yaml', 'blue/0001-upload.k8s.yaml',
      'green/0000-workload-namespaces.k8s.yaml', 'green/0001-upload.k8s.yaml',
    ]);
    expect(fs.readFileSync(path.join(dist, 'green', '0000-workload-namespaces.k8s.yaml'), 'utf-8')).toContain('cdk-eks-workload-identity/cluster: green');
    expect(JSON.parse(fs.readFileSync(bindingsFile, 'utf-8')).bindings.map((b: WorkloadBinding) => b.clusterName)).toEqual(['blue']);
  });

  test('GIVEN a previous run WHEN synthesized again THEN its manifests are replaced and other files kept', () => {
    // GIVEN a manifest of a chart that no longer exists, and a file that is not a manifest
    fs.mkdirSync(path.join(dist, 'blue'));
    fs.writeFileSync(path.join(dist, 'blue', '0002-removed.k8s.yaml'), 'kind: ConfigMap\n');
    fs.writeFileSync(path.join(dist, 'blue', 'kustomization.yaml'), 'resources: []\n');

    // WHEN
    WorkloadOutputs.synth({ apps: [clusterApp('blue')] });

    // THEN
    expect(filesBelow(dist)).toEqual(['blue/0000-workload-namespaces.k8s.yaml', 'blue/0001-upload.k8s.yaml', 'blue/kustomization.yaml']);
  });

  test('GIVEN a guardrail error in the second cluster WHEN synthesized THEN nothing of the run is written, and the last run stays', () => {
    // GIVEN the output of a previous, good run
    WorkloadOutputs.synth({ apps: [clusterApp('blue')] });
    const before = fs.readFileSync(path.join(dist, 'blue', '0001-upload.k8s.yaml'), 'utf-8');
    const bindingsFile = path.join(dist, 'blue.json');

    // WHEN
    expect(() => WorkloadOutputs.synth({
      apps: [clusterApp('blue'), clusterApp('green', true)],
      bindingsFiles: [{ file: bindingsFile, bindings: [podIdentity('blue', 'uploads', 'upload')] }],
    })).toThrow(/WI-K8S-3: Deployment 'uploads\/upload-legacy-[0-9a-f]+' runs as ServiceAccount 'default'/);

    // THEN no green folder, no bindings file, no temporary folder; blue as the good run left it
    expect(filesBelow(dist)).toEqual(['blue/0000-workload-namespaces.k8s.yaml', 'blue/0001-upload.k8s.yaml']);
    expect(fs.readdirSync(dist)).toEqual(['blue']);
    expect(fs.readFileSync(path.join(dist, 'blue', '0001-upload.k8s.yaml'), 'utf-8')).toBe(before);
  });

  test('GIVEN a bindings file that cannot be written WHEN synthesized THEN no manifest is written either', () => {
    // A cluster created in the CDK app without a literal name: its binding cannot go to a file.
    const unnamed = podIdentity('${Token[TOKEN.42]}', 'uploads', 'upload');

    expect(() => WorkloadOutputs.synth({ apps: [clusterApp('blue')], bindingsFiles: [{ file: path.join(dist, 'b.json'), bindings: [unnamed] }] }))
      .toThrow("Cannot write the binding for 'uploads/upload': its cluster name '${Token[TOKEN.42]}' is an unresolved CDK token");
    expect(filesBelow(dist)).toEqual([]);
  });

  test('GIVEN a cdk8s validation error WHEN synthesized THEN no manifest is written and the app keeps its outdir', () => {
    const app = clusterApp('blue');
    new Chart(app, 'invalid').node.addValidation({ validate: () => ['not today'] });

    expect(() => WorkloadOutputs.synth({ apps: [app] })).toThrow('[invalid] not today');
    expect(fs.readdirSync(dist)).toEqual([]);
    expect(app.outdir).toBe(path.join(dist, 'blue'));
  });

  test('GIVEN two apps with one outdir WHEN synthesized THEN the error says to give each cluster its folder', () => {
    const blue = clusterApp('blue');
    const again = new App({ outdir: path.join(dist, 'blue') });

    expect(() => WorkloadOutputs.synth({ apps: [blue, again] }))
      .toThrow(`Two cdk8s apps write '${path.join(dist, 'blue')}'; give each cluster's app its own outdir (e.g. 'dist/<cluster>').`);
    expect(fs.readdirSync(dist)).toEqual([]);
  });
});

describe('Helm values beside the manifests', () => {
  const release = (values: { [key: string]: any }, name = 'karpenter') => ({
    release: name, namespace: 'kube-system', repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1', values,
  });

  test('each release goes to <outdir>/helm/<release>.values.yaml under its helm install line', () => {
    // GIVEN one cluster's app and a release
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
    const app = new App({ outdir: path.join(dir, 'platform') });
    new Chart(app, 'empty');
    // WHEN the outputs are written
    WorkloadOutputs.synth({ apps: [app], helmValues: [{ app, releases: [release({ settings: { clusterName: 'platform' } })] }] });
    // THEN the values file is next to the manifests, with the install line of the checked chart version
    const text = fs.readFileSync(path.join(dir, 'platform', 'helm', 'karpenter.values.yaml'), 'utf-8');
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# helm install karpenter oci://public.ecr.aws/karpenter/karpenter --version 1.14.1 --namespace kube-system -f karpenter.values.yaml',
      '# Values checked against chart karpenter 1.14.1; merge your own values into these.',
      'settings:',
      '  clusterName: platform',
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['a token', [release({ settings: { interruptionQueue: '${Token[TOKEN.12]}' } })],
      "Helm values of release 'karpenter' (for '<outdir>') are known only at deployment: settings.interruptionQueue."],
    ['an intrinsic', [release({ vpcId: { Ref: 'Vpc8378EB38' } })], "are known only at deployment: vpcId."],
    ['two releases of one name', [release({}), release({})], "Two Helm releases named 'karpenter' for the cluster writing '<outdir>': give each release its own name."],
  ])('%s is refused by name and nothing is written', (_case, releases, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
    const outdir = path.join(dir, 'platform');
    const app = new App({ outdir });
    new Chart(app, 'empty');
    expect(() => WorkloadOutputs.synth({ apps: [app], helmValues: [{ app, releases }] })).toThrow(message.replace('<outdir>', outdir));
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('values for an app that is not written are refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
    const app = new App({ outdir: path.join(dir, 'a') });
    const other = new App({ outdir: path.join(dir, 'b') });
    expect(() => WorkloadOutputs.synth({ apps: [app], helmValues: [{ app: other, releases: [release({})] }] })).toThrow(
      `Helm values are given for the cdk8s app writing '${path.join(dir, 'b')}', which is not in apps: add it to apps, or give the releases to the app of their cluster.`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test('a release without a checked chart version installs the latest, and says so', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
  const app = new App({ outdir: path.join(dir, 'c') });
  WorkloadOutputs.synth({ apps: [app], helmValues: [{ app, releases: [{ release: 'x', namespace: 'ns', repository: 'https://charts.example.com', chart: 'x', values: {} }] }] });
  expect(fs.readFileSync(path.join(dir, 'c', 'helm', 'x.values.yaml'), 'utf-8').split('\n').slice(0, 2)).toEqual([
    '# helm install x x --repo https://charts.example.com --namespace ns -f x.values.yaml',
    '# Values checked against chart x (no version named); merge your own values into these.',
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
});
