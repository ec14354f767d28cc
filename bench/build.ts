// Compiles lib/ and bench/ to CommonJS in .bench/build, once per bench run:
// the measured processes run `node` on JavaScript, as a user's app runs the
// published package, so no TypeScript compiler is in the figures. lib/ is
// emitted as `npm run build` emits it: TypeScript's own emitter with jsii's
// options (ES2020, inline source maps), then scripts/lazy-index.js makes the
// indexes lazy, so module loading is measured on what lands.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..');
/**
 * Inside the repository, so that the compiled files resolve node_modules as
 * the sources do; one per bench process, so two runs never share one.
 */
export const BUILD_DIR = path.join(ROOT, '.bench', `build-${process.pid}`);

/** jsii's compiler options for lib/ (its generated tsconfig.json). */
const LIB_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, alwaysStrict: true, inlineSourceMap: true, inlineSources: true,
};
const BENCH_OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true };

/**
 * Where the compiled lib/ goes: inside a `node_modules` folder, as `npm
 * install` puts the package, so that aws-cdk-lib treats its frames as it
 * treats any installed package's. aws-cdk-lib records a creation stack
 * trace for every resource and renders the frames of installed packages as
 * one line ("...new WorkloadIdentity in cdk-eks-workload-identity...");
 * compiled beside the bench, every frame of the library was rendered, kept
 * and written to the cloud assembly as if it were the user's code, which no
 * user's app does.
 */
const INSTALLED_LIB = path.join(BUILD_DIR, 'node_modules', 'cdk-eks-workload-identity', 'lib');

/** Compiles every .ts file of lib/ and bench/ (not .d.ts) and returns the build directory. */
export function buildForBench(): string {
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  for (const [dir, options, outDir] of [['lib', LIB_OPTIONS, INSTALLED_LIB], ['bench', BENCH_OPTIONS, path.join(BUILD_DIR, 'bench')]] as const) {
    const root = path.join(ROOT, dir);
    for (const file of sources(root)) {
      const out = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: path.relative(ROOT, file) });
      fs.writeFileSync(out, outputText);
    }
  }
  fs.writeFileSync(path.join(path.dirname(INSTALLED_LIB), 'package.json'), JSON.stringify({ name: 'cdk-eks-workload-identity', main: 'lib/index.js' }));
  // The bench's `../lib` imports reach the installed copy; Node resolves the
  // link to its real path, so the frames are those of the installed package.
  fs.symlinkSync(INSTALLED_LIB, path.join(BUILD_DIR, 'lib'), 'dir');
  lazifyIndexes(INSTALLED_LIB);
  return BUILD_DIR;
}

/** What `npm run build` does after jsii, if this checkout has the script: the same script, on the build. */
function lazifyIndexes(lib: string): void {
  const script = path.join(ROOT, 'scripts', 'lazy-index.js');
  if (!fs.existsSync(script)) { return; }
  const result = spawnSync(process.execPath, [script, lib], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) { throw new Error(`${script} failed:\n${result.stderr}${result.stdout}`); }
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { return sources(full); }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
