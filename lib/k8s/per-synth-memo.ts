/**
 * The result of a validation over the whole cdk8s app, kept for the rest of
 * one `App.synth()` (or `App.synthYaml()`).
 *
 * cdk8s validates every construct of the app when it starts synthesizing,
 * and again before it renders each chart (`App.synth` calls `Chart.toJson`,
 * which validates the whole app): a validation that reads the whole app is
 * paid once per chart, quadratic in an app with one chart per team. Between
 * those passes of one synthesis only cdk8s's rendering runs, so the first
 * pass's result holds for the later ones. A validation anywhere else (a
 * `Chart.toJson()` or `Testing.synth(chart)` of the user's, between which the
 * app may change) is computed afresh, as is every pass when the call stack
 * does not show cdk8s's synthesis (a bundled cdk8s, a later cdk8s that
 * synthesizes another way): slower, never stale.
 */
export class PerSynthMemo<T> {
  private kept?: { readonly result: T; readonly synth: string; readonly tick: object };
  private tick?: object;

  /** The result of this synthesis's first pass, or `compute()`'s. */
  public get(compute: () => T): T {
    const pass = currentPass();
    const kept = this.kept;
    if (pass.kind === 'repeat' && kept && kept.synth === pass.synth && kept.tick === this.tick) { return kept.result; }
    this.kept = undefined;
    const result = compute();
    if (pass.kind === 'first') { this.kept = { result, synth: pass.synth, tick: this.currentTick() }; }
    return result;
  }

  /** An object that stays the same until the current synchronous run ends (App.synth is synchronous). */
  private currentTick(): object {
    if (!this.tick) {
      const tick = {};
      this.tick = tick;
      queueMicrotask(() => { if (this.tick === tick) { this.tick = undefined; } });
    }
    return this.tick;
  }
}

type Pass = { readonly kind: 'first' | 'repeat'; readonly synth: string } | { readonly kind: 'other' };

/** cdk8s's `lib/app.js`, where App.synth, App.synthYaml, App._synthChart and its validate() live. */
const CDK8S_APP_FILE = /[\\/]cdk8s[\\/]lib[\\/]app\.js$/;
const APP_SYNTHS = new Set(['synth', 'synthYaml']);
/** Deep enough for validate, Node.validate, the validations, _synthChart, Chart.toJson and App.synth. */
const FRAMES = 40;

/**
 * Which validation pass of cdk8s runs now: the first of an App.synth /
 * synthYaml (called from it directly), a later one of the same synthesis
 * (from `_synthChart`, under the same App.synth frame: `synth` names the
 * callers of that frame), or another.
 */
function currentPass(): Pass {
  const sites = callSites();
  const i = sites.findIndex(s => CDK8S_APP_FILE.test(s.getFileName() ?? '') && s.getFunctionName() !== 'validate');
  if (i < 0) { return { kind: 'other' }; }
  const caller = sites[i].getFunctionName() ?? '';
  if (APP_SYNTHS.has(caller)) { return { kind: 'first', synth: stackFrom(sites, i) }; }
  if (caller !== '_synthChart') { return { kind: 'other' }; }
  const j = sites.findIndex((s, k) => k > i && CDK8S_APP_FILE.test(s.getFileName() ?? '') && APP_SYNTHS.has(s.getFunctionName() ?? ''));
  return j < 0 ? { kind: 'other' } : { kind: 'repeat', synth: stackFrom(sites, j) };
}

/** The callers of the App.synth frame at `index`: the same for every pass of one call. */
function stackFrom(sites: NodeJS.CallSite[], index: number): string {
  return sites.slice(index + 1).map(s => `${s.getFileName()}:${s.getLineNumber()}:${s.getColumnNumber()}`).join('\n');
}

/** The call stack as V8 call sites, whatever formatter and limit the app set (restored after). */
function callSites(): NodeJS.CallSite[] {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = FRAMES;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callSites);
    return Array.isArray(holder.stack) ? holder.stack as NodeJS.CallSite[] : [];
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}
