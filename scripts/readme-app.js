#!/usr/bin/env node
/**
 * Reads the README's minimal app from the README's own text, so the packed-
 * install check (scripts/check-packed-install.sh) builds what a user copies:
 *
 *   node scripts/readme-app.js files README.md <dir>   writes each file block into <dir>
 *   node scripts/readme-app.js packages README.md      prints "dep <name>" / "dev <name>" per package
 *   node scripts/readme-app.js install README.md       prints the npm lines of the Install section, as written
 *   node scripts/readme-app.js snippets README.md <dir> [docs/x.md ...]
 *                                                      writes every other TypeScript block (of the README and the
 *                                                      guides named) into <dir>/readme-snippets/
 *
 * A file block is a fenced code block whose preceding line names the file in
 * backticks, e.g. "`bin/app.ts`:" (the colon is optional). Packages come from
 * the `npm install` lines of ```sh blocks; -D/--save-dev marks devDependencies.
 */
const fs = require('fs');
const path = require('path');

/** Every fenced block: its info string, its text, and the last non-blank line before it. */
function fencedBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]);
    if (!open) {
      if (lines[i].trim() !== '') { previous = lines[i].trim(); }
      continue;
    }
    const body = [];
    for (i++; i < lines.length && lines[i] !== open[1]; i++) { body.push(lines[i]); }
    blocks.push({ info: open[2].trim(), text: body.join('\n') + '\n', label: previous });
    previous = '';
  }
  return blocks;
}

/** The file blocks, as { file, text }. */
function readmeFiles(markdown) {
  return fencedBlocks(markdown).flatMap(b => {
    const m = /^`([\w./-]+)`:?$/.exec(b.label);
    return m ? [{ file: m[1], text: b.text }] : [];
  });
}

/** The packages of the README's `npm install` lines, without their version ranges. */
function readmePackages(markdown) {
  const packages = [];
  for (const b of fencedBlocks(markdown).filter(x => /^(sh|bash|shell)$/.test(x.info))) {
    for (const line of b.text.split('\n').map(l => l.trim()).filter(l => /^npm (install|i) /.test(l))) {
      const words = line.split(/\s+/).slice(2);
      const dev = words.some(w => w === '-D' || w === '--save-dev');
      for (const spec of words.filter(w => !w.startsWith('-'))) {
        packages.push({ dev, name: spec.replace(/^(@?[^@]+)@.*$/, '$1') });
      }
    }
  }
  return packages;
}

/** The `npm` command lines of the sh blocks of the "## Install" section, exactly as written. */
function installLines(markdown) {
  const start = markdown.indexOf('\n## Install\n');
  if (start < 0) { throw new Error('the README has no "## Install" section'); }
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return fencedBlocks(section).filter(b => /^(sh|bash|shell)$/.test(b.info))
    .flatMap(b => b.text.split('\n').map(l => l.trim()).filter(l => /^npm /.test(l)));
}

/**
 * The README's other TypeScript blocks (not a file, not quoted "From `file`:",
 * which tests check against that file), each as a module that type-checks
 * against the installed library: the block's body runs in a Stack's
 * constructor (`this` is the stack), with the names it uses from the library
 * and aws-cdk-lib in scope, and the objects it takes as given (a cluster, a
 * bucket...) declared with their types in SNIPPET_GIVENS.
 */
const SNIPPET_GIVENS = `
declare const app: cdk.App, env: cdk.Environment, chart: cdk8s.Chart;
declare const cluster: wi.IWorkloadCluster, blue: wi.IWorkloadCluster, green: wi.IWorkloadCluster;
declare const eksV2Cluster: eksv2.ICluster, eksV1Cluster: eks.ICluster;
declare const bucket: s3.IBucket, volumeKey: kms.IKey, zone: route53.IHostedZone, vendorKey: iam.CfnAccessKey;
declare const payment: wi.WorkloadIdentity, report: wi.WorkloadIdentity, batchIdentity: wi.WorkloadIdentity;
declare const legacyDeployment: kplus.Deployment, batchDeployment: kplus.Deployment;
declare const workloads: { readonly name: string; readonly namespace: string }[];
declare const certificate: acm.ICertificate, saSignerPublicKeyPem: string;
`;
const SNIPPET_MODULES = {
  cdk: 'aws-cdk-lib', iam: 'aws-cdk-lib/aws-iam', s3: 'aws-cdk-lib/aws-s3', kms: 'aws-cdk-lib/aws-kms',
  route53: 'aws-cdk-lib/aws-route53', acm: 'aws-cdk-lib/aws-certificatemanager', eks: 'aws-cdk-lib/aws-eks', eksv2: 'aws-cdk-lib/aws-eks-v2',
  cdk8s: 'cdk8s', kplus: 'cdk8s-plus-28', wi: 'cdk-eks-workload-identity',
};

function readmeSnippets(markdown, exportsOf) {
  const blocks = fencedBlocks(markdown).filter(b => b.info === 'ts' && !/^`[\w./-]+`:?$/.test(b.label) && !/^From `/.test(b.label));
  return blocks.map(b => {
    const lines = b.text.split('\n');
    const imports = lines.filter(l => /^import /.test(l));
    const body = lines.filter(l => !/^import /.test(l)).join('\n');
    const importedNames = new Set(imports.flatMap(l => (/\{([^}]*)\}/.exec(l)?.[1] ?? /\* as (\w+)/.exec(l)?.[1] ?? '').split(',').map(n => n.trim()).filter(Boolean)));
    const used = (name) => !importedNames.has(name) && new RegExp(`(?<![.\\w])${name}\\b`).test(body);
    const header = Object.entries(SNIPPET_MODULES).filter(([alias]) => !importedNames.has(alias))
      .map(([alias, module]) => `import * as ${alias} from '${module}';`);
    const library = exportsOf('cdk-eks-workload-identity').filter(used);
    const core = exportsOf('aws-cdk-lib').filter(n => /^[A-Z]/.test(n) && !library.includes(n)).filter(used);
    return [
      '/* eslint-disable */', ...header, ...imports, 'import { Construct } from \'constructs\';', SNIPPET_GIVENS,
      library.length ? `const { ${library.join(', ')} } = wi;` : '',
      core.length ? `const { ${core.join(', ')} } = cdk;` : '',
      'export class Snippet extends cdk.Stack {',
      '  constructor(scope: Construct) {',
      '    super(scope, \'Snippet\');',
      body,
      '  }',
      '}',
      '',
    ].join('\n');
  });
}

if (require.main === module) {
  const [command, readme, dir, ...guides] = process.argv.slice(2);
  const markdown = fs.readFileSync(readme, 'utf-8');
  if (command === 'files') {
    const files = readmeFiles(markdown);
    if (files.length === 0) { throw new Error(`${readme} has no file blocks (a fenced block after a line like \`bin/app.ts\`:)`); }
    for (const { file, text } of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
      console.log(file);
    }
  } else if (command === 'packages') {
    const packages = readmePackages(markdown);
    if (packages.length === 0) { throw new Error(`${readme} has no npm install line in a sh block`); }
    packages.forEach(p => console.log(`${p.dev ? 'dev' : 'dep'} ${p.name}`));
  } else if (command === 'install') {
    const lines = installLines(markdown);
    if (lines.length === 0) { throw new Error(`${readme} has no npm line in its Install section`); }
    lines.forEach(l => console.log(l));
  } else if (command === 'snippets') {
    // The library and aws-cdk-lib as installed in <dir>: their exports are what a snippet may use.
    const exportsOf = (name) => Object.keys(require(require.resolve(name, { paths: [path.resolve(dir)] })));
    const out = path.join(dir, 'readme-snippets');
    fs.mkdirSync(out, { recursive: true });
    [readme, ...guides].forEach(file => {
      const name = path.basename(file, '.md').toLowerCase();
      readmeSnippets(fs.readFileSync(file, 'utf-8'), exportsOf).forEach((text, i) => {
        fs.writeFileSync(path.join(out, `${name}-${i + 1}.ts`), text);
        console.log(`readme-snippets/${name}-${i + 1}.ts`);
      });
    });
  } else {
    throw new Error('usage: readme-app.js files README.md <dir> | packages README.md | install README.md | snippets README.md <dir> [guide.md ...]');
  }
}

module.exports = { fencedBlocks, installLines, readmeFiles, readmePackages, readmeSnippets };
