import { Aspects, IAspect, Stage, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { AwsSynthRecord, newAwsSynthRecord } from '../../core/synth-order';

const STATE_ID = 'WorkloadIdentityGuardrailsState';

/** What the validation plugin needs from its owner: the hidden state only holds it. */
export interface DefaultPlugin {
  readonly name: string;
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
  private defaultPlugin?: any;

  /** The app's synthesis as the bindings it hands out carry it to WorkloadOutputs.synth (filled in by validate). */
  public get synthRecord(): AwsSynthRecord {
    return this.record ??= newAwsSynthRecord(appDescription(this.node.root));
  }

  /**
   * Registers `plugin` as the app's default, once. It joins the app's plugins
   * when synthesis starts (an aspect runs then), after every plugin the user
   * registered, so aws-cdk-lib runs it last and it can leave out the stacks
   * those plugins checked. Returns the record bindings carry, when the app's
   * synth will fill it in (its root is a Stage, where the guardrails run).
   */
  public enableDefault(create: () => DefaultPlugin): AwsSynthRecord | undefined {
    const root = this.node.root;
    if (this.defaultPlugin) { return this.synthRecord; }
    if (!Stage.isStage(root)) { return undefined; }
    const plugin = create();
    this.defaultPlugin = plugin;
    let added = false;
    const aspect: IAspect = {
      visit: () => {
        if (added) { return; }
        added = true;
        Validations.of(root).addPlugins(plugin as any);
      },
    };
    Aspects.of(this).add(aspect);
    return this.synthRecord;
  }
}

/** The app, as an error names it: by the folder its synth writes. */
function appDescription(root: IConstruct): string {
  const outdir = Stage.isStage(root) ? root.outdir : undefined;
  return outdir ? `the CDK app writing '${outdir}'` : 'the CDK app';
}
