import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// scripts/lazy-index.js rewrites jsii's compiled lib/index.js (npm run build);
// the packed-install checks (scripts/check-packed-install.sh) load the result.
const { lazify } = require('../../scripts/lazy-index.js');

// What tsc emits for lib/index.ts (helpers elided).
const COMPILED = [
  '"use strict";',
  'Object.defineProperty(exports, "__esModule", { value: true });',
  '__exportStar(require("./core"), exports);',
  '__exportStar(require("./aws"), exports);',
  '__exportStar(require("./k8s"), exports);',
].join('\n');

const SIDES: Record<string, Record<string, unknown>> = {
  './core': { KubernetesNames: { core: true }, shared: 'core' },
  './aws': { WorkloadIdentity: class WorkloadIdentity {}, shared: 'aws' },
  './k8s': { WorkloadServiceAccount: class WorkloadServiceAccount {} },
};

/** Runs the rewritten index as a CommonJS module whose require() records what it loads. */
function load(source: string) {
  const loaded: string[] = [];
  const exports: Record<string, unknown> = {};
  const requireSide = (specifier: string) => { loaded.push(specifier); return SIDES[specifier]; };
  new Function('exports', 'require', source)(exports, requireSide);
  return { exports, loaded };
}

describe('lazy root index', () => {
  const lazy = lazify(COMPILED, (specifier: string) => Object.keys(SIDES[specifier]));

  test('GIVEN the compiled index WHEN rewritten and loaded THEN no side is loaded until a name is used', () => {
    const { exports, loaded } = load(lazy);
    expect(lazy).not.toContain('__exportStar');
    expect(loaded).toEqual([]);
    expect(Object.keys(exports).sort()).toEqual(['KubernetesNames', 'WorkloadIdentity', 'WorkloadServiceAccount', 'shared']);
  });

  test('GIVEN an AWS-side name WHEN used THEN only the AWS side loads, and the value is the side\'s own', () => {
    const { exports, loaded } = load(lazy);
    expect(exports.WorkloadIdentity).toBe(SIDES['./aws'].WorkloadIdentity);
    expect(exports.WorkloadIdentity).toBe(SIDES['./aws'].WorkloadIdentity); // the getter replaced itself
    expect(loaded).toEqual(['./aws']);
  });

  test('GIVEN a name two sides export WHEN rewritten THEN the first wins, as with export *', () => {
    expect(load(lazy).exports.shared).toBe('core');
  });

  test('GIVEN every name WHEN listed THEN Node\'s CommonJS scanner sees each (so `import { X }` works from ES modules)', () => {
    for (const name of ['KubernetesNames', 'WorkloadIdentity', 'WorkloadServiceAccount']) {
      expect(lazy).toContain(`exports.${name} = void 0;`);
    }
  });

  test('GIVEN an already lazy index WHEN rewritten again THEN it is unchanged', () => {
    expect(lazify(lazy, () => { throw new Error('no side should be read'); })).toBe(lazy);
  });

  test('GIVEN a real module file WHEN imported from an ES module THEN named imports resolve lazily', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-index-'));
    try {
      fs.writeFileSync(path.join(dir, 'aws.js'), 'exports.loadedAt = Date.now(); exports.WorkloadIdentity = "aws";');
      fs.writeFileSync(path.join(dir, 'k8s.js'), 'throw new Error("k8s must not load");');
      fs.writeFileSync(path.join(dir, 'index.js'), lazify(
        '"use strict";\n__exportStar(require("./aws"), exports);\n__exportStar(require("./k8s"), exports);',
        (s: string) => (s === './aws' ? ['loadedAt', 'WorkloadIdentity'] : ['WorkloadServiceAccount'])));
      const { execFileSync } = require('child_process');
      const out = execFileSync(process.execPath, ['--input-type=module', '-e',
        `import { WorkloadIdentity } from ${JSON.stringify(path.join(dir, 'index.js'))}; console.log(WorkloadIdentity);`], { encoding: 'utf-8' });
      expect(out.trim()).toBe('aws');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
