import * as fs from 'fs';
import * as path from 'path';

/** What one synthesized output contains. */
export interface OutputFigures {
  /** CloudFormation resources, across every template (nested stacks included). */
  readonly resources: number;
  /** Resources of the largest template: CloudFormation accepts 500. */
  readonly maxStackResources: number;
  /** Bytes of every CloudFormation template. */
  readonly templateBytes: number;
  /** `AWS::Lambda::Function` (and SAM function) resources, including custom resource providers. */
  readonly lambdas: number;
  /** `Custom::*` and `AWS::CloudFormation::CustomResource` resources. */
  readonly customResources: number;
  /** Bytes of the Kubernetes YAML the cdk8s app wrote. */
  readonly manifestBytes: number;
  /** Bytes of the file assets staged into the cloud assembly (Lambda code, layers). */
  readonly assetBytes: number;
  /** Resource count per type, for the report's notes. */
  readonly resourceTypes: { [type: string]: number };
}

/** Reads a CDK cloud assembly directory and a cdk8s output directory. */
export function measureOutput(cdkOutdir: string, k8sOutdir: string): OutputFigures {
  let resources = 0, maxStackResources = 0, templateBytes = 0, lambdas = 0, customResources = 0, assetBytes = 0;
  const resourceTypes: { [type: string]: number } = {};
  for (const file of walk(cdkOutdir)) {
    const base = path.basename(file);
    if (base.startsWith('asset.')) {
      assetBytes += fs.statSync(file).size;
    } else if (base.endsWith('.template.json')) {
      const text = fs.readFileSync(file, 'utf8');
      templateBytes += Buffer.byteLength(text);
      const stackResources = Object.values<{ Type: string }>(JSON.parse(text).Resources ?? {});
      maxStackResources = Math.max(maxStackResources, stackResources.length);
      for (const resource of stackResources) {
        resources++;
        resourceTypes[resource.Type] = (resourceTypes[resource.Type] ?? 0) + 1;
        if (resource.Type === 'AWS::Lambda::Function' || resource.Type === 'AWS::Serverless::Function') { lambdas++; }
        if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') { customResources++; }
      }
    }
  }
  const manifestBytes = walk(k8sOutdir).filter(f => /\.ya?ml$/.test(f)).reduce((sum, f) => sum + fs.statSync(f).size, 0);
  return { resources, maxStackResources, templateBytes, lambdas, customResources, manifestBytes, assetBytes, resourceTypes };
}

/** Every file below `dir` (asset directories included), or none if it does not exist. */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) { return []; }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}
