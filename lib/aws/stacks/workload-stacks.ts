import { CfnResource, Stack, StackProps } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';

/** CloudFormation's quota on resources per stack (not adjustable). */
const CLOUDFORMATION_MAX_RESOURCES = 500;
/** The default budget: a fifth of the quota stays free for the user's own resources. */
const DEFAULT_MAX_RESOURCES = 400;

/** Props of `WorkloadStacks`. */
export interface WorkloadStacksProps {
  /**
   * How many resources this helper puts in one stack before it starts the
   * next one. The rest of CloudFormation's 500 stays free for resources you
   * add to a stack yourself (CloudFormation refuses a stack over 500).
   *
   * @default 400
   */
  readonly maxResourcesPerStack?: number;

  /**
   * Properties of every stack created: environment, tags, synthesizer,
   * termination protection, description. Not `stackName`: each stack gets
   * its own name from its construct path.
   *
   * @default - the defaults of `Stack`
   */
  readonly stackProps?: StackProps;
}

/**
 * Hands out stacks for many workloads so that none exceeds CloudFormation's
 * 500 resources, without the arithmetic: `stackWithRoom()` returns the
 * current stack while it has room for one more workload, and a new stack
 * otherwise. It counts the resources each workload actually declared, so
 * grants, extra subjects and your own resources per workload are included.
 *
 * Keep the cluster handles (`WorkloadCluster`) in a stack of their own: the
 * cluster-wide pieces (OIDC provider, Pod Identity agent) are declared there
 * once, and the identities in these stacks reference them across stacks.
 *
 * Workloads fill the stacks in the order they are declared: add new ones at
 * the end, or give each team its own `WorkloadStacks`, since a workload that
 * moves to another stack is replaced (its role is deleted and created again).
 *
 * @example
 * const stacks = new WorkloadStacks(app, 'Workloads', { stackProps: { env } });
 * for (const w of workloads) {
 *   const identity = new WorkloadIdentity(stacks.stackWithRoom(), w.name, { cluster, namespace: w.namespace, serviceAccountName: w.name });
 *   bucket.grantRead(identity);
 * }
 */
export class WorkloadStacks extends Construct {
  /** The most resources this helper puts in one stack. */
  public readonly maxResourcesPerStack: number;

  private readonly stackProps: StackProps;
  private readonly _stacks: Stack[] = [];
  /** Resources counted in the current stack. */
  private used = 0;
  /** How many of the current stack's children are counted in `used`. */
  private countedChildren = 0;
  /** The most resources one workload (one hand-out) declared so far. */
  private largestWorkload = 0;

  constructor(scope: Construct, id: string, props: WorkloadStacksProps = {}) {
    super(scope, id);
    const max = props.maxResourcesPerStack ?? DEFAULT_MAX_RESOURCES;
    if (!Number.isInteger(max) || max < 1 || max > CLOUDFORMATION_MAX_RESOURCES) {
      throw new WorkloadIdentityError(
        `WorkloadStacks '${this.node.path}' has maxResourcesPerStack ${max}: it must be a whole number from 1 to ${CLOUDFORMATION_MAX_RESOURCES} (CloudFormation's quota per stack).`, this.node.path);
    }
    if (props.stackProps?.stackName !== undefined) {
      throw new WorkloadIdentityError(
        `WorkloadStacks '${this.node.path}' has stackProps.stackName '${props.stackProps.stackName}', which every stack would share. ` +
        'Leave it out: each stack is named from its construct path; choose the id of WorkloadStacks to choose the names.', this.node.path);
    }
    const enclosing = this.node.scopes.find(s => s !== this && Stack.isStack(s));
    if (enclosing) {
      throw new WorkloadIdentityError(
        `WorkloadStacks '${this.node.path}' is inside stack '${enclosing.node.path}', but it creates stacks. Create it in the App (or a Stage).`, this.node.path);
    }
    this.maxResourcesPerStack = max;
    this.stackProps = props.stackProps ?? {};
  }

  /** The stacks handed out so far, in order. */
  public get stacks(): Stack[] {
    return [...this._stacks];
  }

  /**
   * A stack with room for one more workload: the current one, or a new one
   * when the current one could not hold another workload as large as the
   * largest so far. Call it once per workload, and declare the workload's
   * grants before the next call, so that they count where they land.
   */
  public stackWithRoom(): Stack {
    const current = this._stacks[this._stacks.length - 1];
    if (current) {
      const added = this.countNewChildren(current);
      this.largestWorkload = Math.max(this.largestWorkload, added);
      if (this.used + this.largestWorkload > this.maxResourcesPerStack) {
        // The estimate says full: count the whole stack once, in case resources
        // were added to earlier workloads too, and decide on the exact figure.
        this.used = countResources(current);
      }
      if (this.used + this.largestWorkload <= this.maxResourcesPerStack) {
        return current;
      }
    }
    return this.newStack();
  }

  private newStack(): Stack {
    const stack = new Stack(this, `Stack${this._stacks.length + 1}`, this.stackProps);
    stack.node.addValidation({ validate: () => this.validateStack(stack) });
    this._stacks.push(stack);
    this.used = 0;
    this.countedChildren = 0;
    return stack;
  }

  /**
   * The resources declared in `stack` since the last count. Usually they sit
   * under children added since then, which is cheap to count; a workload
   * declared under an existing child (a team's construct, say) needs a count
   * of the whole stack.
   */
  private countNewChildren(stack: Stack): number {
    const children = stack.node.children;
    let added = 0;
    for (let i = this.countedChildren; i < children.length; i++) {
      added += countResources(children[i]);
    }
    this.countedChildren = children.length;
    if (added === 0) {
      added = countResources(stack) - this.used;
    }
    this.used += added;
    return added;
  }

  /**
   * aws-cdk-lib refuses a stack over the quota too, but only this helper
   * knows why it happened and what to change.
   */
  private validateStack(stack: Stack): string[] {
    const count = countResources(stack);
    if (count <= CLOUDFORMATION_MAX_RESOURCES) { return []; }
    return [`Stack '${stack.node.path}' holds ${count} resources; CloudFormation accepts ${CLOUDFORMATION_MAX_RESOURCES} per stack. ` +
      `WorkloadStacks placed its workloads within ${this.maxResourcesPerStack}, so resources were added to them after it handed out the next stack ` +
      '(for example grants made in a later loop). Declare each workload\'s grants before the next stackWithRoom() call, or lower maxResourcesPerStack.'];
  }
}

/** CloudFormation resources declared under `root`, not counting those of nested stacks. */
function countResources(root: IConstruct): number {
  let count = 0;
  const pending: IConstruct[] = [root];
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (CfnResource.isCfnResource(c)) { count++; }
    for (const child of c.node.children) {
      // A nested stack is one resource here; its own resources are in its own template.
      if (!Stack.isStack(child)) { pending.push(child); }
    }
  }
  return count;
}
