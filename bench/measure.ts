import * as fs from 'fs';
import * as path from 'path';
import { readLayout } from './layout';

/** What one synthesized output contains. */
export interface OutputFigures {
  /** CloudFormation resources, across every template. */
  readonly resources: number;
  /** Templates (stacks) in the cloud assembly. */
  readonly stacks: number;
  /** Resources of the largest template: CloudFormation accepts 500. */
  readonly maxStackResources: number;
  /** Bytes of the largest template: CloudFormation accepts 1 MB (from S3). */
  readonly maxStackBytes: number;
  /** Bytes of every CloudFormation template. */
  readonly templateBytes: number;
  /** `AWS::Lambda::Function` (and SAM function) resources, including custom resource providers. */
  readonly lambdas: number;
  /** `Custom::*` and `AWS::CloudFormation::CustomResource` resources. */
  readonly customResources: number;
  /** File and directory assets staged into the cloud assembly (Lambda code, layers). */
  readonly assets: number;
  /** Their bytes. */
  readonly assetBytes: number;
  /** Bytes of the Kubernetes YAML the cdk8s app wrote. */
  readonly manifestBytes: number;
  /** Resource count per type, for the report's notes. */
  readonly resourceTypes: { [type: string]: number };
}

/** Reads a CDK cloud assembly directory and a cdk8s output directory. */
export function measureOutput(cdkOutdir: string, k8sOutdir: string): OutputFigures {
  const layout = readLayout(cdkOutdir);
  const resourceTypes: { [type: string]: number } = {};
  for (const s of layout.stacks) {
    for (const [type, count] of Object.entries(s.resourceTypes)) { resourceTypes[type] = (resourceTypes[type] ?? 0) + count; }
  }
  const ofTypes = (match: (type: string) => boolean) => Object.entries(resourceTypes).filter(([t]) => match(t)).reduce((sum, [, c]) => sum + c, 0);
  const assets = assetEntries(cdkOutdir);
  return {
    resources: layout.stacks.reduce((sum, s) => sum + s.resources, 0),
    stacks: layout.stacks.length,
    maxStackResources: Math.max(0, ...layout.stacks.map(s => s.resources)),
    maxStackBytes: Math.max(0, ...layout.stacks.map(s => s.bytes)),
    templateBytes: layout.stacks.reduce((sum, s) => sum + s.bytes, 0),
    lambdas: ofTypes(t => t === 'AWS::Lambda::Function' || t === 'AWS::Serverless::Function'),
    customResources: ofTypes(t => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource'),
    assets: assets.length,
    assetBytes: assets.reduce((sum, a) => sum + bytesOf(a), 0),
    manifestBytes: files(k8sOutdir).filter(f => /\.ya?ml$/.test(f)).reduce((sum, f) => sum + fs.statSync(f).size, 0),
    resourceTypes,
  };
}

/** The `asset.*` files and directories of an assembly (and of nested assemblies). */
function assetEntries(dir: string): string[] {
  if (!fs.existsSync(dir)) { return []; }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('asset.')) { return [full]; }
    return entry.isDirectory() ? assetEntries(full) : [];
  });
}

function bytesOf(entry: string): number {
  return fs.statSync(entry).isDirectory() ? files(entry).reduce((sum, f) => sum + fs.statSync(f).size, 0) : fs.statSync(entry).size;
}

/** Every file below `dir`, or none if it does not exist. */
function files(dir: string): string[] {
  if (!fs.existsSync(dir)) { return []; }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}
