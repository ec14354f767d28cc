import * as path from 'path';

const WORKLOAD_IDENTITY_ERROR = Symbol.for('cdk-eks-workload-identity.WorkloadIdentityError');
// Frames inside the library (lib/, compiled or not): kept, after the user's frame, for bug reports.
const LIBRARY_DIR = path.resolve(__dirname, '..') + path.sep;

/**
 * The one error the library throws: an input cannot produce a consistent pair
 * of AWS and Kubernetes outputs. The message names the bad value and the fix;
 * `constructPath` names the construct, when there is one.
 *
 * jsii cannot export a subclass of `Error`: test for it with
 * `WorkloadIdentityErrors.isWorkloadIdentityError(e)`, as aws-cdk-lib's
 * `Errors.isValidationError(e)`.
 */
export class WorkloadIdentityError extends Error {
  /** Path of the construct the error is about, if any. */
  public readonly constructPath?: string;

  constructor(message: string, constructPath?: string) {
    super(message);
    Object.setPrototypeOf(this, WorkloadIdentityError.prototype);
    Object.defineProperty(this, WORKLOAD_IDENTITY_ERROR, { value: true });
    this.name = 'WorkloadIdentityError';
    this.constructPath = constructPath;
    this.stack = [`${this.name}: ${message}`, ...constructPath !== undefined ? [`    at construct '${constructPath}'`] : [], ...userFrameFirst(fullStack())].join('\n');
  }
}

/** The frames of the throw, deep enough to reach the user's code through the library's (the default keeps 10). */
function fullStack(): string[] {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, 100);
  Error.captureStackTrace(holder, WorkloadIdentityError);
  Error.stackTraceLimit = limit;
  return (holder.stack ?? '').split('\n').slice(1);
}

/**
 * The user's frame first (the first outside the library, node and node_modules: where the bad value came from),
 * then the library's frames down to it (what a bug report needs), then the rest.
 */
function userFrameFirst(frames: string[]): string[] {
  const user = frames.findIndex(line => !line.includes(LIBRARY_DIR) && !line.includes('node:internal') && !line.includes(`${path.sep}node_modules${path.sep}`));
  return user <= 0 ? frames : [frames[user], ...frames.slice(0, user), ...frames.slice(user + 1)];
}

/** Tells the library's errors apart from others. */
export class WorkloadIdentityErrors {
  /** Whether `x` is an error thrown by this library (a bad input, named in its message). */
  public static isWorkloadIdentityError(x: any): x is WorkloadIdentityError {
    return x !== null && typeof x === 'object' && WORKLOAD_IDENTITY_ERROR in x;
  }

  /** The path of the construct a library error is about, if it names one. */
  public static constructPathOf(x: any): string | undefined {
    return WorkloadIdentityErrors.isWorkloadIdentityError(x) ? x.constructPath : undefined;
  }

  private constructor() {}
}

/**
 * The path of construct `id` under `scope`, known before it is constructed
 * (for checks made before `super()`, or by a factory around `new`).
 */
export function childPath(scope: { readonly node: { readonly path: string } }, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/**
 * Runs `check` for the construct at `constructPath`: a library error that
 * names no construct (a value checked before the construct exists, such as a
 * binding's cluster name or namespace) is thrown again naming it, so
 * `WorkloadIdentityErrors.constructPathOf(e)` finds the construct.
 */
export function atConstruct<T>(constructPath: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw namingConstruct(e, constructPath);
  }
}

/**
 * `e`, naming the construct at `constructPath` if it is a library error that
 * names none: for a construct whose whole constructor is one `try`, so the
 * happy path calls nothing here.
 */
export function namingConstruct(e: unknown, constructPath: string): unknown {
  return WorkloadIdentityErrors.isWorkloadIdentityError(e) && e.constructPath === undefined ? new WorkloadIdentityError(e.message, constructPath) : e;
}
