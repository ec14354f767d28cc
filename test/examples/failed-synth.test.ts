import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kplus from 'cdk8s-plus-28';
import { Example } from '../../examples';
import { synthExamples } from '../../examples/synth';
import { WorkloadChart, WorkloadCluster, WorkloadIdentity } from '../../lib';

// `cdk synth` runs bin/synth.ts, which is synthExamples(new cdk.App(), EXAMPLES, 'dist').
// Each failure below must leave no YAML and no bindings file of that run,
// and the tests record what aws-cdk-lib itself leaves in cdk.out/ (docs/kubernetes-output.md).

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8')).context;

type Breakage = 'none' | 'aws-guardrail' | 'aws-builtin-validation' | 'aws-construct-validation' | 'k8s-guardrail';

/** One identity on cluster 'campus', its Deployment and its bindings file; broken as asked. */
function example(breakage: Breakage): Example {
  return {
    name: 'one',
    build: (awsApp, k8s) => {
      const stack = new cdk.Stack(awsApp, 'One', { env: { account: '123456789012', region: 'eu-west-1' } });
      const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'campus' });
      const upload = new WorkloadIdentity(stack, 'Upload', { cluster, namespace: 'uploads', serviceAccountName: 'upload' });
      const chart = new WorkloadChart(k8s.appFor(upload.primaryBinding), 'upload', { binding: upload.primaryBinding });
      new kplus.Deployment(chart, 'upload', { serviceAccount: chart.serviceAccount, containers: [{ image: 'upload:1', securityContext: { user: 1000 } }] });
      k8s.addBindingsFile('campus.bindings.json', upload.bindings);
      if (breakage === 'aws-guardrail') {
        new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') }); // WI-AWS-1
      } else if (breakage === 'aws-builtin-validation') {
        new cdk.CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { NoSuchProperty: 1 } }); // schema error
      } else if (breakage === 'aws-construct-validation') {
        stack.node.addValidation({ validate: () => ['invalid on purpose'] });
      } else if (breakage === 'k8s-guardrail') {
        new kplus.Deployment(chart, 'legacy', { containers: [{ image: 'legacy:1', securityContext: { user: 1000 } }] }); // WI-K8S-3
      }
    },
  };
}

describe('a failed cdk synth', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'failed-synth-')); });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    process.env.CDK_VALIDATION = 'false';
  });

  function run(breakage: Breakage): { error?: Error; dist: string[]; cdkOut: string[] } {
    const awsApp = new cdk.App({ outdir: path.join(root, 'cdk.out'), context: CONTEXT });
    let error: Error | undefined;
    try {
      synthExamples(awsApp, [example(breakage)], path.join(root, 'dist'));
    } catch (e) {
      error = e as Error;
    }
    const list = (dir: string) => fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' }) as string[]).sort() : [];
    return { error, dist: list(path.join(root, 'dist')), cdkOut: list(path.join(root, 'cdk.out')) };
  }

  // aws-cdk-lib writes validation-report.json when a validation plugin ran: its own validation (on unless
  // CDK_VALIDATION=false), or the library's guardrails when they have something to report.
  const TEMPLATES = ['One.assets.json', 'One.metadata.json', 'One.template.json', 'cdk.out', 'manifest.json', 'tree.json'];
  const ASSEMBLY = [...TEMPLATES, 'validation-report.json'];

  test('GIVEN no error WHEN synthesized THEN the cluster folder and the bindings file are written', () => {
    const { error, dist, cdkOut } = run('none');
    expect(error).toBeUndefined();
    expect(dist).toEqual(['one', 'one/campus', 'one/campus.bindings.json', 'one/campus/0000-workload-namespaces.k8s.yaml', 'one/campus/0001-upload.k8s.yaml']);
    // With CDK_VALIDATION=false no plugin ran: the guardrails passed without becoming one, so no (empty) report.
    expect(cdkOut).toEqual(TEMPLATES);
  });

  test('GIVEN an AWS guardrail error WHEN synthesized THEN no YAML or bindings file; cdk.out has the templates and the report', () => {
    const { error, dist, cdkOut } = run('aws-guardrail');
    expect(error?.message).toContain('ERROR WI-AWS-1');
    expect(dist).toEqual([]);
    // aws-cdk-lib validates the written assembly: the templates of the failed run stay, with the report.
    expect(cdkOut).toEqual(ASSEMBLY);
    const report = JSON.parse(fs.readFileSync(path.join(root, 'cdk.out', 'validation-report.json'), 'utf-8'));
    expect(report.pluginReports.find((r: any) => r.pluginName === 'WorkloadIdentityGuardrails').conclusion).toBe('failure');
  });

  test('GIVEN an error of aws-cdk-lib\'s built-in CloudFormation validation WHEN synthesized THEN no YAML or bindings file', () => {
    delete process.env.CDK_VALIDATION;
    const { error, dist, cdkOut } = run('aws-builtin-validation');
    expect(error?.message).toContain("ERROR NoSuchProperty: Additional properties are not allowed ('NoSuchProperty' was unexpected) (CloudFormation Validate)");
    expect(dist).toEqual([]);
    expect(cdkOut).toEqual(ASSEMBLY);
    const report = JSON.parse(fs.readFileSync(path.join(root, 'cdk.out', 'validation-report.json'), 'utf-8'));
    expect(report.pluginReports.find((r: any) => r.pluginName === 'CloudFormation Validate').conclusion).toBe('failure');
  }, 60_000);

  test('GIVEN a construct validation error on the AWS side WHEN synthesized THEN nothing is written, cdk.out stays empty', () => {
    const { error, dist, cdkOut } = run('aws-construct-validation');
    expect(error?.message).toContain('invalid on purpose');
    expect(dist).toEqual([]);
    expect(cdkOut).toEqual([]);
  });

  test('GIVEN a Kubernetes guardrail error WHEN synthesized THEN no YAML or bindings file; cdk.out has the valid templates', () => {
    const { error, dist, cdkOut } = run('k8s-guardrail');
    expect(error?.message).toContain('WI-K8S-3');
    expect(dist).toEqual([]);
    expect(cdkOut).toEqual(TEMPLATES);
  });
});
