// How long the library's own modules take to load, and what an app that
// uses only the AWS side pulls in. One fresh process per measurement, started
// by bench/run.ts on the compiled JavaScript.
//
// Usage: node modules.js <aws-only|own> <entry: lib or lib/aws> <figures.json>
//   aws-only: an AWS-only app has loaded aws-cdk-lib (the parts the library
//     uses) and constructs; then it loads the library's root entry point.
//     Reports the time and whether cdk8s or cdk8s-plus-28 got loaded.
//   own: every dependency is loaded first, so the time is the library's own modules.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';

const [mode, entry, figuresFile] = process.argv.slice(2);
const AWS_DEPENDENCIES = ['constructs', 'aws-cdk-lib', 'aws-cdk-lib/aws-iam', 'aws-cdk-lib/aws-eks', 'aws-cdk-lib/aws-eks-v2', 'aws-cdk-lib/region-info'];
const K8S_DEPENDENCIES = ['cdk8s', 'cdk8s-plus-28'];
const LIB = path.resolve(__dirname, '..', 'lib');
const ENTRY = path.resolve(__dirname, '..', entry);

for (const dependency of mode === 'own' ? [...AWS_DEPENDENCIES, ...K8S_DEPENDENCIES] : AWS_DEPENDENCIES) {
  require(dependency);
}
const before = new Set(Object.keys(require.cache));
const start = performance.now();
require(ENTRY);
const ms = performance.now() - start;
const loaded = Object.keys(require.cache).filter(f => !before.has(f));
const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
fs.writeFileSync(figuresFile, JSON.stringify({
  mode,
  entry,
  ms,
  ownFiles: loaded.filter(f => f.startsWith(LIB + path.sep)).length,
  // Packages other than the library that loading it pulled in.
  packages: [...new Set(loaded.map(packageOf).filter((p): p is string => p !== undefined))].sort(),
}));
