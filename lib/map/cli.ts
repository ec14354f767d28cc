#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { diffIdentityMaps, diffToMarkdown, identityMapOf, isWildcardGrant, readIdentityMap, writeIdentityMap } from './index';

const USAGE = `Usage: cdk-eks-workload-identity map [--cdk-out cdk.out] [--dist dist] [--out .] [--diff BASE] [--fail-on-new-wildcards]

Writes identity-map.json and identity-map.html (self-contained) from what was synthesized.
  --diff BASE               also print, as Markdown, the grants added and removed since BASE
                            (a previous identity-map.json, or a cdk.out folder read with --dist)
  --fail-on-new-wildcards   with --diff: exit 1 when an added grant has a wildcard action or resource`;

/** Runs the command line; returns the exit code. */
export function main(argv: string[], out: (s: string) => void = s => process.stdout.write(s), err: (s: string) => void = s => process.stderr.write(s)): number {
  const [command, ...rest] = argv;
  if (command !== 'map') {
    err(`${command ? `Unknown command '${command}'. ` : ''}${USAGE}\n`);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const options: { [name: string]: string | boolean } = { 'cdk-out': 'cdk.out', 'dist': 'dist', 'out': '.' };
  for (let i = 0; i < rest.length; i++) {
    const name = rest[i].replace(/^--/, '');
    if (name === 'fail-on-new-wildcards') { options[name] = true; continue; }
    if (!['cdk-out', 'dist', 'out', 'diff'].includes(name) || rest[i + 1] === undefined) {
      err(`Unknown or incomplete option '${rest[i]}'.\n${USAGE}\n`);
      return 2;
    }
    options[name] = rest[++i];
  }
  try {
    const map = identityMapOf({ cdkOut: String(options['cdk-out']), dist: String(options.dist) });
    const written = writeIdentityMap(map, String(options.out));
    err(`${path.relative(process.cwd(), written.json) || written.json}, ${path.relative(process.cwd(), written.html) || written.html}: ` +
      `${map.clusters.length} clusters, ${map.roles.length} roles, ${map.flags.length} flags\n`);
    if (options.diff !== undefined) {
      const base = String(options.diff);
      const before = fs.statSync(base).isDirectory() ? identityMapOf({ cdkOut: base, dist: String(options.dist) }) : readIdentityMap(base);
      const diff = diffIdentityMaps(before, map);
      out(diffToMarkdown(diff));
      if (options['fail-on-new-wildcards'] && diff.added.some(isWildcardGrant)) {
        err(`New wildcard grants: ${diff.added.filter(isWildcardGrant).map(g => `${g.serviceAccount}: ${g.action} on ${g.resource}`).join('; ')}\n`);
        return 1;
      }
    } else if (options['fail-on-new-wildcards']) {
      err('--fail-on-new-wildcards needs --diff BASE.\n');
      return 2;
    }
    return 0;
  } catch (e) {
    err(`${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
