import { Construct, IConstruct } from 'constructs';

const STATE_ID = 'cdk-eks-workload-identity.AppState';

/** What the app knows of one cluster: its first handle, and the handle that owns its pieces, if any. */
export interface ClusterEntry {
  readonly first: IConstruct;
  readonly owner?: IConstruct;
  /** What the owner owns, for messages (createOpenIdConnectProvider, installPodIdentityAgent, ...). */
  readonly owns?: string;
}

/**
 * The library's state for one app, held by one hidden construct, a child of
 * the construct tree's root (no module globals): the handles of each cluster
 * (who owns it), and which identity binds each ServiceAccount.
 */
export class AppState extends Construct {
  /** The app's state, created on first use. */
  public static of(scope: IConstruct): AppState {
    const root = scope.node.root as Construct;
    const existing = root.node.tryFindChild(STATE_ID);
    return existing instanceof AppState ? existing : new AppState(root, STATE_ID);
  }

  /** By cluster key (account/region/name, or the created cluster's resource). */
  public readonly clusters = new Map<string, ClusterEntry>();
  /** The path of the identity that binds each cluster key|namespace|ServiceAccount. */
  public readonly boundSubjects = new Map<string, string>();
  /** The subject patterns of each cluster key, with the path of the identity that declared each. */
  public readonly boundPatterns = new Map<string, Array<{ readonly namespace: string; readonly serviceAccountName: string; readonly owner: string }>>();
  /** The first handle that stated each literal OIDC issuer (without https://): an issuer is one cluster's. */
  public readonly issuers = new Map<string, IConstruct>();
}
