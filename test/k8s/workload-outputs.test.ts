import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { WorkloadIdentity } from '../../lib/aws/identity/workload-identity';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadIdentityErrors } from '../../lib/core/validation-error';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadChart } from '../../lib/k8s/workload-chart';
import { WorkloadOutputs } from '../../lib/k8s/workload-outputs';
import { ACCOUNT, eksCluster, REGION } from '../fixtures';

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

  test('GIVEN a run that wrote the first cluster and fails on the second WHEN synthesized THEN the first cluster\'s folder is as the last run left it', () => {
    // GIVEN a previous run's folder: a chart since removed, its Helm values, a file that is not a manifest
    const blue = path.join(dist, 'blue');
    fs.mkdirSync(path.join(blue, 'helm'), { recursive: true });
    fs.writeFileSync(path.join(blue, '0000-workload-namespaces.k8s.yaml'), 'kind: Namespace\n');
    fs.writeFileSync(path.join(blue, '0002-removed.k8s.yaml'), 'kind: ConfigMap\n');
    fs.writeFileSync(path.join(blue, 'helm', 'old.values.yaml'), 'old: true\n');
    fs.writeFileSync(path.join(blue, 'kustomization.yaml'), 'resources: []\n');
    const before = Object.fromEntries(filesBelow(blue).map(f => [f, fs.readFileSync(path.join(blue, f), 'utf-8')]));
    const app = clusterApp('blue');
    const release = { release: 'x', namespace: 'ns', repository: 'https://charts.example.com', chart: 'x', values: {} };

    // WHEN blue synthesizes (other manifests, new Helm values) and green fails its guardrails
    expect(() => WorkloadOutputs.synth({ apps: [app, clusterApp('green', true)], helmValues: [{ app, releases: [release] }] }))
      .toThrow(/WI-K8S-3: Deployment 'uploads\/upload-legacy-[0-9a-f]+' runs as ServiceAccount 'default'/);

    // THEN blue holds exactly its previous files, and no folder of the run is left beside it
    expect(Object.fromEntries(filesBelow(blue).map(f => [f, fs.readFileSync(path.join(blue, f), 'utf-8')]))).toEqual(before);
    expect(fs.readdirSync(dist)).toEqual(['blue']);
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

  describe('the order of the outputs (issue 18)', () => {
    /** A CDK app with one Pod Identity workload, and its ServiceAccount rendered into a cdk8s app of the cluster. */
    function bothSides(options: { failValidation?: boolean; yamlOutputType?: YamlOutputType } = {}) {
      const awsApp = new cdk.App({ outdir: path.join(dist, 'cdk.out'), context: options.failValidation ? { '@aws-cdk/core:failSynthOnValidationErrors': false } : {} });
      const stack = new cdk.Stack(awsApp, 'Campus', { env: { account: ACCOUNT, region: REGION } });
      const upload = new WorkloadIdentity(stack, 'Upload', { cluster: eksCluster(stack), namespace: 'uploads', serviceAccountName: 'upload' });
      if (options.failValidation) {
        // WI-AWS-1: a static access key, an error of the AWS guardrails
        new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
      }
      const campus = new App({ outdir: path.join(dist, 'campus'), yamlOutputType: options.yamlOutputType });
      new WorkloadChart(campus, 'upload', { binding: upload.primaryBinding });
      return { awsApp, campus, upload };
    }

    test('GIVEN WorkloadOutputs.synth called before the CDK app\'s app.synth() WHEN run THEN it refuses and writes nothing', () => {
      // GIVEN
      const { awsApp, campus, upload } = bothSides();

      // WHEN / THEN
      expect(() => WorkloadOutputs.synth({ apps: [campus], bindingsFiles: [{ file: path.join(dist, 'campus.json'), bindings: upload.bindings }] })).toThrow(
        `WorkloadOutputs.synth ran before the CDK app writing '${path.join(dist, 'cdk.out')}' synthesized, and the binding of 'uploads/upload' on cluster 'campus' ` +
        "(rendered by 'upload/service-account') comes from it: YAML written now would stand even if its templates then fail. " +
        'Call app.synth() first, then WorkloadOutputs.synth({ apps, bindingsFiles }) as the last call of the program.');
      expect(filesBelow(dist)).toEqual([]);

      // and in the documented order it writes
      awsApp.synth();
      WorkloadOutputs.synth({ apps: [campus], bindingsFiles: [{ file: path.join(dist, 'campus.json'), bindings: upload.bindings }] });
      expect(filesBelow(path.join(dist, 'campus'))).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-upload.k8s.yaml']);
      expect(fs.existsSync(path.join(dist, 'campus.json'))).toBe(true);
    });

    test('GIVEN a bindings file of an unsynthesized CDK app WHEN written THEN it is refused too, naming the file', () => {
      const { upload } = bothSides();
      const file = path.join(dist, 'campus.json');
      expect(() => WorkloadOutputs.synth({ apps: [], bindingsFiles: [{ file, bindings: upload.bindings }] }))
        .toThrow(`and the binding of 'uploads/upload' on cluster 'campus' (in bindings file '${file}') comes from it`);
      expect(fs.existsSync(file)).toBe(false);
    });

    test('GIVEN subject patterns of an unsynthesized CDK app WHEN written THEN they are refused as bindings are; after app.synth() the file is version 3', () => {
      // GIVEN an IRSA pattern: the file records it for a cdk8s-only repository
      const { awsApp, upload } = bothSides();
      const seeder = new WorkloadIdentity(cdk.Stack.of(upload), 'Seeder', {
        cluster: eksCluster(cdk.Stack.of(upload), 'Previews', 'campus-previews'), namespacePattern: 'pr-*', serviceAccountName: 'seeder', mechanism: IdentityMechanism.IRSA,
      });
      const file = path.join(dist, 'campus-previews.json');

      // WHEN / THEN
      expect(() => WorkloadOutputs.synth({ apps: [], bindingsFiles: [{ file, bindings: [], subjectPatterns: seeder.subjectPatterns }] }))
        .toThrow(`and the subject pattern 'pr-*/seeder' on cluster 'campus-previews' (in bindings file '${file}') comes from it`);
      expect(fs.existsSync(file)).toBe(false);
      awsApp.synth();
      WorkloadOutputs.synth({ apps: [], bindingsFiles: [{ file, bindings: [], subjectPatterns: seeder.subjectPatterns }] });
      expect(JSON.parse(fs.readFileSync(file, 'utf-8'))).toEqual({ version: 3, bindings: [], subjectPatterns: seeder.subjectPatterns });
    });

    test('GIVEN a CDK app whose synth failed validation without throwing WHEN WorkloadOutputs.synth runs THEN it refuses', () => {
      // GIVEN failSynthOnValidationErrors off: app.synth() reports the WI-AWS-1 error and returns
      const { awsApp, campus } = bothSides({ failValidation: true });
      synthWarningFree(() => awsApp.synth());

      // WHEN / THEN
      expect(() => WorkloadOutputs.synth({ apps: [campus] })).toThrow(
        `WorkloadOutputs.synth refuses to write: the CDK app writing '${path.join(dist, 'cdk.out')}' failed validation, and the binding of 'uploads/upload' ` +
        "on cluster 'campus' (rendered by 'upload/service-account') comes from it. Fix the errors of its synth (the guardrails' and aws-cdk-lib's report), then synthesize again.");
      expect(fs.existsSync(path.join(dist, 'campus'))).toBe(false);
    });

    test('GIVEN a process whose exit code is already set WHEN WorkloadOutputs.synth runs THEN it refuses', () => {
      const previous = process.exitCode;
      process.exitCode = 1;
      try {
        expect(() => WorkloadOutputs.synth({ apps: [clusterApp('blue')] })).toThrow(
          'WorkloadOutputs.synth refuses to write: this process has already failed (exit code 1, set for example by aws-cdk-lib when validation errors do not fail app.synth()). ' +
          'Fix the error reported above, then synthesize again.');
      } finally {
        process.exitCode = previous;
      }
      expect(filesBelow(dist)).toEqual([]);
    });

    test.each([['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE], ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE]])(
      'GIVEN yamlOutputType %s WHEN synthesized THEN it is refused: the Deployment would be applied before its Namespace', (_, yamlOutputType) => {
        // GIVEN
        const app = new App({ outdir: path.join(dist, 'blue'), yamlOutputType });
        const chart = new WorkloadChart(app, 'upload', { binding: podIdentity('blue', 'uploads', 'upload') });
        new kplus.Deployment(chart, 'upload', { serviceAccount: chart.serviceAccount, containers: [{ image: 'upload:1', securityContext: { user: 1000 } }] });

        // WHEN / THEN
        const error = synthErrorOf(() => WorkloadOutputs.synth({ apps: [app] }));
        expect(error?.message).toContain(`The cdk8s app writing '${path.join(dist, 'blue')}' has yamlOutputType ${YamlOutputType[yamlOutputType]}: `);
        expect(error?.message).toContain('Keep YamlOutputType.FILE_PER_CHART (the default) or FILE_PER_APP: the namespaces chart is then written and applied first.');
        expect(WorkloadIdentityErrors.constructPathOf(error)).toBe('workload-namespaces');
        expect(filesBelow(dist)).toEqual([]);
        // and the app's own synth refuses it as well
        expect(() => app.synth()).toThrow(`has yamlOutputType ${YamlOutputType[yamlOutputType]}`);
      });

    test('GIVEN a guardrail error WHEN synthesized THEN the error is a WorkloadIdentityError naming the construct', () => {
      const error = synthErrorOf(() => WorkloadOutputs.synth({ apps: [clusterApp('blue', true)] }));
      expect(WorkloadIdentityErrors.isWorkloadIdentityError(error)).toBe(true);
      expect(WorkloadIdentityErrors.constructPathOf(error)).toBe('KubernetesGuardrails');
      expect(error?.message).toMatch(/WI-K8S-3: Deployment 'uploads\/upload-legacy-[0-9a-f]+' runs as ServiceAccount 'default'/);
    });
  });

  describe('a cdk8s app never written (issue 18, issue 21)', () => {
    /** Runs a program under tsx as the CDK CLI would (CDK_OUTDIR set): its exit code and stderr. */
    function runAsCdkApp(body: string): { status: number | null; stderr: string } {
      const script = path.join(dist, 'app.ts');
      fs.writeFileSync(script, [
        // Absolute paths: the program lives in a temporary folder, outside the repository's node_modules.
        `import { App } from ${JSON.stringify(require.resolve('cdk8s'))};`,
        `import { DeployTimeConfigMap, WorkloadChart, WorkloadOutputs } from ${JSON.stringify(path.resolve(__dirname, '../../lib/k8s/index.ts'))};`,
        `const campus = new App({ outdir: ${JSON.stringify(path.join(dist, 'campus'))} });`,
        `new WorkloadChart(campus, 'upload', { binding: { clusterName: 'campus', namespace: 'uploads', serviceAccountName: 'upload', mechanism: 'POD_IDENTITY' as any } });`,
        body,
      ].join('\n'));
      const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
      const run = spawnSync(tsx, [script], { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, CDK_OUTDIR: path.join(dist, 'cdk.out') }, encoding: 'utf-8' });
      return { status: run.status, stderr: run.stderr };
    }

    test('GIVEN a program run by the CDK CLI that never calls WorkloadOutputs.synth WHEN it exits THEN the run fails and says why', () => {
      const { status, stderr } = runAsCdkApp('// WorkloadOutputs.synth forgotten');
      expect(stderr).toContain(`[ERROR] cdk-eks-workload-identity: the cdk8s app writing '${path.join(dist, 'campus')}' was never written: this run wrote no Kubernetes YAML for it. ` +
        'End the program with WorkloadOutputs.synth({ apps, bindingsFiles }) after app.synth().');
      expect(status).toBe(1);
    });

    test('GIVEN a deploy-time value not deployed yet WHEN WorkloadOutputs.synth holds the folder back THEN the run passes, so the first cdk deploy can go on', () => {
      const { status, stderr } = runAsCdkApp([
        `new DeployTimeConfigMap(campus.charts[0], 'settings', { metadata: { name: 'upload-settings' }, outputsFile: ${JSON.stringify(path.join(dist, 'no-outputs.json'))}, ` +
        "values: { BUCKET_NAME: { stackName: 'Uploads', outputKey: 'BucketNameOutput6F3A' } } });",
        'WorkloadOutputs.synth({ apps: [campus] });',
      ].join('\n'));
      expect(stderr).toContain('Kubernetes manifests not written yet:');
      expect(stderr).not.toContain('was never written');
      expect(status).toBe(0);
    });

    test('GIVEN the same program ending with WorkloadOutputs.synth WHEN it exits THEN the run passes quietly', () => {
      const { status, stderr } = runAsCdkApp('WorkloadOutputs.synth({ apps: [campus] });');
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(filesBelow(path.join(dist, 'campus'))).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-upload.k8s.yaml']);
    });
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

/** The error `run` throws, or undefined. */
function synthErrorOf(run: () => unknown): Error | undefined {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

/** Runs `synth`, swallowing the validation report aws-cdk-lib prints to the console when it does not throw. */
function synthWarningFree(synth: () => unknown): void {
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    synth();
  } finally {
    error.mockRestore();
  }
}
