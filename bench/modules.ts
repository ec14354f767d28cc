// How long the library's own modules take to load, and what each kind of app
// pulls in through it. One fresh process per measurement, started by
// bench/run.ts on the compiled JavaScript (lazy root index included).
//
// Usage: node modules.js <aws-app|k8s-app|own> <figures.json>
//   aws-app: an app that has loaded constructs and aws-cdk-lib (the parts the
//     library uses), then uses `WorkloadIdentity` from the root entry point.
//   k8s-app: a cdk8s-only app (constructs and cdk8s loaded) that uses
//     `WorkloadServiceAccount` from the `/k8s` entry point.
//   own: every dependency loaded first, then both sides from the root: the
//     library's own modules.
// Each reports the time, the library files loaded and the other packages
// that loading pulled in (an AWS-only app should pull in no cdk8s).
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';

const [mode, figuresFile] = process.argv.slice(2);
// The build's lib/ links to the installed copy (bench/build.ts): modules are cached under its real path.
const LIB = fs.realpathSync(path.resolve(__dirname, '..', 'lib'));
const OWN_PACKAGE = 'cdk-eks-workload-identity';
const AWS = ['constructs', 'aws-cdk-lib', 'aws-cdk-lib/aws-iam', 'aws-cdk-lib/aws-eks', 'aws-cdk-lib/aws-eks-v2', 'aws-cdk-lib/region-info'];
const K8S = ['constructs', 'cdk8s'];
const MODES: { [mode: string]: { preload: string[]; entry: string; uses: string[] } } = {
  'aws-app': { preload: AWS, entry: LIB, uses: ['WorkloadIdentity'] },
  'k8s-app': { preload: K8S, entry: path.join(LIB, 'k8s'), uses: ['WorkloadServiceAccount'] },
  'own': { preload: [...AWS, ...K8S, 'cdk8s-plus-28'], entry: LIB, uses: ['WorkloadIdentity', 'WorkloadServiceAccount'] },
};
const probe = MODES[mode];
if (!probe) { throw new Error(`Usage: modules.js <${Object.keys(MODES).join('|')}> <figures.json>`); }

for (const dependency of probe.preload) { require(dependency); }
const before = new Set(Object.keys(require.cache));
const start = performance.now();
const entry = require(probe.entry);
for (const name of probe.uses) {
  if (typeof entry[name] !== 'function') { throw new Error(`${probe.entry} exports no ${name}.`); }
}
const ms = performance.now() - start;
const loaded = Object.keys(require.cache).filter(f => !before.has(f));
const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
fs.writeFileSync(figuresFile, JSON.stringify({
  mode,
  entry: path.relative(path.dirname(LIB), probe.entry),
  uses: probe.uses,
  ms,
  ownFiles: loaded.filter(f => f.startsWith(LIB + path.sep)).length,
  packages: [...new Set(loaded.map(packageOf).filter((p): p is string => p !== undefined && p !== OWN_PACKAGE))].sort(),
}));
