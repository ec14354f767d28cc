#!/usr/bin/env node
/**
 * Makes the entry points lazy, as aws-cdk-lib does for its own indexes
 * (aws-cdk's tools/@aws-cdk/lazify): after jsii compiles lib/, each
 * `export * from './part'` of an index.js becomes one getter per exported
 * name that loads the part on first use. An app that only uses the AWS side
 * then never loads cdk8s or cdk8s-plus (nor the catalog unless it uses it),
 * and a cdk8s-only app never loads aws-cdk-lib.
 *
 * jsii reads the TypeScript (the .ts and .d.ts keep `export *`), so the
 * assembly and the types are unchanged; only index.js files are rewritten.
 * Run by `npm run build` after jsii. Idempotent: a rewritten file has no
 * `__exportStar(require(...))` left.
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
  return source.replace(EXPORT_STAR, (_, specifier) => namesOf(specifier)
    .filter(name => name !== 'default' && name !== '__esModule' && !emitted.has(name) && emitted.add(name))
    .map(name => getter(name, specifier))
    .join('\n'));
}

/**
 * `exports.X = void 0` lets Node's CommonJS export scanner (cjs-module-lexer)
 * list X for `import { X }` from ES modules; the getter then loads the side
 * and replaces itself with the value. The name is split in two so the
 * scanner does not take the getter for an export it cannot follow.
 */
function getter(name, specifier) {
  const key = `${JSON.stringify(name.slice(0, 1))} + ${JSON.stringify(name.slice(1))}`;
  return `exports.${name} = void 0;\n`
    + `Object.defineProperty(exports, ${key}, { enumerable: true, configurable: true, get: () => {\n`
    + `  const value = require(${JSON.stringify(specifier)}).${name};\n`
    + `  Object.defineProperty(exports, ${key}, { enumerable: true, configurable: true, value });\n`
    + '  return value;\n'
    + '} });';
}

/** Every compiled index.js under `dir` that re-exports with `export *`. */
function indexFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' })
    .filter(f => path.basename(f) === 'index.js')
    .map(f => path.join(dir, f))
    .filter(f => /^__exportStar\(require\(/m.test(fs.readFileSync(f, 'utf-8')));
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
