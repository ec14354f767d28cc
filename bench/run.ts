// `npm run bench`: synthesizes N workloads with each approach, one fresh
// process per measurement, and writes the comparison to bench/RESULTS.md.
//
// Knobs (environment): BENCH_N=10,100,200  BENCH_REPS=5 (runs per configuration)
// BENCH_SCENARIOS=l1-floor,library,...  BENCH_MECHANISMS=pod-identity,irsa
// BENCH_CONTEXT='{"key": value}' (extra CDK context, for experiments).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Measurement, renderResults, Row } from './report';
import { FLOOR, SCENARIO_NAMES } from './scenarios';
import { Mechanism } from './scenarios/scenario';

const list = (name: string, fallback: string[]) => process.env[name]?.split(',').map(s => s.trim()).filter(Boolean) ?? fallback;
const SIZES = list('BENCH_N', ['10', '100', '200']).map(Number);
const MECHANISMS = list('BENCH_MECHANISMS', ['pod-identity', 'irsa']) as Mechanism[];
// The floor always runs: every ratio is to it.
const APPROACHES = [FLOOR, ...list('BENCH_SCENARIOS', SCENARIO_NAMES).filter(a => a !== FLOOR)];
// Five runs of every size: with three, one slow run on this shared 2-core
// machine moved a median by 20%; the whole run takes about two and a half minutes.
const REPS = Number(process.env.BENCH_REPS ?? 5);

const ROOT = path.resolve(__dirname, '..');
const CHILD = path.join(__dirname, 'child.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-wi-bench-'));
const started = Date.now();

function measure(approach: string, mechanism: Mechanism, n: number, rep: number): Measurement {
  const outdir = path.join(tmp, `${approach}-${mechanism}-${n}-${rep}`);
  const result = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register'), CHILD, approach, mechanism, String(n), outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      // aws-cdk-lib's built-in template validation costs ~4 s and ~300 MB per
      // process whatever the template: a constant that would bury the
      // differences being measured (and the floor would pay it too).
      CDK_VALIDATION: 'false',
      TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'),
      // lib/ may hold stale jsii output (*.js) next to the sources: measure the sources.
      TS_NODE_PREFER_TS_EXTS: 'true',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  fs.rmSync(outdir, { recursive: true, force: true });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !line.startsWith('{')) {
    throw new Error(`${approach} ${mechanism} N=${n} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
  return JSON.parse(line);
}

try {
  const runs = new Map<string, Measurement[]>();
  // Repetition outermost and approaches interleaved, so that load from the
  // shared machine falls on every approach alike.
  for (let rep = 0; rep < REPS; rep++) {
    for (const n of SIZES) {
      for (const mechanism of MECHANISMS) {
        for (const approach of APPROACHES) {
          const m = measure(approach, mechanism, n, rep);
          const key = `${n}|${mechanism}|${approach}`;
          runs.set(key, [...(runs.get(key) ?? []), m]);
          process.stderr.write(`  ${approach.padEnd(13)} ${mechanism.padEnd(12)} N=${String(n).padEnd(4)} rep ${rep + 1}: ` +
            `${m.totalMs.toFixed(0).padStart(5)} ms, ${(m.maxRssKb / 1024).toFixed(0)} MB\n`);
        }
      }
    }
  }
  const rows: Row[] = [];
  for (const n of SIZES) {
    for (const mechanism of MECHANISMS) {
      for (const approach of APPROACHES) {
        rows.push({ n, mechanism, approach, runs: runs.get(`${n}|${mechanism}|${approach}`)! });
      }
    }
  }
  const markdown = renderResults(rows, FLOOR, { seconds: (Date.now() - started) / 1000 });
  process.stdout.write(markdown);
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), markdown);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
