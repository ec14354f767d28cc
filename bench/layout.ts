import * as fs from 'fs';
import * as path from 'path';

/** One template of a cloud assembly. */
export interface StackLayout {
  readonly templateFile: string;
  readonly resources: number;
  readonly bytes: number;
  readonly resourceTypes: { [type: string]: number };
}

/** How a cloud assembly is laid out: its stacks, and the cluster-wide pieces in it. */
export interface AssemblyLayout {
  readonly stacks: StackLayout[];
  /** `AWS::EKS::Addon` named `eks-pod-identity-agent`, by rendered cluster name. */
  readonly podIdentityAgents: { [clusterName: string]: number };
  /** `AWS::IAM::OIDCProvider`, by issuer URL. */
  readonly oidcProviders: { [url: string]: number };
}

/** Reads every template of the cloud assembly in `cdkOutdir` (nested assemblies of Stages included). */
export function readLayout(cdkOutdir: string): AssemblyLayout {
  const stacks: StackLayout[] = [];
  const podIdentityAgents: { [clusterName: string]: number } = {};
  const oidcProviders: { [url: string]: number } = {};
  for (const file of templateFiles(cdkOutdir)) {
    const text = fs.readFileSync(file, 'utf8');
    const resources = Object.values<{ Type: string; Properties?: any }>(JSON.parse(text).Resources ?? {});
    const resourceTypes: { [type: string]: number } = {};
    for (const r of resources) {
      resourceTypes[r.Type] = (resourceTypes[r.Type] ?? 0) + 1;
      if (r.Type === 'AWS::EKS::Addon' && r.Properties?.AddonName === 'eks-pod-identity-agent') {
        const name = JSON.stringify(r.Properties.ClusterName).replace(/^"|"$/g, '');
        podIdentityAgents[name] = (podIdentityAgents[name] ?? 0) + 1;
      }
      if (r.Type === 'AWS::IAM::OIDCProvider') {
        const url = JSON.stringify(r.Properties?.Url).replace(/^"|"$/g, '');
        oidcProviders[url] = (oidcProviders[url] ?? 0) + 1;
      }
    }
    stacks.push({ templateFile: path.relative(cdkOutdir, file), resources: resources.length, bytes: Buffer.byteLength(text), resourceTypes });
  }
  return { stacks, podIdentityAgents, oidcProviders };
}

function templateFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) { return []; }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { return entry.name.startsWith('asset.') ? [] : templateFiles(full); }
    return entry.name.endsWith('.template.json') ? [full] : [];
  });
}

/** CloudFormation's quotas per stack. */
export const CLOUDFORMATION_MAX_RESOURCES = 500;
export const CLOUDFORMATION_MAX_TEMPLATE_BYTES = 1_000_000;

/**
 * What would stop a deployment of the fleet, or betray a cluster-wide piece
 * declared twice: stacks over CloudFormation's quotas, and a cluster with more
 * than one agent add-on or an issuer with more than one OIDC provider.
 */
export function layoutProblems(layout: AssemblyLayout): string[] {
  return [
    ...layout.stacks.filter(s => s.resources > CLOUDFORMATION_MAX_RESOURCES).map(s => `${s.templateFile} has ${s.resources} resources`),
    ...layout.stacks.filter(s => s.bytes > CLOUDFORMATION_MAX_TEMPLATE_BYTES).map(s => `${s.templateFile} has ${s.bytes} bytes`),
    ...Object.entries(layout.podIdentityAgents).filter(([, k]) => k > 1).map(([c, k]) => `cluster ${c} has ${k} agent add-ons`),
    ...Object.entries(layout.oidcProviders).filter(([, k]) => k > 1).map(([u, k]) => `issuer ${u} has ${k} OIDC providers`),
  ];
}
