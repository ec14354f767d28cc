import * as os from 'os';
import type { OutputFigures } from './measure';

/** What bench/child.ts prints for one run. */
export interface Measurement extends OutputFigures {
  readonly scenario: string;
  readonly mechanism: string;
  readonly n: number;
  readonly importMs: number;
  readonly constructMs: number;
  readonly awsSynthMs: number;
  readonly k8sSynthMs: number;
  readonly totalMs: number;
  readonly rssAfterImportKb: number;
  readonly maxRssKb: number;
  /** CDK_VALIDATION as the child saw it. */
  readonly validation?: string;
}

/** Every run of one (N, mechanism, approach). */
export interface Row {
  readonly n: number;
  readonly mechanism: string;
  readonly approach: string;
  readonly runs: Measurement[];
}

/** The figures of the table, each a median over the runs where it varies. */
interface Figures {
  msPerWorkload: number;
  peakMb: number;
  resources: number;
  templateKb: number;
  lambdas: number;
  customResources: number;
  manifestKb: number;
}

const COLUMNS: { key: keyof Figures; title: string; digits: number }[] = [
  { key: 'msPerWorkload', title: 'ms/workload', digits: 2 },
  { key: 'peakMb', title: 'peak MB', digits: 0 },
  { key: 'resources', title: 'resources', digits: 0 },
  { key: 'templateKb', title: 'template KB', digits: 1 },
  { key: 'lambdas', title: 'Lambdas', digits: 0 },
  { key: 'customResources', title: 'custom resources', digits: 0 },
];
/** The library's target: within this factor of the floor on every figure. */
const TARGET = 1.2;
const STACK_LIMIT = 500;

export function renderResults(rows: Row[], floor: string, run: { seconds: number }): string {
  const figures = new Map(rows.map(r => [r, figuresOf(r)]));
  const floorOf = (r: Row) => figures.get(rows.find(f => f.n === r.n && f.mechanism === r.mechanism && f.approach === floor)!)!;
  const first = rows[0].runs[0];
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(`Written by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}; do not edit by hand.`);
  out.push(`Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ` +
    `aws-cdk-lib ${version('aws-cdk-lib')}, cdk8s ${version('cdk8s')}, cdk8s-plus-28 ${version('cdk8s-plus-28')}. Whole run: ${run.seconds.toFixed(0)} s.`, '');
  out.push('Each run is a fresh process that synthesizes N workloads, each with its own role, trust policy, one ' +
    's3 read statement and Kubernetes ServiceAccount, on one existing cluster:', '');
  out.push(`- **${floor}**: bare L1 resources (CfnRole, CfnPolicy, CfnPodIdentityAssociation or one CfnOIDCProvider, the agent CfnAddon) and plain cdk8s ApiObjects: the floor every ratio is to.`);
  out.push('- **l1-nested**: not an option for users, a yardstick: the same L1s at the construct paths the library gives them (a construct per workload, the role and its policy below it, each ApiObject below a wrapper), so the same logical ids. It shows what the layout of any construct library costs (aws-cdk-lib hashes every nested path into its logical id; the tree has more nodes), with nothing else added.');
  out.push('- **library**: `WorkloadCluster.fromClusterAttributes` (literal issuer), one `WorkloadIdentity` and one `WorkloadServiceAccount` per workload.');
  out.push('- **eks-v2**: aws-eks-v2 `cluster.addServiceAccount` (IRSA or POD_IDENTITY) on an imported cluster with a kubectl provider (KubectlV33Layer); it applies the ServiceAccounts through custom resources, so it writes no YAML. ' +
    'Its IRSA trust needs a CfnJson custom resource per workload (the imported provider\'s issuer is a token); its Pod Identity trust ' +
    'admits any association in the account (no session-tag conditions), which the other approaches do not. It declares the same ' +
    'native OIDC provider and agent add-on as the others.');
  out.push('- **l2-reference**: not an option for users, a yardstick: the library\'s output written by hand with aws-cdk-lib\'s and cdk8s-plus\'s L2s (iam.Role with its DefaultPolicy, kplus.ServiceAccount), without the library\'s checks and guardrails. library / l2-reference compares the library with writing the same by hand.', '');
  out.push('ms/workload: median over the runs (see the run counts) of app construction + `app.synth()` + cdk8s `synth()`, ' +
    'divided by N; loading the modules is excluded (a fixed cost per process, listed under "Where the time goes"). ' +
    'peak MB: the process\'s max RSS, including Node, ts-node and the modules the approach loads ' +
    `(${describeBaseline(rows)} before the app is built). ` +
    'resources, template KB, Lambdas (`AWS::Lambda::Function`, custom resource providers included) and custom resources count every template of the cloud assembly. ' +
    `Runs use \`CDK_VALIDATION=${first.validation ?? 'unset'}\`: aws-cdk-lib's built-in template validation costs ~4 s and ~300 MB per process ` +
    'whatever the approach, a constant that would hide the differences. (x1.23) is the ratio to the floor.', '');

  out.push(`| N | mechanism | approach | ${COLUMNS.map(c => c.title).join(' | ')} | k8s YAML KB | runs |`);
  out.push(`|--:|---|---|${COLUMNS.map(() => '--:').join('|')}|--:|--:|`);
  for (const r of rows) {
    const f = figures.get(r)!;
    const base = floorOf(r);
    const cells = COLUMNS.map(c => {
      const value = fmt(f[c.key], c.digits);
      const flag = c.key === 'resources' && Math.max(...r.runs.map(m => m.maxStackResources)) > STACK_LIMIT ? ' ⚠' : '';
      return r.approach === floor ? value + flag : `${value}${flag} (${ratio(f[c.key], base[c.key], c.digits)})`;
    });
    out.push(`| ${r.n} | ${r.mechanism} | ${r.approach} | ${cells.join(' | ')} | ${fmt(f.manifestKb, 1)} | ${r.runs.length} |`);
  }
  out.push('', `⚠ over CloudFormation's ${STACK_LIMIT} resources per stack: deployable only split across stacks ` +
    '(measured with `@aws-cdk/core:stackResourceLimit` off, for every approach alike).', '');

  out.push(`## The library against the floor (target: every figure within ${TARGET}x, no Lambda)`, '');
  for (const r of rows.filter(x => x.approach === 'library')) {
    const f = figures.get(r)!;
    const base = floorOf(r);
    const over = COLUMNS.filter(c => base[c.key] === 0 ? f[c.key] > 0 : f[c.key] / base[c.key] > TARGET)
      .map(c => `${c.title} ${ratio(f[c.key], base[c.key], c.digits)}`);
    const yardsticks = ['l1-nested', 'l2-reference'].flatMap(name => {
      const y = rows.find(x => x.n === r.n && x.mechanism === r.mechanism && x.approach === name);
      return y ? [`x${fmt(f.msPerWorkload / figures.get(y)!.msPerWorkload, 2)} ${name}'s`] : [];
    });
    out.push(`- N=${r.n}, ${r.mechanism}: ${over.length === 0 ? 'within target' : `over target: ${over.join(', ')}`}` +
      `${f.lambdas === 0 ? '' : ` (${f.lambdas} Lambdas)`}${yardsticks.length ? `; time ${yardsticks.join(', ')}` : ''}.`);
  }
  out.push('');

  out.push('## Where the time goes (median ms per workload)', '');
  out.push('Module loading is per process, not per workload, and not in the totals.', '');
  out.push('| N | mechanism | approach | construct | CDK synth | cdk8s synth | total | total, min-max of the runs | module loading (ms, once) |');
  out.push('|--:|---|---|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    const per = (pick: (m: Measurement) => number) => fmt(median(r.runs.map(pick)) / r.n, 2);
    out.push(`| ${r.n} | ${r.mechanism} | ${r.approach} | ${per(m => m.constructMs)} | ${per(m => m.awsSynthMs)} | ${per(m => m.k8sSynthMs)} | ${per(m => m.totalMs)} | ${spread(r)} | ${fmt(median(r.runs.map(m => m.importMs)), 0)} |`);
  }
  out.push('');

  const smallest = Math.min(...rows.map(r => r.n));
  out.push(`## Resources by type (N=${smallest})`, '');
  for (const r of rows.filter(x => x.n === smallest)) {
    const types = Object.entries(r.runs[0].resourceTypes).map(([t, c]) => `${t} ${c}`).join(', ');
    const assets = r.runs[0].assetBytes > 0 ? `; ${fmt(r.runs[0].assetBytes / 1024 / 1024, 1)} MB of assets staged per synth` : '';
    out.push(`- ${r.mechanism}, ${r.approach}: ${types}${assets}`);
  }
  out.push('');
  return out.join('\n');
}

/** How far the runs spread: a ratio inside this band is noise from the shared machine. */
function spread(r: Row): string {
  const totals = r.runs.map(m => m.totalMs / r.n);
  return `${fmt(Math.min(...totals), 2)}-${fmt(Math.max(...totals), 2)}`;
}

function describeBaseline(rows: Row[]): string {
  const approaches = [...new Set(rows.map(r => r.approach))];
  return approaches.map(a => {
    const mb = median(rows.filter(r => r.approach === a).flatMap(r => r.runs.map(m => m.rssAfterImportKb))) / 1024;
    return `${a} ${mb.toFixed(0)} MB`;
  }).join(', ');
}

function figuresOf(r: Row): Figures {
  const runs = r.runs;
  const once = runs[0];
  for (const m of runs) {
    if (m.resources !== once.resources || m.templateBytes !== once.templateBytes) {
      throw new Error(`${r.approach} ${r.mechanism} N=${r.n} synthesized different output in two runs (${m.resources} vs ${once.resources} resources).`);
    }
  }
  return {
    msPerWorkload: median(runs.map(m => m.totalMs)) / r.n,
    peakMb: median(runs.map(m => m.maxRssKb)) / 1024,
    resources: once.resources,
    templateKb: once.templateBytes / 1024,
    lambdas: once.lambdas,
    customResources: once.customResources,
    manifestKb: once.manifestBytes / 1024,
  };
}

function ratio(value: number, floor: number, digits: number): string {
  if (floor === 0) { return value === 0 ? 'x1.00' : `+${fmt(value, digits)}`; }
  return `x${(value / floor).toFixed(2)}`;
}

function fmt(value: number, digits: number): string {
  return value.toFixed(digits);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function version(pkg: string): string {
  try {
    return require(`${pkg}/package.json`).version;
  } catch {
    return 'unknown';
  }
}
