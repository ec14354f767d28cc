#!/usr/bin/env node
/**
 * Measures how constructing one identity moves through the library's modules
 * (issue 20): a call-recording hook over the built lib/**\/*.js (run
 * `npm run build` first) wraps every exported function, class constructor,
 * static and prototype method and getter of the library, records the module of
 * each call entered while `new WorkloadIdentity(...)` runs, and counts
 *
 * - switches: consecutive calls in different modules;
 * - revisits: switches into a module already entered before;
 * - files: the distinct modules entered.
 *
 * The identity: IRSA and Pod Identity (BOTH) on an existing cluster whose OIDC
 * provider (and agent add-on) the app owns. Prints one JSON line; with
 * `--trace`, the sequence of modules too. docs/architecture.md quotes the result.
 */
const Module = require('module');
const path = require('path');

const LIB = path.resolve(__dirname, '..', 'lib') + path.sep;
const trace = [];
let recording = false;

function record(file) {
  if (recording) { trace.push(path.relative(LIB, file).replace(/\.js$/, '')); }
}

function wrapFunction(fn, file) {
  return function (...args) {
    record(file);
    return fn.apply(this, args);
  };
}

function wrapMembers(target, file) {
  for (const key of Object.getOwnPropertyNames(target)) {
    if (key === 'constructor' || key === 'prototype' || key === 'length' || key === 'name') { continue; }
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (!d || !d.configurable) { continue; }
    if (typeof d.value === 'function') {
      Object.defineProperty(target, key, { ...d, value: wrapFunction(d.value, file) });
    } else if (d.get) {
      Object.defineProperty(target, key, { ...d, get: wrapFunction(d.get, file) });
    }
  }
}

const wrapped = new WeakSet();
function wrapExports(exports, file) {
  if (exports === null || typeof exports !== 'object' || wrapped.has(exports)) { return; }
  wrapped.add(exports);
  for (const key of Object.keys(exports)) {
    const d = Object.getOwnPropertyDescriptor(exports, key);
    // Re-exports (getters) are wrapped in the module that defines them.
    if (!d || !('value' in d) || typeof d.value !== 'function' || !d.writable) { continue; }
    const value = d.value;
    if (/^class\s/.test(Function.prototype.toString.call(value))) {
      wrapMembers(value.prototype, file);
      wrapMembers(value, file);
      exports[key] = new Proxy(value, {
        construct(target, args, newTarget) {
          record(file);
          return Reflect.construct(target, args, newTarget);
        },
      });
    } else {
      exports[key] = wrapFunction(value, file);
    }
  }
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exports = load.apply(this, arguments);
  const file = Module._resolveFilename(request, parent, isMain);
  if (file.startsWith(LIB) && file.endsWith('.js') && !file.endsWith(`${path.sep}index.js`)) { wrapExports(exports, file); }
  return exports;
};

const { App, Stack } = require('aws-cdk-lib');
const { IdentityMechanism, WorkloadCluster, WorkloadIdentity } = require(path.join(LIB, 'index.js'));

const app = new App();
const stack = new Stack(app, 'Platform', { env: { account: '123456789012', region: 'eu-west-1' } });
const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', {
  clusterName: 'campus',
  clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/campus',
  oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
  createOpenIdConnectProvider: true,
  installPodIdentityAgent: true,
});

recording = true;
new WorkloadIdentity(stack, 'Uploader', { cluster, namespace: 'uploads', serviceAccountName: 'uploader', mechanism: IdentityMechanism.BOTH });
recording = false;

let switches = 0;
let revisits = 0;
const seen = new Set();
trace.forEach((module, i) => {
  if (i > 0 && module !== trace[i - 1]) {
    switches++;
    if (seen.has(module)) { revisits++; }
  }
  seen.add(module);
});
const result = { calls: trace.length, switches, revisits, files: seen.size };
if (process.argv.includes('--trace')) { result.trace = trace.filter((m, i) => i === 0 || m !== trace[i - 1]); }
console.log(JSON.stringify(result, null, process.argv.includes('--trace') ? 2 : undefined));
