/**
 * Checks a folder of synthesized Kubernetes YAML (cdk8s's *.k8s.yaml) as
 * `kubectl apply -f <folder>` would meet it on a fresh cluster: every folder
 * holding such files is one apply
 * (files in lexical order, kubectl's), every object passes the Kubernetes
 * schema (kubernetes-models, through test/verify/manifest-schema.ts), and
 * every namespace an object lives in is created by a Namespace object that
 * comes before it, and no field holds an unresolved aws-cdk-lib token (which
 * would reach the cluster as the text '${Token[TOKEN.30]}'); other YAML under
 * the folder (Helm values) is checked for tokens too.
 *
 *   npx ts-node -P tsconfig.dev.json scripts/check-manifests.ts <folder>
 *
 * Used by scripts/check-packed-install.sh on the README app's output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { validateManifestObjects } from '../test/verify/manifest-schema';

/** What cdk8s writes (other YAML, such as Helm values, is not applied with kubectl). */
const MANIFEST = /\.k8s\.ya?ml$/;

/** Namespaces every cluster has; an app never creates them. */
const BUILT_IN = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export interface FolderReport {
  readonly folder: string;
  readonly files: string[];
  readonly objects: number;
  readonly problems: string[];
}

/** The problems of one folder, applied as kubectl applies it. */
export function checkFolder(folder: string): FolderReport {
  const files = fs.readdirSync(folder).filter(f => MANIFEST.test(f)).sort();
  const problems: string[] = [];
  const created = new Set<string>();
  let objects = 0;
  for (const file of files) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf-8'));
    for (const doc of docs) {
      if (doc.errors.length > 0) { problems.push(`${file}: not YAML: ${doc.errors[0].message}`); continue; }
      const o = doc.toJS();
      if (o === null || o === undefined) { continue; }
      objects++;
      const where = `${file}: ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
      problems.push(...validateManifestObjects([o]).map(p => `${where}: ${p.message}`));
      problems.push(...tokenFields(o).map(field => `${where}: field ${field} holds an unresolved CDK token`));
      if (o.kind === 'Namespace' && o.apiVersion === 'v1') { created.add(o.metadata?.name); }
      const namespace = o.metadata?.namespace;
      if (namespace !== undefined && !BUILT_IN.has(namespace) && !created.has(namespace)) {
        problems.push(`${where}: namespace '${namespace}' is not created by a Namespace object before it in this folder`);
      }
    }
  }
  return { folder, files, objects, problems };
}

/**
 * The fields of `value` holding an aws-cdk-lib token as it renders: '${Token[...]}',
 * '#{Token[...]}' (a list element), or a number near -1.8881545897e+289. Written
 * here from aws-cdk-lib's encoding, not taken from lib/, which it judges.
 */
export function tokenFields(value: unknown, at = ''): string[] {
  if (typeof value === 'string') { return /[$#]\{Token\[/.test(value) ? [at || '(value)'] : []; }
  if (typeof value === 'number') { return value < -1.888e289 && value > -1.889e289 ? [at || '(value)'] : []; }
  if (Array.isArray(value)) { return value.flatMap((v, i) => tokenFields(v, `${at}[${i}]`)); }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [...tokenFields(k, `${at ? `${at}.` : ''}${k} (key)`), ...tokenFields(v, at ? `${at}.${k}` : k)]);
  }
  return [];
}

/** Problems of every other YAML file under `root` (Helm values, say): unresolved tokens. */
export function otherYamlProblems(root: string): string[] {
  const entries = fs.readdirSync(root, { withFileTypes: true });
  return entries.flatMap(e => {
    const file = path.join(root, e.name);
    if (e.isDirectory()) { return otherYamlProblems(file); }
    if (!/\.ya?ml$/.test(e.name) || MANIFEST.test(e.name)) { return []; }
    return parseAllDocuments(fs.readFileSync(file, 'utf-8')).flatMap(doc => tokenFields(doc.toJS()).map(field => `${file}: field ${field} holds an unresolved CDK token`));
  });
}

/** Every folder under `root` (itself included) that holds YAML. */
export function yamlFolders(root: string): string[] {
  const entries = fs.readdirSync(root, { withFileTypes: true });
  const here = entries.some(e => e.isFile() && MANIFEST.test(e.name)) ? [root] : [];
  return [...here, ...entries.filter(e => e.isDirectory()).flatMap(e => yamlFolders(path.join(root, e.name)))];
}

if (require.main === module) {
  const root = process.argv[2];
  if (!root || !fs.existsSync(root)) { throw new Error(`usage: check-manifests.ts <folder> (got '${root}')`); }
  const reports = yamlFolders(root).map(checkFolder);
  for (const r of reports) {
    console.log(`${path.relative(process.cwd(), r.folder) || '.'}: ${r.objects} objects in ${r.files.join(', ')}`);
    r.problems.forEach(p => console.error(`  ${p}`));
  }
  const others = otherYamlProblems(root);
  others.forEach(p => console.error(`  ${p}`));
  if (reports.length === 0) { console.error(`${root}: no YAML`); }
  if (reports.length === 0 || others.length > 0 || reports.some(r => r.problems.length > 0 || r.objects === 0)) { process.exit(1); }
}
