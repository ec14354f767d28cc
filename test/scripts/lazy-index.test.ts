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

describe('lazy part indexes (named re-exports)', () => {
  // What tsc emits (ES2020) for `export { KubernetesNames } from './kubernetes-names'; export { Cluster as WorkloadCluster } from './cluster';`
  // beside a binding the index uses itself.
  const COMPILED_PART = [
    '"use strict";',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'exports.ALL = exports.WorkloadCluster = exports.KubernetesNames = void 0;',
    'var kubernetes_names_1 = require("./kubernetes-names");',
    'Object.defineProperty(exports, "KubernetesNames", { enumerable: true, get: function () { return kubernetes_names_1.KubernetesNames; } });',
    'var cluster_1 = require("./cluster");',
    'Object.defineProperty(exports, "WorkloadCluster", { enumerable: true, get: function () { return cluster_1.Cluster; } });',
    'var rules_1 = require("./rules");',
    'Object.defineProperty(exports, "Rule", { enumerable: true, get: function () { return rules_1.Rule; } });',
    'exports.ALL = [rules_1.Rule];',
  ].join('\n');
  const PARTS: Record<string, Record<string, unknown>> = {
    './kubernetes-names': { KubernetesNames: { names: true } },
    './cluster': { Cluster: class Cluster {} },
    './rules': { Rule: { rule: true } },
  };
  function loadPart(source: string) {
    const loaded: string[] = [];
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', source)(exports, (specifier: string) => { loaded.push(specifier); return PARTS[specifier]; });
    return { exports, loaded };
  }
  const lazy = lazify(COMPILED_PART, () => { throw new Error('named re-exports need no names from the parts'); });

  test('GIVEN a part index of named re-exports WHEN rewritten and loaded THEN only the binding the index itself uses is loaded', () => {
    const { exports, loaded } = loadPart(lazy);
    expect(loaded).toEqual(['./rules']);
    expect(Object.keys(exports).sort()).toEqual(['ALL', 'KubernetesNames', 'Rule', 'WorkloadCluster']);
  });

  test('GIVEN a named re-export WHEN used THEN its part loads then, and the value is the part\'s own (renamed exports too)', () => {
    const { exports, loaded } = loadPart(lazy);
    expect(exports.KubernetesNames).toBe(PARTS['./kubernetes-names'].KubernetesNames);
    expect(exports.WorkloadCluster).toBe(PARTS['./cluster'].Cluster);
    expect(exports.WorkloadCluster).toBe(PARTS['./cluster'].Cluster);
    expect(exports.Rule).toBe(PARTS['./rules'].Rule);
    expect(loaded).toEqual(['./rules', './kubernetes-names', './cluster']);
  });

  test('GIVEN the rewritten part index WHEN rewritten again THEN it is unchanged', () => {
    expect(lazify(lazy, () => { throw new Error('no part should be read'); })).toBe(lazy);
  });
});
