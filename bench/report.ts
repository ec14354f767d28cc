import * as os from 'os';
import type { AssemblyLayout } from './layout';
import type { OutputFigures } from './measure';

/** One measured process: its phases (bench/app.ts), its output and its wall time. */
export interface Measurement extends OutputFigures {
  /** From the process's start to the first line of the app: Node's own start-up. */
  readonly startupMs: number;
  readonly loadMs: number;
  readonly constructMs: number;
  readonly awsSynthMs: number;
  readonly k8sSynthMs: number;
  readonly maxRssKb: number;
  /** User + system CPU until the figures were written (absent in runs before it was measured). */
  readonly cpuMs?: number;
  /** From spawning the process to its exit, measured by the parent. */
  readonly wallMs: number;
}

/** Every run of one configuration. */
export interface Row {
  readonly n: number;
  readonly mechanism: string;
  readonly validation: boolean;
  readonly approach: string;
  readonly runs: Measurement[];
}

/** Runs of bench/modules.ts. */
export interface ModuleProbe {
  readonly mode: string;
  readonly entry: string;
  readonly uses: string[];
  readonly runs: { ms: number; ownFiles: number; packages: string[] }[];
}

/** One run of the fleet (bench/fleet-app.ts). */
export interface FleetRun {
  readonly n: number;
  readonly wallMs: number;
  readonly maxRssKb: number;
  readonly layout: AssemblyLayout;
  readonly validation: boolean;
}

/** One run of the Kubernetes guardrails' scaling case (bench/k8s-charts-app.ts). */
export interface ChartsRun {
  /** `library`, or the same objects by hand: `kplus`, `kplus-same-output`. Absent in states written before there were several (library). */
  readonly approach?: string;
  /** ServiceAccounts in the app. */
  readonly n: number;
  /** Charts they are spread over. */
  readonly charts: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

/** One `npm run bench`, and how loaded the shared machine was during it. */
export interface Session {
  /** The commit measured, with `+` if the worktree had changes. */
  readonly commit: string;
  readonly start: string;
  end: string;
  /** 1-minute load averages. */
  readonly loadAtStart: number;
  loadAtEnd: number;
  /** The 1-minute load average after each process. */
  readonly loadSamples: number[];
}

/** Everything measured so far, over one or more sessions (`--resume`). */
export interface State {
  readonly rows: Row[];
  modules: ModuleProbe[];
  fleets: FleetRun[];
  /** Absent in states written before the case existed. */
  charts?: ChartsRun[];
  readonly sessions: Session[];
  readonly quick: boolean;
}

/** issue 12's targets for the library's whole process against the hand-written L1s. */
const TARGET = { withValidation: 1.1, withoutValidation: 1.3 };
/** issue 22's targets against the same app written by hand with iam.Role (l2-reference), CPU and peak memory. */
const L2_TARGET = { withValidation: 1.1, withoutValidation: 1.05, memory: 1.1, charts: 1.2 };
const L2 = 'l2-reference';
/** l2-reference written to synthesize the library's own templates and manifests (bench/scenarios/l2-same-output.ts): shown beside it. */
const L2_SAME = 'l2-same-output';
const STACK_LIMIT = 500;

export function renderResults(state: State, floor: string): string {
  const { modules, fleets, sessions } = state;
  const rows = sortRows(state.rows);
  const out: string[] = [];
  const floorOf = (r: Row) => rows.find(f => f.n === r.n && f.mechanism === r.mechanism && f.validation === r.validation && f.approach === floor);
  const cores = os.cpus().length;
  out.push('# Benchmark results', '');
  out.push(`Written by \`npm run bench${state.quick ? ' -- --quick' : ''}\` (bench/run.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; do not edit by hand. ` +
    'How it measures, and what the figures mean: docs/benchmark.md.', '');
  out.push(`Machine: ${cores} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
    `aws-cdk-lib ${version('aws-cdk-lib')}, cdk8s ${version('cdk8s')}, cdk8s-plus-28 ${version('cdk8s-plus-28')}.`, '');
  out.push(`**Conditions**: the ${cores} cores were shared with other work; a 1-minute load average above ${cores} means processes waited ` +
    'for a core, and wall times stretch with it. Each configuration\'s approaches ran in turn (interleaved), so load fell on them alike; ' +
    'the min-max column shows how far the runs of one configuration spread: ratios inside that spread are noise.', '');
  for (const s of sessions) { out.push(`- ${describeSession(s)}`); }
  out.push('');

  out.push('## Whole process (what `cdk synth` costs)', '');
  out.push('Median over the runs of one configuration. wall: spawn to exit of `node app.js` (Node start, module loading, constructing, ' +
    'synthesizing the CloudFormation and the Kubernetes side, writing both). CPU: the process\'s user + system time until it wrote its ' +
    'figures (all threads; less sensitive to the machine\'s load than wall time; median of the runs that recorded it, n/a if none did). validation: aws-cdk-lib\'s default built-in template validation ' +
    '(`on`, as users run) or `CDK_VALIDATION=false`. Ratios (x1.05) are to the hand-written L1s (`l1`) of the same row group; ' +
    'for counts the floor has none of, the difference (+2).', '');
  out.push('| N | mechanism | validation | approach | wall s | wall min-max | CPU s | peak MB | resources | stacks | template KB | Lambdas | custom resources | assets | runs |');
  out.push('|--:|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    const f = figuresOf(r);
    const base = floorOf(r);
    const b = base ? figuresOf(base) : undefined;
    const cell = (value: number, floorValue: number | undefined, digits: number) =>
      r.approach === floor || floorValue === undefined ? fmt(value, digits) : `${fmt(value, digits)} (${ratio(value, floorValue, digits)})`;
    const walls = r.runs.map(m => m.wallMs / 1000);
    out.push(`| ${r.n} | ${r.mechanism} | ${r.validation ? 'on' : 'off'} | ${r.approach} | ${cell(f.wallS, b?.wallS, 2)} | ` +
      `${fmt(Math.min(...walls), 2)}-${fmt(Math.max(...walls), 2)} | ${f.cpuS === undefined ? 'n/a' : cell(f.cpuS, b?.cpuS, 2)} | ${cell(f.peakMb, b?.peakMb, 0)} | ` +
      `${cell(f.resources, b?.resources, 0)}${f.maxStackResources > STACK_LIMIT ? ' ⚠' : ''} | ${cell(f.stacks, b?.stacks, 0)} | ` +
      `${cell(f.templateKb, b?.templateKb, 0)} | ${cell(f.lambdas, b?.lambdas, 0)} | ${cell(f.customResources, b?.customResources, 0)} | ` +
      `${f.assets === 0 ? cell(0, b?.assets, 0) : `${cell(f.assets, b?.assets, 0)}, ${size(f.assetBytes)}`} | ${r.runs.length} |`);
  }
  out.push('');
  if (rows.some(r => figuresOf(r).maxStackResources > STACK_LIMIT)) {
    out.push(`⚠ a stack over CloudFormation's ${STACK_LIMIT} resources.`, '');
  }

  out.push('## The library against the hand-written L1s (issue 12\'s targets)', '');
  out.push(`Whole process within x${TARGET.withValidation} with validation and x${TARGET.withoutValidation} without; ` +
    'the same resources; no Lambda function, custom resource or asset.', '');
  for (const r of rows.filter(x => x.approach === 'library')) {
    const base = floorOf(r);
    if (!base) { continue; }
    const f = figuresOf(r);
    const b = figuresOf(base);
    const target = r.validation ? TARGET.withValidation : TARGET.withoutValidation;
    const time = f.wallS / b.wallS;
    const deploy = f.resources === b.resources && f.lambdas === 0 && f.customResources === 0 && f.assets === 0;
    const l2 = rows.find(x => x.n === r.n && x.mechanism === r.mechanism && x.validation === r.validation && x.approach === 'l2-reference');
    const cpu = f.cpuS !== undefined && b.cpuS !== undefined ? `, CPU x${fmt(f.cpuS / b.cpuS, 2)}` : '';
    out.push(`- N=${r.n}, ${r.mechanism}, validation ${r.validation ? 'on' : 'off'}: wall x${fmt(time, 2)}${cpu} ` +
      `(${time <= target ? 'within' : 'over'} x${target}; runs spread ${spreadPercent(r)} and ${spreadPercent(base)}` +
      `${l2 ? `; x${fmt(f.wallS / figuresOf(l2).wallS, 2)} the same written by hand with iam.Role (l2-reference)` : ''}); ` +
      `${deploy ? 'deploy cost equal (same resources, 0 Lambda, 0 custom resources, 0 assets)' : `deploy cost differs: ${f.resources} resources against ${b.resources}, ${f.lambdas} Lambdas, ${f.customResources} custom resources, ${f.assets} assets`}.`);
  }
  out.push('');

  renderL2Targets(out, rows, floorOf, state.charts ?? []);

  out.push('## Cost per workload', '');
  out.push('wall / N includes the fixed cost of every process (Node, modules, validation\'s start); the step cost ' +
    '(wall(N) - wall(previous N)) / (N - previous N) is what one more workload costs: flat means no superlinear step. ' +
    'In-process: (construct + both synths) / N, without Node start-up and module loading. Peak memory per workload: ' +
    'peak MB / N, and its step (peak(N) - peak(previous N)) / (N - previous N) in KB: flat means memory grows linearly.', '');
  out.push('| mechanism | validation | approach | N | wall / N, ms | step cost, ms | in-process, ms | CPU step cost, ms | peak KB / workload | peak step, KB / workload |');
  out.push('|---|---|---|--:|--:|--:|--:|--:|--:|--:|');
  const groups = unique(rows.map(r => `${r.mechanism}|${r.validation}|${r.approach}`));
  for (const g of groups) {
    const series = rows.filter(r => `${r.mechanism}|${r.validation}|${r.approach}` === g).sort((a, b) => a.n - b.n);
    series.forEach((r, i) => {
      const f = figuresOf(r);
      const prev = series[i - 1];
      const step = prev ? fmt((f.wallS - figuresOf(prev).wallS) * 1000 / (r.n - prev.n), 2) : '';
      const inProcess = median(r.runs.map(m => m.constructMs + m.awsSynthMs + m.k8sSynthMs)) / r.n;
      const prevCpu = prev ? figuresOf(prev).cpuS : undefined;
      const cpuStep = prev && f.cpuS !== undefined && prevCpu !== undefined ? fmt((f.cpuS - prevCpu) * 1000 / (r.n - prev.n), 2) : '';
      const peakStep = prev ? fmt((f.peakMb - figuresOf(prev).peakMb) * 1024 / (r.n - prev.n), 1) : '';
      out.push(`| ${r.mechanism} | ${r.validation ? 'on' : 'off'} | ${r.approach} | ${r.n} | ${fmt(f.wallS * 1000 / r.n, 2)} | ${step} | ${fmt(inProcess, 2)} | ${cpuStep} | ` +
        `${fmt(f.peakMb * 1024 / r.n, 1)} | ${peakStep} |`);
    });
  }
  out.push('');

  out.push('## Where the time goes (median ms per process)', '');
  out.push('| N | mechanism | validation | approach | Node start-up | module loading | construct | CDK synth | cdk8s synth | exit and rest |');
  out.push('|--:|---|---|---|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    const m = (pick: (x: Measurement) => number) => median(r.runs.map(pick));
    const rest = m(x => x.wallMs - x.startupMs - x.loadMs - x.constructMs - x.awsSynthMs - x.k8sSynthMs);
    out.push(`| ${r.n} | ${r.mechanism} | ${r.validation ? 'on' : 'off'} | ${r.approach} | ${fmt(m(x => x.startupMs), 0)} | ${fmt(m(x => x.loadMs), 0)} | ` +
      `${fmt(m(x => x.constructMs), 0)} | ${fmt(m(x => x.awsSynthMs), 0)} | ${fmt(m(x => x.k8sSynthMs), 0)} | ${fmt(rest, 0)} |`);
  }
  out.push('');

  if (modules.length > 0) {
    out.push('## Module loading', '');
    out.push('Fresh processes that load the app\'s own dependencies first, then the library\'s entry point and use one export: ' +
      '`aws-app` (constructs and aws-cdk-lib loaded; `WorkloadIdentity` from the root), `k8s-app` (constructs and cdk8s loaded; ' +
      '`WorkloadServiceAccount` from `/k8s`), `own` (every dependency loaded; both from the root: the library\'s own modules). ' +
      `Median of ${modules[0].runs.length} processes.`, '');
    out.push('| app | entry point, export used | ms | library files | packages loaded besides the library |');
    out.push('|---|---|--:|--:|---|');
    for (const p of modules) {
      const packages = p.runs[0].packages;
      out.push(`| ${p.mode} | \`${p.entry}\`: ${p.uses.join(', ')} | ${fmt(median(p.runs.map(x => x.ms)), 0)} | ${p.runs[0].ownFiles} | ${packages.length ? packages.join(', ') : 'none'} |`);
    }
    out.push('');
  }

  if (fleets.length > 0) {
    out.push('## Many workloads on three clusters (bench/scenarios/fleet.ts)', '');
    out.push('Workload i on cluster i % 3 (Pod Identity, IRSA, mixed), placed by `WorkloadStacks` (400 resources per stack); ' +
      `the cluster handles in a \`Platform\` stack. One process each, validation ${fleets[0].validation ? 'on (the default)' : 'off'}.`, '');
    out.push('| N | stacks | largest stack, resources | largest stack, KB | agent add-ons per cluster | OIDC providers per issuer | wall s | peak MB |');
    out.push('|--:|--:|--:|--:|---|---|--:|--:|');
    for (const f of fleets) {
      const s = f.layout.stacks;
      out.push(`| ${f.n} | ${s.length} | ${Math.max(...s.map(x => x.resources))} | ${fmt(Math.max(...s.map(x => x.bytes)) / 1024, 0)} | ` +
        `${Object.entries(f.layout.podIdentityAgents).map(([c, k]) => `${c}: ${k}`).join(', ')} | ${Object.values(f.layout.oidcProviders).join(', ')} | ` +
        `${fmt(f.wallMs / 1000, 1)} | ${fmt(f.maxRssKb / 1024, 0)} |`);
    }
    out.push('');
  }

  const smallest = rows.filter(r => !r.validation);
  if (smallest.length > 0) {
    const n = Math.min(...smallest.map(r => r.n));
    out.push(`## Resources by type (N=${n})`, '');
    for (const r of smallest.filter(x => x.n === n)) {
      const m = r.runs[0];
      const types = Object.entries(m.resourceTypes).map(([t, c]) => `${t} ${c}`).join(', ');
      out.push(`- ${r.mechanism}, ${r.approach}: ${types}${m.assets > 0 ? `; ${m.assets} assets, ${size(m.assetBytes)} staged per synth` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}

interface Figures {
  wallS: number;
  /** Over the runs that recorded it; undefined if none did. */
  cpuS?: number;
  peakMb: number;
  resources: number;
  stacks: number;
  maxStackResources: number;
  templateKb: number;
  lambdas: number;
  customResources: number;
  assets: number;
  assetBytes: number;
}

/** Issue 22: the library against the same app written by hand with iam.Role, and the Kubernetes guardrails' scaling case. */
function renderL2Targets(out: string[], rows: Row[], floorOf: (r: Row) => Row | undefined, charts: ChartsRun[]): void {
  const libraryRows = rows.filter(r => r.approach === 'library');
  const sameRow = (r: Row, approach: string) => rows.find(x => x.n === r.n && x.mechanism === r.mechanism && x.validation === r.validation && x.approach === approach);
  const pairs = libraryRows.map(r => ({ r, l2: sameRow(r, L2), same: sameRow(r, L2_SAME) }))
    .filter((p): p is { r: Row; l2: Row; same: Row | undefined } => p.l2 !== undefined);
  if (pairs.length === 0 && charts.length === 0) { return; }
  out.push('## The library against the same app written by hand with iam.Role (issue 22\'s targets)', '');
  out.push(`CPU (user + system, median of the interleaved runs) of the library: at most x${L2_TARGET.withValidation} with validation, ` +
    `x${L2_TARGET.withoutValidation} without; peak memory at most x${L2_TARGET.memory}. The targets are set at N = 1,000 and 10,000; smaller N are shown for the trend. ` +
    'Each is judged against two apps written by hand with `iam.Role`, without the library\'s checks and guardrails: ' +
    `\`${L2}\`, the app the issue named, which writes less than the library (no Namespaces, no cluster annotation, shorter role names, ` +
    'no stack dependency on the agent\'s stack), and ' +
    `\`${L2_SAME}\`, the same app written to synthesize the library's templates byte for byte and its manifests, so that the ratio is the library's own cost ` +
    '(its checks, guardrails and bookkeeping) and not output it writes on purpose. Runs: how many processes each median is of (library, l2-reference, l2-same-output).', '');
  if (pairs.length > 0) {
    out.push('| N | mechanism | validation | CPU s, library | CPU / l2-reference | CPU / l2-same-output | CPU target | peak MB, library | peak / l2-reference | peak / l2-same-output | runs |');
    out.push('|--:|---|---|--:|--:|--:|---|--:|--:|--:|--:|');
    for (const { r, l2, same } of pairs) {
      const f = figuresOf(r);
      const target = r.validation ? L2_TARGET.withValidation : L2_TARGET.withoutValidation;
      const judged = r.n >= 1000;
      const cell = (value: number | undefined, limit: number) => value === undefined ? 'n/a'
        : `x${fmt(value, 2)}${!judged ? '' : value <= limit ? ' met' : ' not met'}`;
      const against = (ref: Row | undefined) => {
        if (!ref) { return { cpu: undefined, memory: undefined }; }
        const g = figuresOf(ref);
        return { cpu: f.cpuS !== undefined && g.cpuS !== undefined ? f.cpuS / g.cpuS : undefined, memory: f.peakMb / g.peakMb };
      };
      const [byL2, bySame] = [against(l2), against(same)];
      out.push(`| ${r.n} | ${r.mechanism} | ${r.validation ? 'on' : 'off'} | ${f.cpuS === undefined ? 'n/a' : fmt(f.cpuS, 2)} | ` +
        `${cell(byL2.cpu, target)} | ${cell(bySame.cpu, target)} | x${target} | ${fmt(f.peakMb, 0)} | ` +
        `${cell(byL2.memory, L2_TARGET.memory)} | ${cell(bySame.memory, L2_TARGET.memory)} | ${r.runs.length}, ${l2.runs.length}, ${same ? same.runs.length : 0} |`);
    }
    out.push('');
    // The ratio to the L1s should not grow from 1,000 to 10,000 workloads; aws-cdk-lib's L2s can grow it on their own, so the
    // library's own scaling (over the same output written by hand) is shown beside it.
    const ofN = (n: number, approach: string, mechanism: string, validation: boolean) =>
      rows.find(r => r.n === n && r.approach === approach && r.mechanism === mechanism && r.validation === validation);
    const cpuOf = (x: Row | undefined) => x ? figuresOf(x).cpuS ?? NaN : NaN;
    const lines: string[] = [];
    for (const r of libraryRows.filter(x => x.n === 10000)) {
      const small = ofN(1000, 'library', r.mechanism, r.validation);
      const [bigFloor, smallFloor] = [floorOf(r), small ? floorOf(small) : undefined];
      if (!small || !bigFloor || !smallFloor) { continue; }
      const [at1000, at10000] = [cpuOf(small) / cpuOf(smallFloor), cpuOf(r) / cpuOf(bigFloor)];
      const handAt = (n: number, floor: Row) => cpuOf(ofN(n, L2_SAME, r.mechanism, r.validation)) / cpuOf(floor);
      const ownAt = (n: number, lib: Row) => cpuOf(lib) / cpuOf(ofN(n, L2_SAME, r.mechanism, r.validation));
      const [hand1000, hand10000, own1000, own10000] = [handAt(1000, smallFloor), handAt(10000, bigFloor), ownAt(1000, small), ownAt(10000, r)];
      lines.push(`- ${r.mechanism}, validation ${r.validation ? 'on' : 'off'}: CPU library / L1s x${fmt(at1000, 2)} at 1,000, x${fmt(at10000, 2)} at 10,000: ` +
        `${at10000 <= at1000 ? 'no worse (met)' : 'worse (not met)'}` +
        (Number.isNaN(hand10000) ? '.' : `; the same written by hand (l2-same-output) / L1s x${fmt(hand1000, 2)} and x${fmt(hand10000, 2)}; ` +
          `the library's own cost (library / l2-same-output) x${fmt(own1000, 2)} and x${fmt(own10000, 2)}: ${own10000 <= own1000 ? 'no worse' : 'worse'}.`));
    }
    if (lines.length > 0) { out.push('The ratio to the hand-written L1s at 10,000 workloads against 1,000 (target: no worse):', '', ...lines, ''); }
  }
  if (charts.length > 0) {
    out.push(`**The Kubernetes guardrails' scaling case** (bench/k8s-charts-app.ts): one cdk8s app of one cluster, ${charts[0].n} ServiceAccounts ` +
      '(half IRSA, half Pod Identity, in ten namespaces, with their Namespaces) over 1 chart or over 30, the runs interleaved; ' +
      'cdk8s validates the whole app and resolves its dependencies once per chart it renders. `library`: WorkloadServiceAccounts (their guardrails and ' +
      'namespaces chart included); `kplus`: the same objects written by hand with cdk8s-plus, no dependency between charts (so no `0000-` file index): ' +
      'what cdk8s itself costs per chart; `kplus-same-output`: the same files as the library byte for byte, each chart ordered after the Namespaces ' +
      `with \`chart.addDependency\`. Target: the library's 30 charts at most x${L2_TARGET.charts} the CPU of its one.`, '');
    out.push('| approach | charts | CPU s (median) | CPU min-max | wall s (median) | peak MB | runs |');
    out.push('|---|--:|--:|--:|--:|--:|--:|');
    const approachOf = (c: ChartsRun) => c.approach ?? 'library';
    const approaches = unique(charts.map(approachOf));
    const counts = unique(charts.map(c => String(c.charts))).map(Number).sort((a, b) => a - b);
    const runsOf = (a: string, k: number) => charts.filter(c => approachOf(c) === a && c.charts === k);
    const cpuOf = (a: string, k: number) => median(runsOf(a, k).map(c => c.cpuMs)) / 1000;
    for (const a of approaches) {
      for (const k of counts) {
        const runs = runsOf(a, k);
        if (runs.length === 0) { continue; }
        const cpus = runs.map(c => c.cpuMs / 1000);
        out.push(`| ${a} | ${k} | ${fmt(cpuOf(a, k), 2)} | ${fmt(Math.min(...cpus), 2)}-${fmt(Math.max(...cpus), 2)} | ${fmt(median(runs.map(c => c.wallMs)) / 1000, 2)} | ` +
          `${fmt(median(runs.map(c => c.maxRssKb)) / 1024, 0)} | ${runs.length} |`);
      }
    }
    if (counts.length > 1) {
      const [one, many] = [counts[0], counts[counts.length - 1]];
      out.push('');
      for (const a of approaches) {
        if (runsOf(a, one).length === 0 || runsOf(a, many).length === 0) { continue; }
        const ratio = cpuOf(a, many) / cpuOf(a, one);
        const added = cpuOf(a, many) - cpuOf(a, one);
        out.push(`- ${a}: ${many} charts / ${one}: CPU x${fmt(ratio, 2)}, ${fmt(added, 2)} s more` +
          (a === 'library' ? ` (${ratio <= L2_TARGET.charts ? 'met' : 'not met'}, target x${L2_TARGET.charts}).` : '.'));
      }
    }
    out.push('');
  }
}

function figuresOf(r: Row): Figures {
  const once = r.runs[0];
  for (const m of r.runs) {
    if (m.resources !== once.resources || m.templateBytes !== once.templateBytes) {
      throw new Error(`${r.approach} ${r.mechanism} N=${r.n} synthesized different output in two runs (${m.resources} vs ${once.resources} resources).`);
    }
  }
  return {
    wallS: median(r.runs.map(m => m.wallMs)) / 1000,
    cpuS: r.runs.some(m => m.cpuMs !== undefined) ? median(r.runs.filter(m => m.cpuMs !== undefined).map(m => m.cpuMs!)) / 1000 : undefined,
    peakMb: median(r.runs.map(m => m.maxRssKb)) / 1024,
    resources: once.resources,
    stacks: once.stacks,
    maxStackResources: once.maxStackResources,
    templateKb: once.templateBytes / 1024,
    lambdas: once.lambdas,
    customResources: once.customResources,
    assets: once.assets,
    assetBytes: once.assetBytes,
  };
}

function describeSession(s: Session): string {
  const samples = [...s.loadSamples].sort((a, b) => a - b);
  const minutes = (Date.parse(s.end) - Date.parse(s.start)) / 60000;
  const when = `${s.start.slice(0, 16).replace('T', ' ')} to ${s.end.slice(11, 16)} UTC (${fmt(minutes, 0)} min, commit ${s.commit})`;
  if (samples.length === 0) { return `${when}: no synth processes.`; }
  return `${when}: load average ${fmt(s.loadAtStart, 1)} at the start, ${fmt(s.loadAtEnd, 1)} at the end, median ${fmt(median(samples), 1)} ` +
    `(${fmt(samples[0], 1)}-${fmt(samples[samples.length - 1], 1)}) over ${samples.length} processes.`;
}

/** By N, mechanism, validation, then the approaches in a fixed order, floor first. */
function sortRows(rows: Row[]): Row[] {
  const order = ['l1', 'library', 'l2-reference', 'l2-same-output', 'eks-v2', 'library-token-issuer'];
  const rank = (a: string) => (order.indexOf(a) + 1) || order.length + 1;
  return [...rows].sort((a, b) => a.n - b.n || a.mechanism.localeCompare(b.mechanism) || Number(a.validation) - Number(b.validation) || rank(a.approach) - rank(b.approach));
}

function spreadPercent(r: Row): string {
  const walls = r.runs.map(m => m.wallMs);
  if (walls.length < 2) { return 'n/a (one run)'; }
  return `±${fmt((Math.max(...walls) - Math.min(...walls)) / 2 / median(walls) * 100, 0)}%`;
}

function ratio(value: number, floor: number, digits: number): string {
  if (floor === 0) { return value === 0 ? 'x1.00' : `+${fmt(value, digits)}`; }
  return `x${(value / floor).toFixed(2)}`;
}

function size(bytes: number): string {
  return bytes >= 2 ** 20 ? `${fmt(bytes / 2 ** 20, 1)} MB` : `${fmt(bytes / 1024, 1)} KB`;
}

function fmt(value: number, digits: number): string {
  return value.toFixed(digits);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function version(pkg: string): string {
  try {
    return require(`${pkg}/package.json`).version;
  } catch {
    return 'unknown';
  }
}
