// Compiles lib/ and bench/ to plain CommonJS in .bench/build with swc, once
// per bench run: the measured processes run `node` on JavaScript, as a user's
// app runs the published package, so no TypeScript compiler is in the figures.
import * as fs from 'fs';
import * as path from 'path';
import { transformFileSync } from '@swc/core';

export const ROOT = path.resolve(__dirname, '..');
/** Inside the repository, so that the compiled files resolve node_modules as the sources do. */
export const BUILD_DIR = path.join(ROOT, '.bench', 'build');

/** Compiles every .ts file of lib/ and bench/ (not .d.ts) and returns the build directory. */
export function buildForBench(): string {
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  for (const dir of ['lib', 'bench']) {
    for (const file of sources(path.join(ROOT, dir))) {
      const out = path.join(BUILD_DIR, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const { code } = transformFileSync(file, {
        // The target jsii compiles the published package to.
        jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2020' },
        module: { type: 'commonjs' },
        sourceMaps: false,
      });
      fs.writeFileSync(out, code);
    }
  }
  return BUILD_DIR;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { return sources(full); }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
