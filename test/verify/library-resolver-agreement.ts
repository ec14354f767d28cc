/**
 * The library's own template model (lib/aws/guardrails/template-resolver.ts,
 * which the AWS guardrails render values with), run beside the proof's
 * (cfn-intrinsics.ts) over every template the proof reads: every resource's
 * properties and every output. Any value the two resolve differently, or that
 * one resolves and the other refuses, is a difference, and synthesized-app.ts
 * fails the app on it.
 *
 * The one file of test/verify that imports a lib/ internal: here the library's
 * resolver is the thing under test, never the judge (.dependency-cruiser.js,
 * rule verify-imports-only-the-public-api).
 */
import { TemplateResolver } from '../../lib/aws/guardrails/template-resolver';
import { AppImports, ResolvedTemplate } from './cfn-resolver';

/** One line per value the two resolvers disagree on. */
export function resolverDisagreements(stacks: ResolvedTemplate[], imports: AppImports): string[] {
  const differences: string[] = [];
  for (const proof of stacks) {
    const { stackName, account, region } = proof.env;
    const linked = linkImports(proof.template, imports);
    const library = new TemplateResolver(linked, { stackName, account, region }, {
      strict: true,
      // The imagined deployment's physical names are not the judgement: both read the same ones.
      resourceValue: (_, logicalId, attribute) => proof.physicalValue(logicalId, attribute),
      issuerId: logicalId => ResolvedTemplate.issuerId(stackName, logicalId),
    });
    const values: [string, any, any][] = [
      ...Object.entries<any>(proof.template.Resources ?? {}).map(([id, r]): [string, any, any] => [`Resources.${id}.Properties`, r.Properties ?? {}, linked.Resources[id].Properties ?? {}]),
      ...Object.entries<any>(proof.template.Outputs ?? {}).map(([id, o]): [string, any, any] => [`Outputs.${id}`, o, linked.Outputs[id]]),
    ];
    for (const [where, raw, rawLinked] of values) {
      const ours = attempt(() => proof.resolve(raw));
      const theirs = attempt(() => library.resolve(rawLinked));
      if ('error' in ours && 'error' in theirs) { continue; }
      if ('error' in ours || 'error' in theirs) {
        differences.push(`${stackName} ${where}: ${'error' in ours ? `the proof refuses it (${ours.error}), the library resolves it` : `the library refuses it (${(theirs as { error: string }).error}), the proof resolves it`}`);
        continue;
      }
      const a = canonical(ours.value);
      const b = canonical(theirs.value);
      if (a !== b) { differences.push(`${stackName} ${where}: the proof resolves ${a.slice(0, 400)}, the library ${b.slice(0, 400)}`); }
    }
  }
  return differences;
}

function attempt(f: () => any): { value: any } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** JSON with sorted keys; a property without a value (AWS::NoValue) is absent, as CloudFormation drops it. */
function canonical(v: any): string {
  const sort = (x: any): any => Array.isArray(x) ? x.filter(y => y !== undefined).map(sort)
    : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().filter(k => x[k] !== undefined).map(k => [k, sort(x[k])])) : x;
  return JSON.stringify(sort(v));
}

/**
 * The template with each Fn::ImportValue, Fn::GetStackOutput and cross-region
 * reader attribute replaced by the value the producing stack exports (which the
 * library's resolver does not model), as the proof resolves it.
 */
function linkImports(template: any, imports: AppImports): any {
  const readers = new Set(Object.entries<any>(template.Resources ?? {}).filter(([, r]) => r.Type === 'Custom::CrossRegionExportReader').map(([id]) => id));
  // A value no stack exports stays as it is: both resolvers then refuse it.
  const linked = (v: any, f: () => any) => { const r = attempt(f); return 'error' in r ? v : r.value; };
  const walk = (v: any): any => {
    if (Array.isArray(v)) { return v.map(walk); }
    if (!v || typeof v !== 'object') { return v; }
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue' && typeof v['Fn::ImportValue'] === 'string') { return linked(v, () => imports.exportNamed(v['Fn::ImportValue'])); }
    if (keys.length === 1 && keys[0] === 'Fn::GetStackOutput') {
      const { StackName, OutputName, Region, RoleArn } = v['Fn::GetStackOutput'];
      return linked(v, () => imports.stackOutput(StackName, OutputName, Region, typeof RoleArn === 'string' ? RoleArn.split(':')[4] : undefined));
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && readers.has(v['Fn::GetAtt'][0])) { return linked(v, () => imports.crossRegion(v['Fn::GetAtt'][1])); }
    return Object.fromEntries(keys.map(k => [k, walk(v[k])]));
  };
  return { ...template, Resources: walk(template.Resources ?? {}), Outputs: walk(template.Outputs ?? {}) };
}
