import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { DeployTimeConfigMap } from '../../lib/k8s/deploy-time-config-map';
import { WorkloadChart } from '../../lib/k8s/workload-chart';
import { WorkloadOutputs } from '../../lib/k8s/workload-outputs';

const BINDING = { clusterName: 'campus', namespace: 'uploads', serviceAccountName: 'upload', mechanism: IdentityMechanism.POD_IDENTITY };
const BUCKET = { stackName: 'Uploads', outputKey: 'BucketNameOutput6F3A' };

describe('DeployTimeConfigMap and WorkloadOutputs.synth', () => {
  let dir: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-time-'));
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The README's shape: a ConfigMap with the bucket's name, read by the Deployment's environment. */
  function clusterApp(outputsFile: string): App {
    const app = new App({ outdir: path.join(dir, 'dist', 'campus') });
    const chart = new WorkloadChart(app, 'upload', { binding: BINDING });
    const settings = new DeployTimeConfigMap(chart, 'settings', { metadata: { name: 'upload-settings' }, outputsFile, values: { BUCKET_NAME: BUCKET }, data: { REGION: 'eu-west-1' } });
    new kplus.Deployment(chart, 'upload', {
      metadata: { name: 'upload' }, serviceAccount: chart.serviceAccount,
      containers: [{ image: 'upload:1', securityContext: { user: 1000 }, envVariables: { BUCKET_NAME: kplus.EnvValue.fromConfigMap(settings, 'BUCKET_NAME') } }],
    });
    return app;
  }

  test('GIVEN the outputs file WHEN synthesized THEN the ConfigMap holds the deployed value and the pod reads it from there', () => {
    // GIVEN
    const outputsFile = path.join(dir, 'cdk-outputs.json');
    fs.writeFileSync(outputsFile, JSON.stringify({ Uploads: { BucketNameOutput6F3A: 'uploads-bucket83908e77-1x2y' } }));

    // WHEN
    const manifests = Testing.synth(clusterApp(outputsFile).charts.find(c => c.node.id === 'upload')!);

    // THEN
    expect(manifests.find(m => m.kind === 'ConfigMap')).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'upload-settings', namespace: 'uploads' },
      data: { BUCKET_NAME: 'uploads-bucket83908e77-1x2y', REGION: 'eu-west-1' },
      immutable: false,
    });
    const container = manifests.find(m => m.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'BUCKET_NAME', valueFrom: { configMapKeyRef: { key: 'BUCKET_NAME', name: 'upload-settings' } } }]);
  });

  test('GIVEN no outputs file yet (before the first deploy) WHEN WorkloadOutputs.synth runs THEN it writes nothing, returns, and says which output is missing and what to run', () => {
    // GIVEN
    const outputsFile = path.join(dir, 'cdk-outputs.json');

    // WHEN
    WorkloadOutputs.synth({ apps: [clusterApp(outputsFile)] });

    // THEN
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    expect(stderr.mock.calls.map(c => c[0])).toEqual([
      `Kubernetes manifests not written yet: ConfigMap 'uploads/upload-settings' key 'BUCKET_NAME' needs output 'BucketNameOutput6F3A' of stack 'Uploads': '${outputsFile}' does not exist yet: deploy with 'npx cdk deploy --all --outputs-file ${outputsFile}' (the file then holds every deployed stack's outputs), then synthesize again.\n`,
    ]);
  });

  test('GIVEN the file lacks the value WHEN the cdk8s app is synthesized directly THEN it fails naming the ConfigMap, key and output', () => {
    const outputsFile = path.join(dir, 'cdk-outputs.json');
    fs.writeFileSync(outputsFile, '{"Uploads":{}}');
    expect(() => clusterApp(outputsFile).synth()).toThrow(
      `ConfigMap 'uploads/upload-settings' key 'BUCKET_NAME' needs output 'BucketNameOutput6F3A' of stack 'Uploads': '${outputsFile}' has no output 'BucketNameOutput6F3A' of stack 'Uploads' (it has none)`);
  });

  test('GIVEN a bad key or a key given twice WHEN constructed THEN refused, naming the ConfigMap', () => {
    const chart = new WorkloadChart(new App(), 'upload', { binding: BINDING });
    expect(() => new DeployTimeConfigMap(chart, 'a', { metadata: { name: 'a' }, outputsFile: path.join(dir, 'x.json'), values: { 'BUCKET NAME': BUCKET } }))
      .toThrow("Invalid key 'BUCKET NAME' of ConfigMap 'uploads/a': a ConfigMap key has 1-253 letters, digits, '-', '_' or '.'.");
    expect(() => new DeployTimeConfigMap(chart, 'b', { metadata: { name: 'b' }, outputsFile: path.join(dir, 'x.json'), values: { K: BUCKET }, data: { K: 'v' } }))
      .toThrow("Key 'K' of ConfigMap 'uploads/b' is both in data and in values; give it one source.");
  });
});

describe('WorkloadOutputs.synth refuses unresolved CDK tokens', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test.each([
    ['a string token in an env value', { envVariables: { BUCKET_NAME: kplus.EnvValue.fromValue('${Token[TOKEN.30]}') } },
      "Deployment 'uploads/upload' field spec.template.spec.containers[0].env[0].value ('${Token[TOKEN.30]}')"],
    ['a token inside an argument', { args: ['--bucket=${Token[TOKEN.31]}'] },
      "Deployment 'uploads/upload' field spec.template.spec.containers[0].args[0] ('--bucket=${Token[TOKEN.31]}')"],
    ['a list token element', { command: ['#{Token[TOKEN.32]}'] },
      "Deployment 'uploads/upload' field spec.template.spec.containers[0].command[0] ('#{Token[TOKEN.32]}')"],
    ['a number token', { portNumber: -1.8881545897087498e+289 },
      "Deployment 'uploads/upload' field spec.template.spec.containers[0].ports[0].containerPort (-1.8881545897087498e+289, a number token)"],
  ])('GIVEN %s WHEN synthesized THEN the error names the object and field, and nothing is written', (_, container, field) => {
    // GIVEN
    const app = new App({ outdir: path.join(dir, 'dist', 'campus') });
    const chart = new WorkloadChart(app, 'upload', { binding: BINDING });
    new kplus.Deployment(chart, 'upload', { metadata: { name: 'upload' }, serviceAccount: chart.serviceAccount, containers: [{ image: 'upload:1', securityContext: { user: 1000 }, ...container }] });

    // WHEN / THEN
    expect(() => WorkloadOutputs.synth({ apps: [app] })).toThrow(`Unresolved CDK token in the YAML of ${path.relative(process.cwd(), path.join(dir, 'dist', 'campus'))}/ (0001-upload.k8s.yaml): ${field}`);
    expect(() => WorkloadOutputs.synth({ apps: [app] })).toThrow(/\. A value CloudFormation knows only at deployment cannot be written at synth\. Hand it to pods through a DeployTimeValue \(AWS side\) and a DeployTimeConfigMap \(Kubernetes side\)/);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});
