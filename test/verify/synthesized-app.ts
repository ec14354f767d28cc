/**
 * Synthesizes a CDK app and its cdk8s apps in-process, the way `npx cdk synth`
 * and bin/synth.ts do (same context, same output layout), and returns what was
 * written: the CloudFormation templates, the Kubernetes objects read back from
 * the YAML files, and the bindings each WorkloadIdentity declared.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { IConstruct } from 'constructs';
import { EXAMPLES, Example, ExampleOutput } from '../../examples';
import { WorkloadBinding, WorkloadCluster, WorkloadIdentity, WorkloadOutputs } from '../../lib';
import { CfnTemplate, ResolvedTemplate } from './cfn-resolver';

/**
 * The context `npx cdk synth` uses: cdk.json's and cdk.context.json's, plus what the CLI adds by
 * default (path and asset metadata, version reporting), so in-process
 * templates equal the CLI's. cfn-lint reads `aws:cdk:path` to recognize CDK
 * templates (without it, it reports W3010 on the example's fixed zones).
 */
const CLI_CONTEXT: { [key: string]: any } = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  ...JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8')).context,
  // The CLI adds cdk.context.json: the example's availability zones, so synth makes no lookup.
  ...JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf-8')),
};

export interface SynthesizedStack {
  readonly example: string;
  readonly stackName: string;
  readonly templatePath: string;
  readonly template: CfnTemplate;
  /** The template with intrinsics resolved for one imagined deployment. */
  readonly resolved: ResolvedTemplate;
}

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name?: string; namespace?: string; annotations?: { [key: string]: string }; labels?: { [key: string]: string }; [key: string]: any };
  readonly [key: string]: any;
}

export interface SynthesizedManifest {
  readonly example: string;
  /** The cluster: each cluster's manifests are in their own folder, dist/<example>/<cluster>/. */
  readonly cluster: string;
  /** The file name without extension, e.g. 0001-payment (cdk8s numbers the charts in the order they apply). */
  readonly chart: string;
  readonly file: string;
  readonly objects: KubernetesObject[];
}

/** A cluster as the AWS side knows it, with tokens resolved. */
export interface SynthesizedCluster {
  readonly stackName: string;
  readonly clusterName: string;
  readonly clusterArn?: string;
  /** The issuer URL, e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/X. */
  readonly oidcIssuerUrl?: string;
}

/** A WorkloadIdentity and the bindings it declared, with tokens resolved. */
export interface DeclaredIdentity {
  readonly example: string;
  readonly stackName: string;
  readonly path: string;
  /** Logical id of its role in the template (undefined for an existing role). */
  readonly roleLogicalId?: string;
  readonly bindings: WorkloadBinding[];
}

export interface SynthesizedApp {
  readonly stacks: SynthesizedStack[];
  readonly manifests: SynthesizedManifest[];
  readonly identities: DeclaredIdentity[];
  readonly clusters: SynthesizedCluster[];
  readonly assemblyDir: string;
  /** The CDK app, for tests that inspect the construct tree. */
  readonly awsApp: cdk.App;
  stack(stackName: string): SynthesizedStack;
  /** Removes the temporary output. */
  dispose(): void;
}

export interface SynthesizeOptions {
  /** Called on the app before synthesis, e.g. to add validation plugins. */
  readonly configure?: (awsApp: cdk.App) => void;
  /**
   * Return instead of throwing when a validation plugin reports errors; the
   * report is then in `<assemblyDir>/validation-report.json`.
   *
   * @default false
   */
  readonly tolerateValidationFailure?: boolean;
}

export interface SynthesisFailure {
  readonly error: Error;
  readonly assemblyDir: string;
}

/** Synthesizes the examples of examples/index.ts. */
export function synthesizeExamples(options: SynthesizeOptions = {}): SynthesizedApp & { validationFailure?: SynthesisFailure } {
  return synthesize(EXAMPLES, options);
}

/** Synthesizes any set of examples (an app a test builds counts as one). */
export function synthesize(examples: Example[], options: SynthesizeOptions = {}): SynthesizedApp & { validationFailure?: SynthesisFailure } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewi-verify-'));
  try {
    return synthesizeInto(root, examples, options);
  } catch (e) {
    // A declaration that throws (the property tests make many) leaves no temporary output behind.
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

function synthesizeInto(root: string, examples: Example[], options: SynthesizeOptions): SynthesizedApp & { validationFailure?: SynthesisFailure } {
  const assemblyDir = path.join(root, 'cdk.out');
  const awsApp = new cdk.App({ outdir: assemblyDir, context: CLI_CONTEXT });
  const stackExample = new Map<string, string>();
  const k8sOutputs = examples.map(example => {
    const outdir = path.join(root, 'dist', example.name);
    const output = new ExampleOutput(outdir, dir => new cdk8s.App({ outdir: dir, yamlOutputType: cdk8s.YamlOutputType.FILE_PER_CHART }));
    const before = new Set(awsApp.node.children);
    example.build(awsApp, output);
    awsApp.node.children.filter(c => !before.has(c) && cdk.Stack.isStack(c)).forEach(s => stackExample.set((s as cdk.Stack).stackName, example.name));
    return { example: example.name, output, outdir };
  });
  options.configure?.(awsApp);

  let validationFailure: SynthesisFailure | undefined;
  let assembly: cdk.cx_api.CloudAssembly | undefined;
  try {
    assembly = awsApp.synth();
  } catch (e) {
    // A validation failure comes after the templates are written; any other error (a reference cycle) stands.
    const written = awsApp.node.findAll().filter(cdk.Stack.isStack).every(s => fs.existsSync(path.join(assemblyDir, s.templateFile)));
    if (!options.tolerateValidationFailure || !written) { throw e; }
    validationFailure = { error: e as Error, assemblyDir };
  }
  WorkloadOutputs.synth({ apps: k8sOutputs.flatMap(o => o.output.apps), bindingsFiles: k8sOutputs.flatMap(o => o.output.bindingsFiles) });

  const written = awsApp.node.findAll().filter(cdk.Stack.isStack).map(stack => {
    const templatePath = path.join(assemblyDir, stack.templateFile);
    const template: CfnTemplate = assembly
      ? assembly.getStackArtifact(stack.artifactId).template
      : JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
    return { stack, templatePath, template, env: { stackName: stack.stackName, account: stack.account, region: stack.region } };
  });
  // A value one stack takes from another resolves to what the producing stack exports.
  const exported = crossStackExports(written.map(w => new ResolvedTemplate(w.template, w.env)));
  const stacks: SynthesizedStack[] = written.map(({ stack, templatePath, template, env }) => ({
    example: stackExample.get(stack.stackName) ?? '?',
    stackName: stack.stackName,
    templatePath,
    template,
    resolved: new ResolvedTemplate(linkImports(template, exported), env),
  }));
  const stackOf = (c: IConstruct) => {
    const s = stacks.find(x => x.stackName === cdk.Stack.of(c).stackName);
    if (!s) { throw new Error(`No synthesized stack for ${c.node.path}`); }
    return s;
  };
  const resolveIn = (c: IConstruct, value: any) => stackOf(c).resolved.resolve(cdk.Stack.of(c).resolve(value));

  const identities: DeclaredIdentity[] = awsApp.node.findAll().filter((c): c is WorkloadIdentity => c instanceof WorkloadIdentity).map(identity => {
    const cfnRole = identity.role.node.defaultChild as cdk.CfnResource | undefined;
    return {
      example: stackOf(identity).example,
      stackName: stackOf(identity).stackName,
      path: identity.node.path,
      roleLogicalId: cfnRole && cdk.CfnResource.isCfnResource(cfnRole) ? cdk.Stack.of(identity).resolve(cfnRole.logicalId) : undefined,
      bindings: identity.bindings.map(b => ({ ...b, clusterName: resolveIn(identity, b.clusterName) })),
    };
  });

  const clusters: SynthesizedCluster[] = awsApp.node.findAll().filter(WorkloadCluster.isWorkloadCluster)
    .map(c => ({
      stackName: stackOf(c).stackName,
      clusterName: resolveIn(c, c.clusterName),
      clusterArn: c.clusterArn !== undefined ? resolveIn(c, c.clusterArn) : undefined,
      oidcIssuerUrl: c.oidcIssuerUrl !== undefined ? resolveIn(c, c.oidcIssuerUrl) : undefined,
    }));

  const manifests: SynthesizedManifest[] = k8sOutputs.flatMap(({ example, outdir }) =>
    (fs.existsSync(outdir) ? fs.readdirSync(outdir, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort() : [])
      .flatMap(cluster => fs.readdirSync(path.join(outdir, cluster)).filter(f => f.endsWith('.k8s.yaml')).sort().map(f => ({
        example,
        cluster,
        chart: f.replace(/\.k8s\.yaml$/, ''),
        file: path.join(outdir, cluster, f),
        objects: loadYaml(path.join(outdir, cluster, f)),
      }))));

  return {
    stacks,
    manifests,
    identities,
    clusters,
    assemblyDir,
    awsApp,
    validationFailure,
    stack(stackName: string) {
      const s = stacks.find(x => x.stackName === stackName);
      if (!s) { throw new Error(`No stack '${stackName}' (have ${stacks.map(x => x.stackName).join(', ')}).`); }
      return s;
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The documents of a YAML file, read as cdk8s reads them (YAML 1.1, empty
 * documents dropped) with the parser cdk8s bundles: `Yaml.load` spawns a
 * process per file, which the property tests cannot afford per app.
 */
function loadYaml(file: string): KubernetesObject[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('cdk8s/node_modules/yaml');
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8'), { version: '1.1' }).map((d: any) => d.toJSON())
    .filter((o: any) => o !== null && o !== undefined && !(typeof o === 'object' && Object.keys(o).length === 0));
}

/**
 * Every value a stack exports to another, resolved in the producing stack:
 * CloudFormation exports (same account and region) by export name, stack
 * outputs (Fn::GetStackOutput, across accounts) by stack and output name, and
 * aws-cdk-lib's cross-region SSM exports by parameter name.
 */
function crossStackExports(producers: ResolvedTemplate[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const p of producers) {
    for (const [name, output] of Object.entries<any>(p.template.Outputs ?? {})) {
      if (output.Export?.Name !== undefined) { values.set(`export:${p.resolve(output.Export.Name)}`, () => p.resolve(output.Value)); }
      values.set(`output:${p.env.stackName}/${name}`, () => p.resolve(output.Value));
    }
    for (const id of p.logicalIdsOfType('Custom::CrossRegionExportWriter')) {
      const exports = p.template.Resources[id].Properties?.WriterProps?.exports ?? {};
      for (const [name, value] of Object.entries(exports)) { values.set(`ssm:${name}`, () => p.resolve(value)); }
    }
  }
  return values;
}

/** The template with each Fn::ImportValue, Fn::GetStackOutput and cross-region reader attribute replaced by the exported value. */
function linkImports(template: CfnTemplate, exported: Map<string, unknown>): CfnTemplate {
  const readers = new Set(Object.entries(template.Resources).filter(([, r]) => r.Type === 'Custom::CrossRegionExportReader').map(([id]) => id));
  const text = JSON.stringify(template);
  if (readers.size === 0 && !text.includes('"Fn::ImportValue"') && !text.includes('"Fn::GetStackOutput"')) { return template; }
  const valueOf = (key: string) => {
    const produce = exported.get(key);
    if (typeof produce !== 'function') { throw new Error(`No stack of the app exports ${key}.`); }
    return produce();
  };
  const walk = (v: any): any => {
    if (Array.isArray(v)) { return v.map(walk); }
    if (!v || typeof v !== 'object') { return v; }
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue' && typeof v['Fn::ImportValue'] === 'string') { return valueOf(`export:${v['Fn::ImportValue']}`); }
    if (keys.length === 1 && keys[0] === 'Fn::GetStackOutput') { return valueOf(`output:${v['Fn::GetStackOutput'].StackName}/${v['Fn::GetStackOutput'].OutputName}`); }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && readers.has(v['Fn::GetAtt'][0])) { return valueOf(`ssm:${v['Fn::GetAtt'][1]}`); }
    return Object.fromEntries(keys.map(k => [k, walk(v[k])]));
  };
  return { ...template, Resources: walk(template.Resources), ...(template.Outputs ? { Outputs: walk(template.Outputs) } : {}) };
}
