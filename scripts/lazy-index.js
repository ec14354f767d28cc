#!/usr/bin/env node
/**
 * Makes the root entry point lazy, as aws-cdk-lib does for its own index
 * (aws-cdk's tools/@aws-cdk/lazify): after jsii compiles lib/index.ts, each
 * `export * from './side'` becomes one getter per exported name that loads
 * the side on first use. An app that only uses the AWS side then never loads
 * cdk8s or cdk8s-plus, and a cdk8s-only app never loads aws-cdk-lib.
 *
 * jsii reads the TypeScript (lib/index.ts and the .d.ts keep `export *`), so
 * the assembly and the types are unchanged; only lib/index.js is rewritten.
 * Run by `npm run build` after jsii. Idempotent: a rewritten file has no
 * `__exportStar` left.
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

if (require.main === module) {
  const index = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib', 'index.js'));
  const source = fs.readFileSync(index, 'utf-8');
  // Loading each side here (at build time) is what tells its names.
  const lazy = lazify(source, specifier => Object.keys(require(path.resolve(path.dirname(index), specifier))));
  fs.writeFileSync(index, lazy);
  console.log(`${path.relative(process.cwd(), index)}: ${lazy === source ? 'already lazy' : 'each export loads its side on first use'}`);
}

module.exports = { lazify };
