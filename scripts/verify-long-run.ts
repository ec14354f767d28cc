/**
 * The layout long run (issue 18): many generated apps, as seed chunks run one
 * after another, each in its own jest process (fresh memory, bounded time),
 * each writing its counts as it goes (FUZZ_PROGRESS_FILE). After every chunk
 * the chunks' counts are added up in summary.json, so a run that is stopped
 * still says how far it got, and a second run with the same --out resumes at
 * the first chunk that did not pass.
 *
 *   npm run verify:long -- --apps 10000 --chunk 1000 --seed 20261127 --out /tmp/long-run
 *
 * Chunk k checks --chunk apps of seed (--seed + k). Then, once every chunk
 * passed, the subject-pattern generator (test/verify/pattern-layouts.test.ts,
 * which draws its own layouts) runs --patterns layouts of --seed (default: one
 * for every five apps; 0 skips it) and writes patterns.json. Exits non-zero
 * when a chunk or the pattern run fails (its progress file or log holds the
 * failure) or the run is incomplete.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The layout counts a chunk reports and the summary adds up. */
export interface LayoutCounts {
  readonly asked: number;
  readonly checked: number;
  readonly delivered: number;
  readonly refused: number;
  readonly skippedKnownFailing: number;
  readonly knownFailing: string[];
  readonly seconds: number;
  readonly refusalsByClass: { [refusalClass: string]: number };
  readonly partitions: { [partition: string]: { delivered: number; refused: number } };
  readonly addons: { [addon: string]: { delivered: number; refused: number } };
  readonly stats: { [key: string]: number };
}

/** What one chunk's FUZZ_PROGRESS_FILE holds (test/verify/properties-layouts.test.ts). */
export interface ChunkProgress extends LayoutCounts {
  readonly status: 'running' | 'passed' | 'failed';
  readonly seed: number;
  readonly failure?: string;
}

export interface LongRunSummary extends LayoutCounts {
  /** Chunks whose test passed, in full. */
  readonly complete: boolean;
  readonly seeds: number[];
  readonly chunks: { seed: number; status: string; checked: number; asked: number }[];
  readonly failures: { seed: number; failure: string }[];
}

/** Adds up the chunks' counts; complete only when every chunk passed and checked what it was asked. */
export function aggregateLongRun(chunks: ChunkProgress[], asked: number): LongRunSummary {
  const sum = (f: (c: ChunkProgress) => number) => chunks.reduce((n, c) => n + f(c), 0);
  const addCounts = (maps: { [k: string]: number }[]) => {
    const out: { [k: string]: number } = {};
    for (const m of maps) { for (const [k, v] of Object.entries(m)) { out[k] = (out[k] ?? 0) + v; } }
    return out;
  };
  const addOutcomes = (maps: { [k: string]: { delivered: number; refused: number } }[]) => {
    const out: { [k: string]: { delivered: number; refused: number } } = {};
    for (const m of maps) {
      for (const [k, v] of Object.entries(m)) {
        out[k] = { delivered: (out[k]?.delivered ?? 0) + v.delivered, refused: (out[k]?.refused ?? 0) + v.refused };
      }
    }
    return out;
  };
  const checked = sum(c => c.checked);
  return {
    complete: chunks.length > 0 && chunks.every(c => c.status === 'passed' && c.checked === c.asked) && checked >= asked,
    seeds: chunks.map(c => c.seed),
    chunks: chunks.map(c => ({ seed: c.seed, status: c.status, checked: c.checked, asked: c.asked })),
    asked,
    checked,
    delivered: sum(c => c.delivered),
    refused: sum(c => c.refused),
    skippedKnownFailing: sum(c => c.skippedKnownFailing),
    knownFailing: [...new Set(chunks.flatMap(c => c.knownFailing))],
    seconds: sum(c => c.seconds),
    refusalsByClass: addCounts(chunks.map(c => c.refusalsByClass)),
    partitions: addOutcomes(chunks.map(c => c.partitions)),
    addons: addOutcomes(chunks.map(c => c.addons)),
    stats: addCounts(chunks.map(c => c.stats)),
    failures: chunks.filter(c => c.failure !== undefined).map(c => ({ seed: c.seed, failure: c.failure! })),
  };
}

export function describeLongRun(s: LongRunSummary): string {
  const n = (k: string) => s.stats[k] ?? 0;
  return `${s.complete ? 'complete' : 'INCOMPLETE'}: seeds ${s.seeds[0]}..${s.seeds[s.seeds.length - 1]}, ${s.checked} of ${s.asked} apps checked in ${s.seconds} s: ` +
    `${s.delivered} delivered exactly, ${s.refused} refused naming the reason's class, ${s.skippedKnownFailing} drawn and left out (known-failing); ` +
    `${n('layoutTrustCases')} trust and chain cases, ${n('permissionAllowed') + n('permissionDenied')} permission cases, ` +
    `${n('resolverTemplatesCompared')} templates resolved by both resolvers; failures: ${s.failures.length}`;
}

/** What one run of the subject-pattern layouts reported (patterns.json). */
export interface PatternRun {
  readonly status: 'passed' | 'failed';
  readonly seed: number;
  readonly asked: number;
  readonly delivered: number;
  readonly refused: number;
  readonly cases: number;
  readonly wrongAllow: number;
  readonly wrongDeny: number;
  readonly seconds: number;
}

/**
 * The pattern run's outcome from its log: passed only when jest exited 0 and the test printed its tally
 * (PATTERN_TALLY=1) for this seed with every layout checked (delivered + refused) and no wrong allow or deny.
 */
export function patternRunOf(log: string, seed: number, asked: number, exitStatus: number | null, seconds: number): PatternRun {
  const line = log.split('\n').find(l => l.startsWith(`pattern layouts (seed ${seed}): `));
  const tally = line ? JSON.parse(line.slice(line.indexOf('{'))) as { delivered: number; refused: number; cases: number; wrongAllow: number; wrongDeny: number } : undefined;
  const counts = tally ?? { delivered: 0, refused: 0, cases: 0, wrongAllow: 0, wrongDeny: 0 };
  const passed = exitStatus === 0 && tally !== undefined && counts.delivered + counts.refused === asked && counts.wrongAllow === 0 && counts.wrongDeny === 0;
  return {
    status: passed ? 'passed' : 'failed', seed, asked,
    delivered: counts.delivered, refused: counts.refused, cases: counts.cases, wrongAllow: counts.wrongAllow, wrongDeny: counts.wrongDeny, seconds,
  };
}

export function describePatternRun(r: PatternRun): string {
  return `pattern layouts ${r.status}: seed ${r.seed}, ${r.delivered + r.refused} of ${r.asked} layouts checked in ${r.seconds} s: ` +
    `${r.delivered} delivered exactly, ${r.refused} refused naming the pattern and the rule; ${r.cases} trust cases; ` +
    `wrong allows ${r.wrongAllow}, wrong denies ${r.wrongDeny}`;
}

function main(argv: string[]): number {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const apps = Number(arg('apps', '10000'));
  const chunk = Number(arg('chunk', '1000'));
  const seed = Number(arg('seed', '20261127'));
  const patterns = Number(arg('patterns', String(Math.ceil(apps / 5))));
  const out = path.resolve(arg('out', path.join('cdk.out', 'verify-long-run')));
  if (![apps, chunk, seed, patterns].every(Number.isInteger) || apps < 1 || chunk < 1 || patterns < 0) {
    throw new Error(`verify-long-run: --apps, --chunk, --seed and --patterns take whole numbers (got ${apps}, ${chunk}, ${seed}, ${patterns}).`);
  }
  fs.mkdirSync(out, { recursive: true });
  const jest = require.resolve('jest/bin/jest');
  const count = Math.ceil(apps / chunk);
  const progresses: ChunkProgress[] = [];
  let exitCode = 0;
  for (let k = 0; k < count; k++) {
    const chunkSeed = seed + k;
    const asked = Math.min(chunk, apps - k * chunk);
    const file = path.join(out, `chunk-${chunkSeed}.json`);
    const done = readJson<ChunkProgress>(file);
    if (!(done?.status === 'passed' && done.asked === asked)) {
      const log = fs.openSync(path.join(out, `chunk-${chunkSeed}.log`), 'w');
      const r = spawnSync(process.execPath, [jest, '-c', 'jest.verify.config.js', 'test/verify/properties-layouts.test.ts', '-t', 'every layout'], {
        stdio: ['ignore', log, log],
        env: { ...process.env, FUZZ_SEED: String(chunkSeed), FUZZ_LAYOUT_RUNS: String(asked), FUZZ_PROGRESS_FILE: file },
      });
      fs.closeSync(log);
      if (r.status !== 0 && readJson<ChunkProgress>(file)?.status !== 'failed') {
        // Stopped from outside, or failed before the test ran: the progress file says how far it got.
        process.stderr.write(`chunk seed ${chunkSeed}: jest exited with ${r.status ?? r.signal}; see ${path.join(out, `chunk-${chunkSeed}.log`)}\n`);
      }
    }
    const p = readJson<ChunkProgress>(file);
    if (p) { progresses.push(p); }
    const summary = aggregateLongRun(progresses, apps);
    fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(summary, undefined, 1));
    process.stdout.write(`${new Date().toISOString()} after chunk seed ${chunkSeed}: ${describeLongRun(summary)}\n`);
    if (p?.status !== 'passed') {
      exitCode = 1;
      break;
    }
  }
  const summary = aggregateLongRun(progresses, apps);
  if (!summary.complete) { return 1; }
  if (patterns > 0) {
    const file = path.join(out, 'patterns.json');
    let run = readJson<PatternRun>(file);
    if (!(run?.status === 'passed' && run.seed === seed && run.asked === patterns)) {
      const logFile = path.join(out, `patterns-${seed}.log`);
      const started = Date.now();
      const r = spawnSync(process.execPath, [jest, '-c', 'jest.verify.config.js', 'test/verify/pattern-layouts.test.ts'], {
        encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_PATTERN_RUNS: String(patterns), PATTERN_TALLY: '1' },
      });
      const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
      fs.writeFileSync(logFile, log);
      run = patternRunOf(log, seed, patterns, r.status, Math.round((Date.now() - started) / 1000));
      fs.writeFileSync(file, JSON.stringify(run, undefined, 1));
    }
    process.stdout.write(`${new Date().toISOString()} ${describePatternRun(run)}\n`);
    if (run.status !== 'passed') { return 1; }
  }
  return exitCode;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8')) as T;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
