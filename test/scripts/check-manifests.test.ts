import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkFolder, otherYamlProblems, yamlFolders } from '../../scripts/check-manifests';

// scripts/check-manifests.ts judges the README app's YAML in the packed-install
// check; here it meets folders that must pass and folders that must not.

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: uploads\n';
const SERVICE_ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: upload\n  namespace: uploads\nautomountServiceAccountToken: false\n';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'check-manifests-')); });
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  Object.entries(files).forEach(([f, text]) => fs.writeFileSync(path.join(dir, f), text));
  return dir;
}

test('GIVEN the namespace in the first file WHEN checked THEN no problem', () => {
  const report = checkFolder(folder('campus', { '0000-namespaces.k8s.yaml': NAMESPACE, '0001-upload.k8s.yaml': SERVICE_ACCOUNT }));
  expect(report.problems).toEqual([]);
  expect(report.objects).toBe(2);
});

test('GIVEN the namespace in a later file WHEN checked THEN the object before it is named', () => {
  const report = checkFolder(folder('campus', { 'a-upload.k8s.yaml': SERVICE_ACCOUNT, 'b-namespaces.k8s.yaml': NAMESPACE }));
  expect(report.problems).toEqual([
    "a-upload.k8s.yaml: ServiceAccount uploads/upload: namespace 'uploads' is not created by a Namespace object before it in this folder",
  ]);
});

test('GIVEN no Namespace object at all WHEN checked THEN it fails; default needs none', () => {
  expect(checkFolder(folder('a', { 'sa.k8s.yaml': SERVICE_ACCOUNT })).problems).toHaveLength(1);
  expect(checkFolder(folder('b', { 'sa.k8s.yaml': SERVICE_ACCOUNT.replace('uploads', 'default') })).problems).toEqual([]);
});

test('GIVEN an object the schema rejects WHEN checked THEN the schema problem is named', () => {
  const report = checkFolder(folder('campus', { '0.k8s.yaml': NAMESPACE + '---\n' + SERVICE_ACCOUNT.replace('automountServiceAccountToken: false', 'automountServiceAccountToken: "no"') }));
  expect(report.problems.join('\n')).toContain('ServiceAccount uploads/upload: schema:');
});

test('GIVEN folders per cluster WHEN listed THEN each folder with YAML is one apply', () => {
  folder('dist/campus', { 'x.k8s.yaml': NAMESPACE, 'values.yaml': 'replicas: 2\n' });
  folder('dist/analytics', { 'y.k8s.yaml': NAMESPACE });
  folder('dist/empty', {});
  folder('dist/helm', { 'release.values.yaml': 'serviceAccount:\n  create: false\n' });
  expect(yamlFolders(path.join(root, 'dist')).map(f => path.relative(root, f)).sort()).toEqual(['dist/analytics', 'dist/campus']);
});

test('GIVEN an unresolved CDK token in a manifest or in Helm values WHEN checked THEN the object and field are named', () => {
  const dir = folder('campus', {
    '0000-namespaces.k8s.yaml': NAMESPACE,
    '0001-upload.k8s.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: upload-settings\n  namespace: uploads\ndata:\n  BUCKET_NAME: ${Token[TOKEN.30]}\n',
  });
  fs.mkdirSync(path.join(dir, 'helm'));
  fs.writeFileSync(path.join(dir, 'helm', 'dns.values.yaml'), 'serviceAccount:\n  annotations:\n    role: "#{Token[TOKEN.7]}"\n  port: -1.8881545897087498e+289\n');
  expect(checkFolder(dir).problems).toEqual(['0001-upload.k8s.yaml: ConfigMap uploads/upload-settings: field data.BUCKET_NAME holds an unresolved CDK token']);
  expect(otherYamlProblems(dir)).toEqual([
    `${path.join(dir, 'helm', 'dns.values.yaml')}: field serviceAccount.annotations.role holds an unresolved CDK token`,
    `${path.join(dir, 'helm', 'dns.values.yaml')}: field serviceAccount.port holds an unresolved CDK token`,
  ]);
});
