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
import { AppImports, CfnTemplate, ResolvedTemplate } from './cfn-resolver';
import { resolverDisagreements } from './library-resolver-agreement';
import { recordStat } from './verify-stats';

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
  /** The ARN of an existing role the identity was given (undefined for a created role). */
  readonly existingRoleArn?: string;
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
  // After a failed validation the library writes no YAML (WorkloadOutputs.synth refuses): only the templates are judged then.
  if (!validationFailure) {
    WorkloadOutputs.synth({ apps: k8sOutputs.flatMap(o => o.output.apps), bindingsFiles: k8sOutputs.flatMap(o => o.output.bindingsFiles) });
  }

  const written = awsApp.node.findAll().filter(cdk.Stack.isStack).map(stack => {
    const templatePath = path.join(assemblyDir, stack.templateFile);
    const template: CfnTemplate = assembly
      ? assembly.getStackArtifact(stack.artifactId).template
      : JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
    return { stack, templatePath, template, env: { stackName: stack.stackName, account: stack.account, region: stack.region } };
  });
  // A value one stack takes from another resolves to what the producing stack exports.
  const resolvedByName = new Map<string, ResolvedTemplate>();
  const imports = appImports(resolvedByName);
  const stacks: SynthesizedStack[] = written.map(({ stack, templatePath, template, env }) => {
    const resolved = new ResolvedTemplate(template, env, imports);
    resolvedByName.set(stack.stackName, resolved);
    return { example: stackExample.get(stack.stackName) ?? '?', stackName: stack.stackName, templatePath, template, resolved };
  });
  // The library's own resolver, run beside the proof's over every template: any difference fails.
  const disagreements = resolverDisagreements(stacks.map(s => s.resolved), imports);
  recordStat('resolverTemplatesCompared', stacks.length);
  if (disagreements.length > 0) {
    throw new Error(`The proof's resolver and the library's TemplateResolver disagree:\n${disagreements.slice(0, 20).join('\n')}`);
  }
  const stackOf = (c: IConstruct) => {
    const s = stacks.find(x => x.stackName === cdk.Stack.of(c).stackName);
    if (!s) { throw new Error(`No synthesized stack for ${c.node.path}`); }
    return s;
  };
  const resolveIn = (c: IConstruct, value: any) => stackOf(c).resolved.resolve(cdk.Stack.of(c).resolve(value));

  const identities: DeclaredIdentity[] = awsApp.node.findAll().filter((c): c is WorkloadIdentity => c instanceof WorkloadIdentity).map(identity => {
    const cfnRole = identity.role.node.defaultChild as cdk.CfnResource | undefined;
    const created = cfnRole && cdk.CfnResource.isCfnResource(cfnRole);
    return {
      example: stackOf(identity).example,
      stackName: stackOf(identity).stackName,
      path: identity.node.path,
      roleLogicalId: created ? cdk.Stack.of(identity).resolve(cfnRole.logicalId) : undefined,
      existingRoleArn: created ? undefined : resolveIn(identity, identity.role.roleArn),
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
 * Every value a stack exports to another, resolved in the producing stack when
 * read: CloudFormation exports (same account and region) by export name, stack
 * outputs (Fn::GetStackOutput, across accounts and regions) by stack and
 * output name, and aws-cdk-lib's cross-region SSM exports by parameter name.
 */
function appImports(stacks: Map<string, ResolvedTemplate>): AppImports {
  const producers = () => [...stacks.values()];
  const once = (what: string, found: { p: ResolvedTemplate; value: unknown }[]) => {
    if (found.length !== 1) { throw new Error(`${found.length === 0 ? 'No' : 'More than one'} stack of the app exports ${what}.`); }
    return found[0].p.resolve(found[0].value);
  };
  return {
    exportNamed: name => once(`export '${name}'`, producers().flatMap(p => Object.values<any>(p.template.Outputs ?? {})
      // An export is visible only in its own account and region; the importer's is checked by aws-cdk-lib at synth.
      .filter(o => o.Export?.Name !== undefined && p.resolve(o.Export.Name) === name).map(o => ({ p, value: o.Value })))),
    stackOutput: (stackName, outputName, region, account) => {
      const p = stacks.get(stackName);
      const output = p?.template.Outputs?.[outputName];
      if (!p || !output || (region !== undefined && region !== p.env.region) || (account !== undefined && account !== p.env.account)) {
        throw new Error(`No stack '${stackName}'${region ? ` in ${region}` : ''}${account ? ` of ${account}` : ''} has output '${outputName}'.`);
      }
      return p.resolve(output.Value);
    },
    crossRegion: parameterName => once(`the cross-region parameter '${parameterName}'`, producers().flatMap(p => p.logicalIdsOfType('Custom::CrossRegionExportWriter')
      .flatMap(id => Object.entries<any>(p.template.Resources[id].Properties?.WriterProps?.exports ?? {}).filter(([n]) => n === parameterName).map(([, value]) => ({ p, value }))))),
  };
}
