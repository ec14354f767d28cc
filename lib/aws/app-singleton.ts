import { Construct, IConstruct } from 'constructs';

/**
 * The one construct of type `T` with this id in `scope`'s app: a child of the
 * construct tree's root, created on first use. Holds app-wide state (which
 * ServiceAccounts are bound, which clusters were noted) without module globals.
 */
export function appSingleton<T extends Construct>(scope: IConstruct, id: string, type: new (scope: Construct, id: string) => T): T {
  const root = scope.node.root as Construct;
  const existing = root.node.tryFindChild(id);
  return existing instanceof type ? existing : new type(root, id);
}
