import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

// A cdk8s-only repository installs cdk8s, cdk8s-plus-28 and constructs, not
// aws-cdk-lib: lib/core and lib/k8s must load without it. This reads the
// sources (TypeScript's own import scanner, so comments and strings do not
// count; type-only imports count too, since the .d.ts keeps them) and
// follows every relative import.

const LIB = path.resolve(__dirname, '..', '..', 'lib');
const CDK8S_SIDE = [path.join(LIB, 'core'), path.join(LIB, 'k8s')];
const ALLOWED_PACKAGES = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

function sourcesIn(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' })
    .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map(f => path.join(dir, f));
}

/** Every module specifier of `file`: import, export ... from, import(), require(). */
function specifiersOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf-8'), true, true);
  return info.importedFiles.map(f => f.fileName);
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidate = [`${base}.ts`, path.join(base, 'index.ts')].find(f => fs.existsSync(f));
  if (!candidate) { throw new Error(`${path.relative(LIB, from)} imports '${specifier}', which has no .ts source`); }
  return candidate;
}

function packageOf(specifier: string): string {
  const parts = specifier.replace(/^node:/, '').split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

interface Reach { readonly files: string[]; readonly packages: Map<string, string[]> }

/** Files reachable from `roots` through relative imports, and the packages they import (with importers). */
function reach(roots: string[]): Reach {
  const seen = new Set<string>();
  const packages = new Map<string, string[]>();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) { continue; }
    seen.add(file);
    for (const specifier of specifiersOf(file)) {
      if (specifier.startsWith('.')) {
        queue.push(resolveRelative(file, specifier));
      } else {
        const pkg = packageOf(specifier);
        packages.set(pkg, [...(packages.get(pkg) ?? []), path.relative(LIB, file)]);
      }
    }
  }
  return { files: [...seen].map(f => path.relative(LIB, f)).sort(), packages };
}

describe('lib/core and lib/k8s without aws-cdk-lib', () => {
  const roots = CDK8S_SIDE.flatMap(sourcesIn);
  const { files, packages } = reach(roots);

  test('GIVEN the sources WHEN scanned THEN every file of lib/core and lib/k8s is covered', () => {
    expect(files).toEqual(expect.arrayContaining([
      'core/index.ts', 'core/workload-binding.ts', 'core/kubernetes-names.ts',
      'k8s/index.ts', 'k8s/workload-service-account.ts', 'k8s/workload-service-accounts-chart.ts',
    ]));
  });

  test('GIVEN their relative imports WHEN followed transitively THEN they never leave lib/core and lib/k8s', () => {
    // lib/aws imports aws-cdk-lib, so reaching it (or lib/index.ts) would pull it in.
    expect(files.filter(f => !f.startsWith(`core${path.sep}`) && !f.startsWith(`k8s${path.sep}`))).toEqual([]);
  });

  test('GIVEN their package imports WHEN listed THEN aws-cdk-lib and @aws-cdk/* are not among them', () => {
    const aws = [...packages.entries()].filter(([pkg]) => pkg === 'aws-cdk-lib' || pkg.startsWith('@aws-cdk/'));
    expect(aws).toEqual([]);
  });

  test('GIVEN their package imports WHEN listed THEN they are only Node built-ins and the cdk8s peer dependencies', () => {
    const others = [...packages.keys()].filter(pkg => !builtinModules.includes(pkg) && !ALLOWED_PACKAGES.includes(pkg));
    expect(others).toEqual([]);
  });

  test('GIVEN a file that imports aws-cdk-lib WHEN scanned THEN the scanner sees it (the check above can fail)', () => {
    const aws = reach([path.join(LIB, 'aws', 'role-arn.ts')]);
    expect([...aws.packages.keys()]).toContain('aws-cdk-lib');
    expect(specifiersOf(path.join(LIB, 'aws', 'role-arn.ts'))).toContain('aws-cdk-lib/region-info');
  });

  test('GIVEN imports in comments, strings and require() WHEN scanned THEN only real imports count', () => {
    const file = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'scan-')), 'sample.ts');
    fs.writeFileSync(file, [
      "// import { Stack } from 'aws-cdk-lib';",
      "const text = \"import * as cdk from 'aws-cdk-lib'\";",
      "const iam = require('aws-cdk-lib/aws-iam');",
      "export { Chart } from 'cdk8s';",
      "import('constructs');",
    ].join('\n'));
    try {
      expect(specifiersOf(file).sort()).toEqual(['aws-cdk-lib/aws-iam', 'cdk8s', 'constructs']);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
