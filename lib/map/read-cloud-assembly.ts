import * as fs from 'fs';
import * as path from 'path';
import { CfnTemplateDocument, TemplateResolver } from '../aws/guardrails/template-resolver';

/** One stack's template, resolved for display: what the template does not fix renders as `${<construct path>[.<attribute>]}`. */
export interface AssemblyStack {
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  readonly template: CfnTemplateDocument;
  readonly resolver: TemplateResolver;
  /** `aws:cdk:acknowledged-rules` of the stack's constructs: path, rule id and reason. */
  readonly acknowledgements: Array<{ readonly path: string; readonly rule: string; readonly reason: string }>;
}

/**
 * Every stack of a cloud assembly (`cdk.out`), nested assemblies of Stages
 * and nested stacks included, each with a resolver that keeps the template's
 * own words: a role's ARN from its literal name, and `${path.Attr}` for a
 * value only a deployment knows.
 */
export function readCloudAssembly(dir: string): AssemblyStack[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`No cloud assembly at '${dir}': '${manifestFile}' does not exist. Run 'npx cdk synth' first, or pass --cdk-out <folder>.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8'));
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...readCloudAssembly(path.join(dir, artifact.properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') { continue; }
    const env = /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment ?? '');
    const account = env && /^\d{12}$/.test(env[1]) ? env[1] : undefined;
    const region = env && env[2] !== 'unknown-region' ? env[2] : undefined;
    const stackName = artifact.displayName ?? artifact.properties?.stackName ?? id;
    const metadata = readMetadata(dir, id, artifact);
    const acknowledgements = Object.entries<any[]>(metadata).flatMap(([p, entries]) => entries
      .filter(e => e.type === 'aws:cdk:acknowledged-rules' && e.data && typeof e.data === 'object')
      .flatMap(e => Object.entries<string>(e.data).map(([rule, reason]) => ({ path: p.replace(/^\//, ''), rule: rule.replace(/^Annotation::/, ''), reason: String(reason) }))));
    const templateFile = path.join(dir, artifact.properties.templateFile);
    const add = (file: string, name: string): void => {
      const template: CfnTemplateDocument = JSON.parse(fs.readFileSync(file, 'utf-8'));
      stacks.push({ stackName: name, account, region, template, resolver: displayResolver(template, name, account, region), acknowledgements: name === stackName ? acknowledgements : [] });
      for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
        const asset = resource.Type === 'AWS::CloudFormation::Stack' ? resource.Metadata?.['aws:asset:path'] : undefined;
        if (typeof asset === 'string' && fs.existsSync(path.join(dir, asset))) { add(path.join(dir, asset), `${name}/${logicalId}`); }
      }
    };
    add(templateFile, stackName);
  }
  return stacks;
}

function readMetadata(dir: string, id: string, artifact: any): { [path: string]: any[] } {
  const file = artifact.additionalMetadataFile ? path.join(dir, artifact.additionalMetadataFile) : path.join(dir, `${id}.metadata.json`);
  return { ...artifact.metadata ?? {}, ...fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : {} };
}

/** The construct path CDK wrote on a resource, else `<stack>/<logical id>`. */
export function resourcePath(template: CfnTemplateDocument, stackName: string, logicalId: string): string {
  return template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'] ?? `${stackName}/${logicalId}`;
}

function displayResolver(template: CfnTemplateDocument, stackName: string, account: string | undefined, region: string | undefined): TemplateResolver {
  const placeholder = (logicalId: string, attribute?: string) => `\${${resourcePath(template, stackName, logicalId)}${attribute ? `.${attribute}` : ''}}`;
  const resolver: TemplateResolver = new TemplateResolver(template, { stackName, account, region }, {
    resourceValue: (r, logicalId, attribute) => {
      const resource = template.Resources?.[logicalId];
      if (resource?.Type === 'AWS::IAM::Role' && (attribute === 'Arn' || attribute === undefined)) {
        const name = r.resolve(resource.Properties?.RoleName);
        if (typeof name === 'string' && !name.includes('${') && account) {
          return attribute === undefined ? name : `arn:${r.partition ?? 'aws'}:iam::${account}:role${r.resolve(resource.Properties?.Path) ?? '/'}${name}`;
        }
      }
      return placeholder(logicalId, attribute);
    },
  });
  return resolver;
}
