#!/usr/bin/env node
/**
 * Makes the entry points lazy, as aws-cdk-lib does for its own indexes
 * (aws-cdk's tools/@aws-cdk/lazify): after jsii compiles lib/, each
 * `export * from './part'` of an index.js becomes one getter per exported
 * name that loads the part on first use. An app that only uses the AWS side
 * then never loads cdk8s or cdk8s-plus (nor the catalog unless it uses it),
 * and a cdk8s-only app never loads aws-cdk-lib.
 *
 * The part indexes' named re-exports (`export { WorkloadCluster } from
 * './cluster/workload-cluster'`) likewise: tsc requires every part when the
 * index loads, so an app using WorkloadIdentity would load the issuer kit,
 * Helm releases, outputs and charts it never uses (and their aws-cdk-lib
 * modules); each name now loads its part on first use.
 *
 * jsii reads the TypeScript (the .ts and .d.ts keep their exports), so the
 * assembly and the types are unchanged; only index.js files are rewritten.
 * Run by `npm run build` after jsii. Idempotent: a rewritten file has no
 * `__exportStar(require(...))` left, nor a part required only to re-export it.
 */
const fs = require('fs');
const path = require('path');

const EXPORT_STAR = /^__exportStar\(require\("(\.\/[^"]+)"\), exports\);$/gm;

/**
 * The lazy form of a tsc-compiled index.
 * @param {string} source the compiled index.js
 * @param {(specifier: string) => string[]} namesOf the names a relative module exports
 */
function lazify(source, namesOf) {
  const emitted = new Set();
  const starsLazy = source.replace(EXPORT_STAR, (_, specifier) => namesOf(specifier)
    .filter(name => name !== 'default' && name !== '__esModule' && !emitted.has(name) && emitted.add(name))
    .map(name => getter(name, specifier))
    .join('\n'));
  return lazifyNamed(starsLazy);
}

/** `var x_1 = require("./part");`: tsc's binding for `export { X } from './part'`. */
const REQUIRE_BINDING = /^var (\w+) = require\("(\.\.?\/[^"]+)"\);$/gm;
/** tsc's re-export of one name through that binding (ES2020 target). */
const NAMED_EXPORT = /^Object\.defineProperty\(exports, "([\w$]+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.([\w$]+); \} \}\);$/gm;

/**
 * `export { X } from './part'` compiles to a `require` at load and an eager
 * getter; this makes each name load its part on first use instead. A binding
 * used anywhere else than in such getters is left as it is.
 */
function lazifyNamed(source) {
  const bindings = new Map();
  for (const [, binding, specifier] of source.matchAll(REQUIRE_BINDING)) { bindings.set(binding, specifier); }
  const named = [...source.matchAll(NAMED_EXPORT)];
  for (const binding of [...bindings.keys()]) {
    const uses = (source.match(new RegExp(`\\b${binding}\\b`, 'g')) ?? []).length;
    const asGetter = named.filter(([, , b]) => b === binding).length;
    if (uses !== 1 + asGetter) { bindings.delete(binding); }
  }
  return source
    .replace(REQUIRE_BINDING, (line, binding) => (bindings.has(binding) ? '' : line))
    .replace(NAMED_EXPORT, (line, name, binding, member) =>
      (bindings.has(binding) ? getter(name, bindings.get(binding), member) : line));
}

/**
 * `exports.X = void 0` lets Node's CommonJS export scanner (cjs-module-lexer)
 * list X for `import { X }` from ES modules; the getter then loads the side
 * and replaces itself with the value. The name is split in two so the
 * scanner does not take the getter for an export it cannot follow.
 */
function getter(name, specifier, member = name) {
  const key = `${JSON.stringify(name.slice(0, 1))} + ${JSON.stringify(name.slice(1))}`;
  return `exports.${name} = void 0;\n`
    + `Object.defineProperty(exports, ${key}, { enumerable: true, configurable: true, get: () => {\n`
    + `  const value = require(${JSON.stringify(specifier)}).${member};\n`
    + `  Object.defineProperty(exports, ${key}, { enumerable: true, configurable: true, value });\n`
    + '  return value;\n'
    + '} });';
}

/** Every compiled index.js under `dir` that re-exports with `export *`. */
function indexFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' })
    .filter(f => path.basename(f) === 'index.js')
    .map(f => path.join(dir, f))
    .filter(f => /^(__exportStar\(require\(|var \w+ = require\("\.)/m.test(fs.readFileSync(f, 'utf-8')));
}

if (require.main === module) {
  const lib = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib'));
  for (const index of indexFiles(lib)) {
    const source = fs.readFileSync(index, 'utf-8');
    // Loading each part here (at build time) is what tells its names.
    const lazy = lazify(source, specifier => Object.keys(require(path.resolve(path.dirname(index), specifier))));
    fs.writeFileSync(index, lazy);
    console.log(`${path.relative(process.cwd(), index)}: each export loads its module on first use`);
  }
}

module.exports = { lazify };
