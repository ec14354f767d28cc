import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as cdk8s from 'cdk8s';
import * as YAML from 'yaml';
import { loadScenario } from '../../bench/scenarios';
import { clusterAppsOf, Mechanism } from '../../bench/scenarios/scenario';
import { CDK_JSON_CONTEXT } from '../cdk-json-context';

// The benchmark compares approaches that must declare the same app: a ratio
// between two scenarios means nothing if one of them emits more. This keeps
// their outputs as issue 22 found them (no timing here):
// - `l2-same-output` synthesizes the library's templates byte for byte (but
//   for the CDK metadata resource, which names the construct classes used)
//   and the same manifest files;
// - `l2-reference` and `l1` declare the same resources with the same
//   properties, under other logical ids and role names; the library's
//   manifests add what it renders on purpose (each workload's Namespace, and
//   the cluster annotation on every object it writes).
const N = 10;
const MECHANISMS: Mechanism[] = ['pod-identity', 'irsa'];
const CLUSTER_ANNOTATION = 'cdk-eks-workload-identity/cluster';

interface Output {
  /** Templates by file name. */
  readonly templates: { [file: string]: any };
  /** The stacks' dependencies, by stack artifact id (assets manifests left out). */
  readonly dependencies: { [stack: string]: string[] };
  /** YAML files by path under the cdk8s outdir. */
  readonly manifests: { [file: string]: string };
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function synth(scenario: string, mechanism: Mechanism): Output {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${scenario}-`));
  outdirs.push(outdir);
  const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out'), context: { ...CDK_JSON_CONTEXT, [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true } });
  const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'k8s') });
  loadScenario(scenario).build(N, mechanism, awsApp, k8sApp);
  const assembly = awsApp.synth();
  k8sApp.synth();
  clusterAppsOf(k8sApp).forEach(app => app.synth());
  const templates: { [file: string]: any } = {};
  const dependencies: { [stack: string]: string[] } = {};
  for (const stack of assembly.stacks) {
    templates[stack.templateFile] = stack.template;
    dependencies[stack.id] = stack.dependencies.map(d => d.id).filter(id => !id.endsWith('.assets')).sort();
  }
  const manifests: { [file: string]: string } = {};
  const k8sDir = path.join(outdir, 'k8s');
  for (const file of yamlFiles(k8sDir)) { manifests[path.relative(k8sDir, file)] = fs.readFileSync(file, 'utf8'); }
  return { templates, dependencies, manifests };
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : e.name.endsWith('.yaml') ? [full] : [];
  });
}

/** A template without its AWS::CDK::Metadata resource (its Analytics value names the construct classes of the app). */
function withoutCdkMetadata(template: any): any {
  const resources = Object.fromEntries(Object.entries<any>(template.Resources).filter(([, r]) => r.Type !== 'AWS::CDK::Metadata'));
  return { ...template, Resources: resources };
}

/**
 * Every resource of the app, with what depends on the approach's naming
 * replaced: logical ids, role and policy names and the exports' names by the
 * workload (or cluster) they belong to, cdk paths and metadata dropped, keys
 * sorted and lists of plain values (actions) sorted. Sorted, so two
 * approaches that declare the same resources give equal lists.
 */
function normalizedResources(output: Output): string[] {
  const templates = Object.values(output.templates).map(withoutCdkMetadata);
  const names = new Map<string, string>();
  for (const template of templates) {
    for (const [id, r] of Object.entries<any>(template.Resources)) {
      // The workload or cluster whose construct path holds it: Workloads1/Workload0/Resource, Workloads/Stack1/Workload0/Resource/Resource
      const path: string = r.Metadata['aws:cdk:path'];
      const owner = /(?:^|\/)Workload(\d+)(?=\/|[A-Z]|$)/.exec(path)?.[1] ?? /^Platform\/(bench(?:-\d)?)/.exec(path)?.[1] ?? path;
      names.set(id, `<${r.Type} of ${owner}>`);
      if (typeof r.Properties?.RoleName === 'string') { names.set(r.Properties.RoleName, `<role name of ${owner}>`); }
      if (typeof r.Properties?.PolicyName === 'string') { names.set(r.Properties.PolicyName, `<policy name of ${owner}>`); }
    }
  }
  for (const template of templates) {
    for (const [name, o] of Object.entries<any>(template.Outputs ?? {})) {
      names.set(name, `<output of ${JSON.stringify(canonical(o.Value, names))}>`);
    }
  }
  const all: string[] = [];
  for (const template of templates) {
    for (const r of Object.values<any>(template.Resources)) {
      all.push(JSON.stringify(canonical({ Type: r.Type, Properties: r.Properties, DependsOn: r.DependsOn, Condition: r.Condition }, names)));
    }
  }
  return all.sort();
}

/** The value with object keys sorted, lists of plain values sorted, and every string that is a name renamed. */
function canonical(value: any, names: Map<string, string>): any {
  if (typeof value === 'string') { return names.get(value) ?? value; }
  if (Array.isArray(value)) {
    const items = value.map(v => canonical(v, names));
    return items.every(v => typeof v !== 'object' || v === null) ? [...items].sort() : items;
  }
  if (value === null || typeof value !== 'object') { return value; }
  return Object.fromEntries(Object.keys(value).sort().filter(k => value[k] !== undefined).map(k => [k, canonical(value[k], names)]));
}

/** Each template's Outputs, Parameters, Conditions and Rules, counted by kind (their names follow the logical ids). */
function templateSections(output: Output): { [section: string]: number } {
  const counts: { [section: string]: number } = {};
  for (const template of Object.values(output.templates)) {
    for (const section of ['Outputs', 'Parameters', 'Conditions', 'Rules', 'Mappings', 'Transform']) {
      counts[section] = (counts[section] ?? 0) + Object.keys(template[section] ?? {}).length;
    }
  }
  return counts;
}

/** The YAML documents of every manifest, without the given annotation, role ARNs replaced by the ServiceAccount they annotate. */
function documents(output: Output, dropAnnotation?: string): string[] {
  const docs: string[] = [];
  for (const text of Object.values(output.manifests)) {
    for (const doc of YAML.parseAllDocuments(text).map(d => d.toJS())) {
      const metadata = doc.metadata ?? {};
      const annotations = { ...metadata.annotations };
      if (dropAnnotation) { delete annotations[dropAnnotation]; }
      if (annotations['eks.amazonaws.com/role-arn']) { annotations['eks.amazonaws.com/role-arn'] = `<role of ${metadata.name}>`; }
      const { annotations: _, ...rest } = metadata;
      docs.push(JSON.stringify({ ...doc, metadata: { ...rest, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } }));
    }
  }
  return docs.sort();
}

describe.each(MECHANISMS)('the bench scenarios declare the same app (%s, N = 10)', mechanism => {
  // GIVEN each approach's app, WHEN synthesized
  const library = synth('library', mechanism);
  const sameOutput = synth('l2-same-output', mechanism);
  const reference = synth('l2-reference', mechanism);
  const l1 = synth('l1', mechanism);

  test('l2-same-output writes the library\'s templates byte for byte, but for the CDK metadata resource', () => {
    // THEN the same files, and each the same template once the metadata resource is left out
    expect(Object.keys(sameOutput.templates).sort()).toEqual(Object.keys(library.templates).sort());
    for (const [file, template] of Object.entries(library.templates)) {
      expect(JSON.stringify(withoutCdkMetadata(sameOutput.templates[file]))).toEqual(JSON.stringify(withoutCdkMetadata(template)));
    }
    expect(sameOutput.dependencies).toEqual(library.dependencies);
  });

  test('l2-same-output writes the library\'s manifest files byte for byte', () => {
    expect(sameOutput.manifests).toEqual(library.manifests);
  });

  test.each([['l2-reference', reference], ['l1', l1]] as const)('%s declares the same resources with the same properties, but for names', (_, other) => {
    // THEN the same resources, one for one, once logical ids and role names are replaced by their owners
    expect(normalizedResources(other)).toEqual(normalizedResources(library));
    // and as many outputs (the OIDC provider's export for IRSA), parameters and rules
    expect(templateSections(other)).toEqual(templateSections(library));
  });

  test('the library\'s manifests add only its Namespaces and the cluster annotation to the ServiceAccounts l2-reference writes', () => {
    const withoutNamespaces = documents(library, CLUSTER_ANNOTATION).filter(d => JSON.parse(d).kind !== 'Namespace');
    expect(withoutNamespaces).toEqual(documents(reference));
    const namespaces = documents(library).map(d => JSON.parse(d)).filter(d => d.kind === 'Namespace');
    expect(namespaces.map(d => d.metadata.name)).toEqual(Array.from({ length: 10 }, (__, i) => `team-${i}`));
    // and every object the library writes carries the cluster it was rendered for
    for (const doc of documents(library).map(d => JSON.parse(d))) {
      expect(doc.metadata.annotations?.[CLUSTER_ANNOTATION]).toEqual('bench');
    }
  });
});
