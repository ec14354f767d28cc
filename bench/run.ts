// `npm run bench`: whole `cdk synth`-like processes, as users run them, for
// each approach in interleaved turns; writes bench/RESULTS.md.
// `npm run bench -- --quick`: N=10, one run each, no validation, in about a
// minute; writes .bench/RESULTS-quick.md (a smoke test, not a measurement).
//
// Knobs (environment): BENCH_N=10,100,1000,10000  BENCH_REPS=3 (runs per
// configuration; one at N >= 10,000)  BENCH_SCENARIOS=l1,library,...
// BENCH_MECHANISMS=pod-identity,irsa  BENCH_VALIDATION=off,on  BENCH_FLEET=1000,10000
// (empty: none)  BENCH_MODULES=skip  BENCH_K8S_CHARTS=1,30 (the Kubernetes
// guardrails' scaling case: BENCH_K8S_N ServiceAccounts, default 3000, in one
// cdk8s app over that many charts; empty: none)
// BENCH_K8S_APPROACHES=library,kplus,kplus-same-output (the same
// ServiceAccounts through the library, and written by hand with cdk8s-plus).
// `--resume` adds this session's runs to those of the previous sessions
// (.bench/state.json) instead of starting over, so a long run can be split
// (say, N=10,000 first, the rest later); RESULTS.md lists every session.
import { spawnSync } from 'child_process';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUILD_DIR, buildForBench, ROOT } from './build';
import { layoutProblems, readLayout } from './layout';
import { measureOutput } from './measure';
import { ChartsRun, FleetRun, Measurement, ModuleProbe, renderResults, Session, State } from './report';
import { FLOOR, loadScenario, SCENARIO_NAMES } from './scenarios';
import type { Mechanism } from './scenarios/scenario';

const quick = process.argv.includes('--quick');
const list = (name: string, fallback: string[]) => process.env[name]?.split(',').map(s => s.trim()).filter(Boolean) ?? fallback;
const SIZES = list('BENCH_N', quick ? ['10'] : ['10', '100', '1000', '10000']).map(Number);
const MECHANISMS = list('BENCH_MECHANISMS', ['pod-identity', 'irsa']) as Mechanism[];
const VALIDATION = list('BENCH_VALIDATION', quick ? ['off'] : ['off', 'on']).map(v => v === 'on');
const DEFAULT_SCENARIOS = ['library', 'eks-v2', 'library-token-issuer', 'l2-reference', 'l2-same-output'];
// The floor always runs: every ratio is to it.
const APPROACHES = [FLOOR, ...list('BENCH_SCENARIOS', DEFAULT_SCENARIOS).filter(a => a !== FLOOR)];
/** The largest N each approach runs at: eks-v2 and the token issuer are references, not the subject. */
const MAX_N: { [approach: string]: number } = { 'eks-v2': 1000, 'library-token-issuer': 1000 };
const REPS = Number(process.env.BENCH_REPS ?? (quick ? 1 : 3));
const LARGE = 10000;
const FLEET = (process.env.BENCH_FLEET === '' ? [] : list('BENCH_FLEET', quick ? ['30'] : ['1000', '10000'])).map(Number);
const K8S_CHARTS = (process.env.BENCH_K8S_CHARTS === '' ? [] : list('BENCH_K8S_CHARTS', ['1', '30'])).map(Number);
const K8S_N = Number(process.env.BENCH_K8S_N ?? (quick ? 300 : 3000));
const K8S_APPROACHES = list('BENCH_K8S_APPROACHES', ['library', 'kplus', 'kplus-same-output']);
const RESULTS = quick ? path.join(ROOT, '.bench', 'RESULTS-quick.md') : path.join(__dirname, 'RESULTS.md');
const STATE = path.join(ROOT, '.bench', quick ? 'state-quick.json' : 'state.json');
const resume = process.argv.includes('--resume');

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
const session: Session = { commit: gitCommit(), start: new Date().toISOString(), end: '', loadAtStart: os.loadavg()[0], loadAtEnd: 0, loadSamples: [] };

function gitCommit(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  // The bench's own results are not what it measures: a --resume session after an uncommitted one is still on HEAD.
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'lib', 'bench', ':!bench/RESULTS.md', ':!bench/RESULTS-latest.md'],
    { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return `${head}${dirty ? '+' : ''}`;
}

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
  session.loadSamples.push(os.loadavg()[0]);
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
  for (const mode of ['aws-app', 'k8s-app', 'own']) {
    const runs = Array.from({ length: quick ? 1 : 5 }, () => runNode(path.join(build, 'bench', 'modules.js'), [mode], false).figures);
    probes.push({ mode, entry: runs[0].entry, uses: runs[0].uses, runs });
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

function k8sCharts(build: string, approach: string, charts: number): ChartsRun {
  const outdir = path.join(tmp, 'k8s-charts');
  fs.rmSync(outdir, { recursive: true, force: true });
  const { figures, wallMs } = runNode(path.join(build, 'bench', 'k8s-charts-app.js'), [approach, String(K8S_N), String(charts), outdir], false);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { approach, n: K8S_N, charts, wallMs, cpuMs: figures.cpuMs, maxRssKb: figures.maxRssKb };
}

function main(): void {
  const state: State = resume && fs.existsSync(STATE)
    ? JSON.parse(fs.readFileSync(STATE, 'utf8'))
    : { rows: [], modules: [], fleets: [], charts: [], sessions: [], quick };
  state.charts ??= [];
  state.sessions.push(session);
  const write = () => {
    session.end = new Date().toISOString();
    session.loadAtEnd = os.loadavg()[0];
    fs.mkdirSync(path.dirname(STATE), { recursive: true });
    fs.writeFileSync(STATE, JSON.stringify(state));
    const markdown = renderResults(state, FLOOR);
    fs.writeFileSync(RESULTS, markdown);
    return markdown;
  };

  process.stderr.write('Compiling lib/ and bench/...\n');
  const build = buildForBench();
  if (process.env.BENCH_MODULES !== 'skip') {
    process.stderr.write('Module loading...\n');
    state.modules = probeModules(build);
  }
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
            let row = state.rows.find(r => r.n === n && r.mechanism === mechanism && r.validation === validation && r.approach === approach);
            if (!row) {
              row = { n, mechanism, validation, approach, runs: [] };
              state.rows.push(row);
            }
            row.runs.push(m);
            process.stderr.write(`  ${approach.padEnd(21)} ${mechanism.padEnd(12)} N=${String(n).padEnd(5)} validation ${validation ? 'on ' : 'off'} ` +
              `rep ${rep + 1}: ${(m.wallMs / 1000).toFixed(2).padStart(6)} s, ${(m.maxRssKb / 1024).toFixed(0)} MB\n`);
          }
        }
        write(); // partial results survive an interrupted run
      }
    }
  }
  // The same ServiceAccounts in 1 chart and in 30, through the library and by hand, interleaved: cdk8s validates the app once per chart.
  for (let rep = 0; rep < REPS && K8S_CHARTS.length > 0; rep++) {
    for (const charts of K8S_CHARTS) {
      for (const approach of K8S_APPROACHES) {
        const run = k8sCharts(build, approach, charts);
        state.charts.push(run);
        process.stderr.write(`  k8s charts: ${approach.padEnd(17)} ${run.n} ServiceAccounts in ${charts} chart(s) rep ${rep + 1}: ${(run.cpuMs / 1000).toFixed(2)} s CPU\n`);
      }
    }
    write();
  }
  for (const n of FLEET) {
    process.stderr.write(`Fleet of ${n} workloads on three clusters...\n`);
    state.fleets = [...state.fleets.filter(f => f.n !== n), fleet(build, n)].sort((a, b) => a.n - b.n);
    write();
  }
  process.stdout.write(write());
}

try {
  if (!SCENARIO_NAMES.includes(FLOOR)) { throw new Error(`No floor scenario '${FLOOR}'.`); }
  main();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
}
