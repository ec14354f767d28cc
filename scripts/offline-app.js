#!/usr/bin/env node
/**
 * Prepares a new app folder that `npm install --offline` can install from the
 * npm cache `npm ci` filled:
 *
 *   node scripts/offline-app.js <dir> <library.tgz> [dep|dev]:<name> ...
 *
 * writes <dir>/package.json (the library from its tarball, every other package
 * at the version this repository's lock file pins) and <dir>/package-lock.json
 * (this repository's, rooted at the new app, with the library's entry added).
 * The cache holds the tarballs but not the registry's package lists (npm ci
 * reads neither), so npm must not need to look a version up: the lock tells
 * it every version, and npm prunes what the app does not use.
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const LIBRARY = require(path.join(ROOT, 'package.json'));

function main([dir, tarball, ...wanted]) {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf-8'));
  const library = `file:${path.resolve(tarball)}`;
  const pkg = { name: path.basename(dir), version: '0.0.0', private: true, dependencies: { [LIBRARY.name]: library }, devDependencies: {} };
  for (const entry of wanted) {
    const [kind, name] = entry.split(':');
    if (name === LIBRARY.name) { continue; }
    const locked = lock.packages[`node_modules/${name}`];
    if (!locked) { throw new Error(`${name} is not in this repository's package-lock.json, so it is not in the npm cache: add it as a devDependency`); }
    pkg[kind === 'dev' ? 'devDependencies' : 'dependencies'][name] = locked.version;
  }
  // The lock omits `resolved` (npm's omit-lockfile-registry-resolved): without it npm asks for each
  // package's metadata, which the cache may not hold; with the registry's tarball URL it needs none.
  for (const [where, entry] of Object.entries(lock.packages)) {
    const name = entry.name ?? where.replace(/^.*node_modules\//, '');
    if (where && !entry.resolved && !entry.link && entry.version && !entry.version.includes(':')) {
      entry.resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    }
  }
  lock.name = pkg.name;
  lock.version = pkg.version;
  lock.packages[''] = { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, devDependencies: pkg.devDependencies };
  lock.packages[`node_modules/${LIBRARY.name}`] = {
    version: LIBRARY.version,
    resolved: library,
    license: LIBRARY.license,
    // npm links a package's commands from its lock entry: without `bin` there, `npx cdk-eks-workload-identity` finds nothing.
    bin: LIBRARY.bin,
    dependencies: LIBRARY.dependencies,
    bundleDependencies: LIBRARY.bundledDependencies,
    peerDependencies: LIBRARY.peerDependencies,
    peerDependenciesMeta: LIBRARY.peerDependenciesMeta,
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');
}

main(process.argv.slice(2));
