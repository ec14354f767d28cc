import { spawnSync } from 'child_process';
import * as path from 'path';

// The architecture rules live in .dependency-cruiser.js and run in CI as
// `npm run check:architecture`. Here: the library passes them, and each rule
// fails on a fixture that breaks it, so none can pass by not matching anything.

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixture');
const CONFIG = path.join(ROOT, '.dependency-cruiser.js');
const pkg = require(path.join(ROOT, 'node_modules', 'dependency-cruiser', 'package.json'));
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', pkg.bin.depcruise);

interface Violation { readonly rule: { readonly name: string }; readonly from: string; readonly to: string }

function depcruise(cwd: string, args: string[]) {
  return spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, ...args], {
    cwd, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024,
  });
}

function cruise(cwd: string, args: string[]): Violation[] {
  const run = depcruise(cwd, ['--output-type', 'json', ...args]);
  if (!run.stdout) { throw new Error(`depcruise printed nothing (exit ${run.status}): ${run.stderr}`); }
  return JSON.parse(run.stdout).summary.violations;
}

/** `rule: from -> to`, with node_modules paths cut to the package, so the result reads the same in any checkout. */
function describeViolation(v: Violation): string {
  const short = (p: string) => p.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, '$1');
  return `${v.rule.name}: ${short(v.from)} -> ${short(v.to)}`;
}

describe('architecture (dependency-cruiser)', () => {
  let fixtureViolations: Violation[] | undefined;
  const cruiseFixture = () => fixtureViolations ??= cruise(FIXTURE, ['lib', 'examples', 'test']);

  test('GIVEN the library, examples, scripts, tests and bench WHEN cruised THEN no rule is broken', () => {
    const violations = cruise(ROOT, ['lib', 'bin', 'examples', 'bench', 'scripts', 'test']);
    expect(violations.map(describeViolation)).toEqual([]);
  });

  test('GIVEN a fixture library that breaks every rule WHEN cruised THEN each break is reported', () => {
    // Exactly these: the fixture's allowed imports (a rule reading template-model.ts,
    // the model reading aws-cdk-lib, lib/index.ts re-exporting both sides, the proof
    // building with lib/index.ts, the resolver comparison reading its subject) are not reported.
    expect(cruiseFixture().map(describeViolation).sort()).toEqual([
      'aws-imports-no-k8s: lib/aws/role.ts -> lib/k8s/account.ts',
      'core-imports-no-wing: lib/core/shared.ts -> lib/aws/role.ts',
      'core-is-construct-free: lib/core/shared.ts -> constructs',
      'k8s-imports-no-aws: lib/k8s/account.ts -> lib/aws/role.ts',
      'k8s-never-reaches-aws-cdk-lib: lib/core/shared.ts -> aws-cdk-lib',
      'k8s-never-reaches-aws-cdk-lib: lib/k8s/account.ts -> aws-cdk-lib',
      'k8s-never-reaches-aws-cdk-lib: lib/k8s/direct.ts -> aws-cdk-lib',
      'lib-imports-no-examples-tests-or-bench: lib/uses-example.ts -> examples/app.ts',
      'lib-imports-only-declared-packages: lib/aws/uses-dev-dependency.ts -> kubernetes-models',
      'map-reads-outputs-not-constructs: lib/map/reads-constructs.ts -> constructs',
      'map-reads-outputs-not-constructs: lib/map/reads-constructs.ts -> lib/aws/role.ts',
      'no-circular: lib/aws/role.ts -> lib/k8s/account.ts',
      'not-to-unresolvable: lib/k8s/direct.ts -> ./does-not-exist',
      'rules-import-no-construct-code: lib/aws/guardrails/rules/bad-rule.ts -> aws-cdk-lib',
      'rules-import-no-construct-code: lib/aws/guardrails/rules/bad-rule.ts -> lib/aws/role.ts',
      'verify-imports-only-the-public-api: test/examples/judge.ts -> lib/aws/role.ts',
      'verify-imports-only-the-public-api: test/verify/judge.ts -> lib/aws/role.ts',
    ]);
  });

  test('GIVEN the fixture WHEN checked as CI checks (text output) THEN the command fails and names the rule', () => {
    const run = depcruise(FIXTURE, ['--output-type', 'err', 'lib', 'examples', 'test']);
    expect(run.status).toBe(17); // depcruise exits with the number of errors
    expect(run.stdout).toContain('error core-is-construct-free: lib/core/shared.ts');
  });

  test('GIVEN the rules in .dependency-cruiser.js WHEN the fixture is cruised THEN every rule fails at least once', () => {
    const names = require(CONFIG).forbidden.map((r: { name: string }) => r.name).sort();
    const broken = new Set(cruiseFixture().map(v => v.rule.name));
    expect(names.filter((n: string) => !broken.has(n))).toEqual([]);
  });
});
