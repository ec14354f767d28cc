import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { WorkloadChart, WorkloadCluster, WorkloadIdentity, WorkloadOutputs } from '../lib';
import { checkFolder } from '../scripts/check-manifests';

// The README's app end to end, offline: before the deploy it writes templates and no YAML;
// with the file `cdk deploy --outputs-file` writes (simulated from the templates' outputs)
// it writes apply-ready YAML whose ConfigMap holds the deployed bucket name.
const { simulatedOutputs } = require('../scripts/simulated-deploy-outputs.js');

const root = path.join(__dirname, '..');

describe("the README's app: an outputs file in, apply-ready YAML out", () => {
  let dir: string;
  let cwd: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    cwd = process.cwd();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-app-'));
    process.chdir(dir);
    process.env.CDK_OUTDIR = path.join(dir, 'cdk.out');
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    delete process.env.CDK_OUTDIR;
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs examples/readme-usage.ts (the README's bin/app.ts) as `cdk synth` would, in the current folder. */
  function runReadmeApp(): void {
    jest.isolateModules(() => {
      jest.doMock('cdk-eks-workload-identity', () => jest.requireActual('../lib'), { virtual: true });
      require(path.join(root, 'examples', 'readme-usage.ts'));
    });
  }

  test('GIVEN no deploy yet WHEN synthesized THEN templates but no YAML, and a line saying which output is missing; GIVEN the outputs file WHEN synthesized again THEN the YAML applies and carries the bucket name', () => {
    // GIVEN / WHEN: the first synth, before any deploy
    runReadmeApp();

    // THEN
    expect(fs.readdirSync(path.join(dir, 'cdk.out'))).toContain('Uploads.template.json');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    expect(stderr.mock.calls.map(c => String(c[0])).join('')).toMatch(
      /^Kubernetes manifests not written yet: ConfigMap 'uploads\/upload-settings' key 'BUCKET_NAME' needs output 'BucketNameOutput[0-9A-F]{8}' of stack 'Uploads': '.*cdk-outputs.json' does not exist yet: deploy with 'npx cdk deploy --all --outputs-file cdk-outputs.json'/);

    // GIVEN: what `cdk deploy --all --outputs-file cdk-outputs.json` writes
    const outputs = simulatedOutputs(path.join(dir, 'cdk.out'));
    const [outputKey] = Object.keys(outputs.Uploads);
    expect(outputKey).toMatch(/^BucketNameOutput[0-9A-F]{8}$/);
    fs.writeFileSync(path.join(dir, 'cdk-outputs.json'), JSON.stringify({ Uploads: { [outputKey]: 'uploads-bucket83908e77-1x2y3z' } }));

    // WHEN
    runReadmeApp();

    // THEN: apply-ready (schema, namespaces first), the ConfigMap holds the deployed name, the pod reads it
    const report = checkFolder(path.join(dir, 'dist', 'campus'));
    expect(report.problems).toEqual([]);
    const yaml = report.files.map(f => fs.readFileSync(path.join(dir, 'dist', 'campus', f), 'utf-8')).join('\n');
    expect(yaml).toContain('kind: ConfigMap\nmetadata:\n  name: upload-settings\n  namespace: uploads\n');
    expect(yaml).toContain('data:\n  BUCKET_NAME: uploads-bucket83908e77-1x2y3z\n');
    expect(yaml).toMatch(/- name: BUCKET_NAME\n\s+valueFrom:\n\s+configMapKeyRef:\n\s+key: BUCKET_NAME\n\s+name: upload-settings\n/);
    expect(yaml).not.toContain('Token[');
  });

  test("GIVEN the obvious move, bucket.bucketName into the pod's env WHEN synthesized THEN refused naming the Deployment and field, and no YAML is written", () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Uploads', { env: { account: '123456789012', region: 'eu-west-1' } });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });
    const upload = new WorkloadIdentity(stack, 'Upload', { cluster, namespace: 'uploads', serviceAccountName: 'upload' });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const campus = new cdk8s.App({ outdir: 'dist/campus' });
    const chart = new WorkloadChart(campus, 'upload', { binding: upload.primaryBinding });
    new kplus.Deployment(chart, 'upload', {
      metadata: { name: 'upload' }, serviceAccount: chart.serviceAccount,
      containers: [{ image: 'upload:1', securityContext: { user: 1000 }, envVariables: { BUCKET_NAME: kplus.EnvValue.fromValue(bucket.bucketName) } }],
    });

    // WHEN the program runs as the README's does: the CDK app first, then the YAML / THEN
    app.synth();
    expect(() => WorkloadOutputs.synth({ apps: [campus] })).toThrow(
      /^Unresolved CDK token in the YAML of dist\/campus\/ \(0001-upload\.k8s\.yaml\): Deployment 'uploads\/upload' field spec\.template\.spec\.containers\[0\]\.env\[0\]\.value \('\$\{Token\[TOKEN\.\d+\]\}'\)\. /);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});
