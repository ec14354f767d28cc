import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { EXAMPLES, ExampleOutput } from '../../examples';
import { addPreviewFromBindingsFile } from '../../examples/preview-gitops';
import { PREVIEW_CLUSTER } from '../../examples/preview';
import { WorkloadBindingFile, WorkloadOutputs } from '../../lib';
import { CDK_JSON_CONTEXT } from '../cdk-json-context';
import { iamLike } from '../verify/subject-patterns';

let dist: string;
let bindingsFile: string;
let seederTrust: any;

beforeAll(() => {
  // GIVEN the preview example synthesized as bin/synth.ts does: templates, then YAML and its bindings file
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-gitops-'));
  const awsApp = new cdk.App({ outdir: path.join(dist, 'cdk.out'), context: CDK_JSON_CONTEXT });
  const output = new ExampleOutput(path.join(dist, 'preview'));
  EXAMPLES.find(e => e.name === 'preview')!.build(awsApp, output);
  const assembly = awsApp.synth();
  WorkloadOutputs.synth({ apps: output.apps, bindingsFiles: output.bindingsFiles });
  bindingsFile = path.join(dist, 'preview', `${PREVIEW_CLUSTER}.bindings.json`);
  const template = assembly.getStackByName('Preview').template;
  seederTrust = Object.entries<any>(template.Resources).find(([id]) => id.startsWith('PreviewSeeder'))![1].Properties.AssumeRolePolicyDocument.Statement;
});

afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

test('the preview example writes a format 3 bindings file: the declared previews\' bindings and both patterns', () => {
  const document = WorkloadBindingFile.readDocument(bindingsFile);
  expect(document.version).toBe(3);
  expect(document.bindings.map(b => `${b.namespace}/${b.serviceAccountName}`)).toEqual([
    'pr-123/web', 'pr-124/web', 'pr-131/web', 'pr-123/seeder', 'pr-124/seeder', 'pr-131/seeder', 'staging/web',
  ]);
  expect(document.subjectPatterns!.map(p => `${p.subjectPattern} ${p.mechanism}`)).toEqual(['pr-*/web POD_IDENTITY', 'pr-*/seeder IRSA']);
});

test('GIVEN a preview pr-200 the CDK app never declared WHEN the GitOps repository binds its seeder from the file THEN the role the trust admits it with is on its ServiceAccount', () => {
  // WHEN
  const app = new cdk8s.App({ outdir: path.join(dist, 'gitops') });
  const chart = addPreviewFromBindingsFile(app, bindingsFile, 200);
  const objects = app.charts.flatMap(c => cdk8s.Testing.synth(c));

  // THEN the ServiceAccount carries the seeder role's ARN and the pattern
  const sa = objects.find(o => o.kind === 'ServiceAccount')!;
  const { subjectPatterns } = WorkloadBindingFile.readDocument(bindingsFile);
  const seederRole = subjectPatterns!.find(p => p.subjectPattern === 'pr-*/seeder')!.roleArn;
  expect(sa.metadata).toMatchObject({
    namespace: 'pr-200', name: 'seeder',
    annotations: { 'eks.amazonaws.com/role-arn': seederRole, 'cdk-eks-workload-identity/subject-pattern': 'pr-*/seeder' },
  });
  expect(objects.filter(o => o.kind === 'Namespace').map(o => o.metadata.name)).toEqual(['pr-200']);
  expect(chart.serviceAccount.binding.roleArn).toEqual(seederRole);
  // and that role's synthesized trust admits exactly this subject by its StringLike, with the proof's matcher (not lib/'s)
  const [statement] = seederTrust;
  const [subKey, subPattern] = Object.entries<string>(statement.Condition.StringLike)[0];
  expect(subKey).toMatch(/:sub$/);
  expect(iamLike(subPattern, 'system:serviceaccount:pr-200:seeder')).toBe(true);
  expect(iamLike(subPattern, 'system:serviceaccount:prx-200:seeder')).toBe(false);
});

test('GIVEN the web of a new preview (a Pod Identity pattern) WHEN bound from the file THEN it is refused: the CDK app must declare and deploy its association first', () => {
  const { subjectPatterns } = WorkloadBindingFile.readDocument(bindingsFile);
  expect(() => WorkloadBindingFile.bindPatternMatch(subjectPatterns!, { namespace: 'pr-200', serviceAccountName: 'web' })).toThrow(
    "ServiceAccount 'pr-200/web' matches subject pattern 'pr-*/web' on cluster 'campus-previews' (arn:aws:eks:eu-west-1:123456789012:cluster/campus-previews)");
  expect(() => WorkloadBindingFile.bindPatternMatch(subjectPatterns!, { namespace: 'pr-200', serviceAccountName: 'web' })).toThrow(
    "Declare it in the CDK app (identity.addPatternMatch({ cluster, namespace: 'pr-200', serviceAccountName: 'web' })), deploy");
});
