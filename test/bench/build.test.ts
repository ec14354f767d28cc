import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUILD_DIR, buildForBench } from '../../bench/build';

// The bench measures the library as a user's app runs it: compiled, and
// installed under node_modules. Where the package sits decides what
// aws-cdk-lib records of it in every resource's creation stack trace.
const PACKAGE = 'cdk-eks-workload-identity';

let build: string;
beforeAll(() => { build = buildForBench(); }, 60_000);
afterAll(() => fs.rmSync(BUILD_DIR, { recursive: true, force: true }));

/** Runs `script` with Node in the build directory (as the bench runs its processes there) and returns what it printed, parsed. */
function runInBuild(script: string, ...args: string[]): any {
  const result = spawnSync(process.execPath, ['-e', script, ...args], { cwd: build, encoding: 'utf8' });
  if (result.status !== 0) { throw new Error(result.stderr); }
  return JSON.parse(result.stdout);
}

test('a resource the library creates records the library as an installed package: one line, none of its files', () => {
  // GIVEN an app of the bench that declares one workload through the build's lib/
  const script = `
    const cdk = require('aws-cdk-lib');
    const { WorkloadCluster, WorkloadIdentity } = require('./lib');
    const stack = new cdk.Stack(new cdk.App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'prod' });
    new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api' });
    const role = stack.node.findAll().find(c => c.cfnResourceType === 'AWS::IAM::Role');
    console.log(JSON.stringify(role.node.metadata.find(m => m.type === 'aws:cdk:creationStack').data));`;

  // WHEN
  const trace: string[] = runInBuild(script);

  // THEN
  // aws-cdk-lib folds consecutive frames of installed packages into one line: '...aws-cdk-lib, new WorkloadIdentity in <package>...'.
  expect(trace.filter(line => line.endsWith(`new WorkloadIdentity in ${PACKAGE}...`))).toHaveLength(1);
  expect(trace.filter(line => line.includes(`node_modules/${PACKAGE}/`))).toEqual([]);
});

test('the module probe counts the library\'s own files, not the library among the packages it pulls in', () => {
  // GIVEN
  const figures = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-modules-')), 'figures.json');

  // WHEN
  const result = spawnSync(process.execPath, [path.join(build, 'bench', 'modules.js'), 'aws-app', figures], { cwd: build, encoding: 'utf8' });

  // THEN
  expect(result.stderr).toBe('');
  const probe = JSON.parse(fs.readFileSync(figures, 'utf8'));
  fs.rmSync(path.dirname(figures), { recursive: true, force: true });
  expect(probe.ownFiles).toBeGreaterThan(10);
  expect(probe.packages).toEqual(['aws-cdk-lib']);
});
