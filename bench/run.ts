// `npm run bench`: whole `cdk synth`-like processes, as users run them, for
// each approach in interleaved turns; writes bench/RESULTS.md.
// `npm run bench -- --quick`: N=10, one run each, no validation, in about a
// minute; writes .bench/RESULTS-quick.md (a smoke test, not a measurement).
//
// Knobs (environment): BENCH_N=10,100,1000,10000  BENCH_REPS=3 (runs per
// configuration; one at N >= 10,000)  BENCH_SCENARIOS=l1,library,...
// BENCH_MECHANISMS=pod-identity,irsa  BENCH_VALIDATION=off,on  BENCH_FLEET=1000,10000
import { spawnSync } from 'child_process';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildForBench, ROOT } from './build';
import { layoutProblems, readLayout } from './layout';
import { measureOutput } from './measure';
import { Conditions, FleetRun, Measurement, ModuleProbe, renderResults, Row } from './report';
import { FLOOR, loadScenario, SCENARIO_NAMES } from './scenarios';
import type { Mechanism } from './scenarios/scenario';

const quick = process.argv.includes('--quick');
const list = (name: string, fallback: string[]) => process.env[name]?.split(',').map(s => s.trim()).filter(Boolean) ?? fallback;
const SIZES = list('BENCH_N', quick ? ['10'] : ['10', '100', '1000', '10000']).map(Number);
const MECHANISMS = list('BENCH_MECHANISMS', ['pod-identity', 'irsa']) as Mechanism[];
const VALIDATION = list('BENCH_VALIDATION', quick ? ['off'] : ['off', 'on']).map(v => v === 'on');
const DEFAULT_SCENARIOS = ['library', 'eks-v2', 'library-token-issuer'];
// The floor always runs: every ratio is to it.
const APPROACHES = [FLOOR, ...list('BENCH_SCENARIOS', DEFAULT_SCENARIOS).filter(a => a !== FLOOR)];
/** The largest N each approach runs at: eks-v2 and the token issuer are references, not the subject. */
const MAX_N: { [approach: string]: number } = { 'eks-v2': 1000, 'library-token-issuer': 1000, 'l2-reference': 1000 };
const REPS = Number(process.env.BENCH_REPS ?? (quick ? 1 : 3));
const LARGE = 10000;
const FLEET = list('BENCH_FLEET', quick ? ['30'] : ['1000', '10000']).map(Number);
const RESULTS = quick ? path.join(ROOT, '.bench', 'RESULTS-quick.md') : path.join(__dirname, 'RESULTS.md');

/**
 * The context `cdk synth` gives an app (aws-cdk's contextFromSettings with the
 * default settings: path and asset metadata, version reporting, bundling),
 * plus the repository's cdk.json context (feature flags), as a user's app
 * gets them: the measured apps synthesize what `cdk synth` would.
 */
const CLI_CONTEXT = {
  ...JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context,
  [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true,
  [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
  [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: true,
  [cxapi.BUNDLING_STACKS]: ['**'],
  [cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false,
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-wi-bench-'));
const started = Date.now();
const conditions: Conditions = { loadAtStart: os.loadavg(), loadSamples: [], seconds: 0, quick };

/** Runs `script` in a fresh `node`, as `cdk synth` runs an app, and returns its figures and wall time. */
function runNode(script: string, args: string[], validation: boolean): { figures: any; wallMs: number } {
  const figuresFile = path.join(tmp, 'figures.json');
  fs.rmSync(figuresFile, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(CLI_CONTEXT) };
  delete env.CDK_VALIDATION;
  if (!validation) { env.CDK_VALIDATION = 'false'; }
  const t0 = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [script, ...args, figuresFile], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  conditions.loadSamples.push(os.loadavg()[0]);
  if (result.status !== 0 || !fs.existsSync(figuresFile)) {
    throw new Error(`${path.basename(script)} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
  if (result.stdout.trim() || result.stderr.trim()) {
    // A user's `cdk synth` would show this too: keep it visible.
    process.stderr.write(`  output of ${args.slice(0, 3).join(' ')}:\n${result.stdout}${result.stderr}`);
  }
  return { figures: JSON.parse(fs.readFileSync(figuresFile, 'utf8')), wallMs };
}

function measure(build: string, approach: string, mechanism: Mechanism, n: number, validation: boolean): Measurement {
  const outdir = path.join(tmp, 'out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const { figures, wallMs } = runNode(path.join(build, 'bench', 'app.js'), [approach, mechanism, String(n), outdir], validation);
  const output = measureOutput(path.join(outdir, 'cdk.out'), path.join(outdir, 'k8s'));
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ...figures, ...output, wallMs };
}

function probeModules(build: string): ModuleProbe[] {
  const probes: ModuleProbe[] = [];
  for (const entry of ['lib', 'lib/aws']) {
    for (const mode of ['aws-only', 'own']) {
      const runs = Array.from({ length: quick ? 1 : 5 }, () => runNode(path.join(build, 'bench', 'modules.js'), [mode, entry], false).figures);
      probes.push({ mode, entry, runs });
    }
  }
  return probes;
}

function fleet(build: string, n: number): FleetRun {
  const outdir = path.join(tmp, 'fleet');
  fs.rmSync(outdir, { recursive: true, force: true });
  // With aws-cdk-lib's default validation, as a user's `cdk synth` runs (not in the smoke test).
  const { figures, wallMs } = runNode(path.join(build, 'bench', 'fleet-app.js'), [String(n), outdir], !quick);
  const layout = readLayout(path.join(outdir, 'cdk.out'));
  fs.rmSync(outdir, { recursive: true, force: true });
  const problems = layoutProblems(layout);
  if (problems.length > 0) { throw new Error(`The fleet of ${n} workloads is not deployable as laid out: ${problems.join('; ')}.`); }
  return { n, wallMs, maxRssKb: figures.maxRssKb, layout, validation: !quick };
}

function main(): void {
  process.stderr.write('Compiling lib/ and bench/ with swc...\n');
  const build = buildForBench();
  const rows = new Map<string, Row>();
  const write = (modules: ModuleProbe[], fleets: FleetRun[]) => {
    conditions.seconds = (Date.now() - started) / 1000;
    conditions.loadAtEnd = os.loadavg();
    const markdown = renderResults([...rows.values()], FLOOR, modules, fleets, conditions);
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, markdown);
    return markdown;
  };

  process.stderr.write('Module loading...\n');
  const modules = probeModules(build);
  // Repetition outermost and approaches innermost, so that load from the shared
  // machine falls on the approaches of one configuration alike.
  for (let rep = 0; rep < REPS; rep++) {
    for (const n of SIZES) {
      if (n >= LARGE && rep > 0) { continue; }
      for (const mechanism of MECHANISMS) {
        for (const validation of VALIDATION) {
          for (const approach of APPROACHES) {
            if (n > (MAX_N[approach] ?? Infinity) || !loadScenario(approach).mechanisms.includes(mechanism)) { continue; }
            const m = measure(build, approach, mechanism, n, validation);
            const key = `${n}|${mechanism}|${validation}|${approach}`;
            const row = rows.get(key) ?? { n, mechanism, validation, approach, runs: [] };
            row.runs.push(m);
            rows.set(key, row);
            process.stderr.write(`  ${approach.padEnd(21)} ${mechanism.padEnd(12)} N=${String(n).padEnd(5)} validation ${validation ? 'on ' : 'off'} ` +
              `rep ${rep + 1}: ${(m.wallMs / 1000).toFixed(2).padStart(6)} s, ${(m.maxRssKb / 1024).toFixed(0)} MB\n`);
          }
        }
        write(modules, []); // partial results survive an interrupted run
      }
    }
  }
  const fleets: FleetRun[] = [];
  for (const n of FLEET) {
    process.stderr.write(`Fleet of ${n} workloads on three clusters...\n`);
    fleets.push(fleet(build, n));
  }
  process.stdout.write(write(modules, fleets));
}

try {
  if (!SCENARIO_NAMES.includes(FLOOR)) { throw new Error(`No floor scenario '${FLOOR}'.`); }
  main();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
