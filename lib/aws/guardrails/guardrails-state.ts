import { App, Aspects, attachCustomSynthesis, IAspect, IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { AwsSynthRecord, newAwsSynthRecord } from '../../core/synth-order';

const STATE_ID = 'WorkloadIdentityGuardrailsState';

/** The default guardrails, as the hidden state runs them. */
export interface DefaultPlugin extends IPolicyValidationPlugin {
  /**
   * Evaluates the app's templates as written: true when the guardrails would
   * hand aws-cdk-lib nothing, whichever stacks explicit instances check.
   */
  _nothingToReport(app: App): boolean;
}

/**
 * The guardrails' state for one app, held by one hidden construct under the
 * app's root (no module-level registries): the default plugin, whether any
 * construct is marked with a runtime, and the stacks explicitly registered
 * plugins checked in the current synthesis.
 */
export class GuardrailsState extends Construct {
  /** The state of the app of `scope`, if the guardrails touched it. */
  public static find(scope: IConstruct): GuardrailsState | undefined {
    const child = scope.node.root.node.tryFindChild(STATE_ID);
    return child instanceof GuardrailsState ? child : undefined;
  }

  /** The state of the app of `scope`, created on first use. */
  public static of(scope: IConstruct): GuardrailsState {
    return GuardrailsState.find(scope) ?? new GuardrailsState(scope.node.root, STATE_ID);
  }

  /** Whether some construct of the app is marked with a runtime. */
  public hasRuntimeMarks = false;
  /** The app's synthesis as the bindings it hands out carry it to WorkloadOutputs.synth (filled in by validate). */
  private record?: AwsSynthRecord;
  /** Construct paths of the stacks that explicitly registered plugins checked in this synthesis. */
  public readonly coveredStacks = new Set<string>();
  private defaultPlugin?: DefaultPlugin;
  private registered = false;

  /** The app's synthesis as the bindings it hands out carry it to WorkloadOutputs.synth (filled in by validate). */
  public get synthRecord(): AwsSynthRecord {
    return this.record ??= newAwsSynthRecord(appDescription(this.node.root));
  }

  /**
   * Turns the default guardrails on for the app, once. When synthesis starts
   * (an aspect runs then) they join the app's synthesis, after every stack
   * and nested Stage has written its templates; there they evaluate the app
   * and become a validation plugin only when they have something to report.
   * A plugin makes aws-cdk-lib build its construct tree and write
   * validation-report.json, which cost as much as the rules at a thousand
   * workloads, for a report that would list nothing of theirs. Registered,
   * they come after every plugin the user registered, so aws-cdk-lib runs
   * them last and they can leave out the stacks those plugins checked.
   * Returns the record bindings carry, when the app's synth will fill it in
   * (its root is a Stage, where the guardrails run).
   */
  public enableDefault(create: () => DefaultPlugin): AwsSynthRecord | undefined {
    const root = this.node.root;
    if (this.defaultPlugin) { return this.synthRecord; }
    if (!Stage.isStage(root)) { return undefined; }
    const plugin = create();
    this.defaultPlugin = plugin;
    let started = false;
    const aspect: IAspect = {
      visit: () => {
        if (started) { return; }
        started = true;
        if (!App.isApp(root) || !joinSynthesis(root, () => this.settleDefault(root))) { this.registerDefault(); }
      },
    };
    Aspects.of(this).add(aspect);
    return this.synthRecord;
  }

  /**
   * At the end of the app's synthesis, before aws-cdk-lib runs the plugins:
   * the default becomes a plugin unless it has nothing to report. Once a
   * plugin, it stays one (aws-cdk-lib keeps its plugins for a later synth).
   */
  private settleDefault(app: App): void {
    // Explicit instances of an earlier synthesis the default did not run in.
    this.coveredStacks.clear();
    let quiet = false;
    try {
      quiet = this.defaultPlugin!._nothingToReport(app);
    } catch {
      // As a plugin it fails the same way, and aws-cdk-lib reports that as before.
    }
    if (quiet && !this.registered) {
      // What validate records for a report with nothing in it.
      this.synthRecord.validated = true;
      return;
    }
    this.registerDefault();
  }

  private registerDefault(): void {
    if (this.registered) { return; }
    this.registered = true;
    Validations.of(this.node.root).addPlugins(this.defaultPlugin!);
  }
}

/**
 * Runs `onSynthesize` when aws-cdk-lib synthesizes the app itself: its
 * synthesis visits the construct tree children first and the app last, after
 * every stack wrote its template (nested Stages synthesize before that), and
 * then runs the validation plugins, reading the app's plugins only then
 * (aws-cdk-lib 2.276.0, core/lib/private/synthesis.js). A construct holds one
 * custom synthesis: false if the app already has one.
 */
function joinSynthesis(app: App, onSynthesize: () => void): boolean {
  try {
    attachCustomSynthesis(app, { onSynthesize });
    return true;
  } catch {
    return false;
  }
}

/** The app, as an error names it: by the folder its synth writes. */
function appDescription(root: IConstruct): string {
  const outdir = Stage.isStage(root) ? root.outdir : undefined;
  return outdir ? `the CDK app writing '${outdir}'` : 'the CDK app';
}
