import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { describeFargateSelector, fargatePlacement, FargatePlacement, FargateProfileSelector, validateFargateSelectors } from '../../core/fargate-selector';
import { WorkloadIdentityError } from '../../core/validation-error';

/** What the profiles read of their cluster handle (no import of the handle's interface, which names this class). */
export interface FargateProfilesHandle extends IConstruct {
  readonly kind: ClusterKind;
  readonly _literalClusterName?: string;
}

/**
 * The Fargate profiles of a cluster as one handle knows them: the selectors
 * it was given (`fargateProfileSelectors`), its owner's, and those of the
 * aws-eks-v2 `FargateProfile`s of a cluster created in the app. Where a
 * subject's mechanism is decided from them, the decision is recorded: a
 * profile read only later that would have changed it fails the synth.
 */
export class FargateProfiles {
  private declared: FargateProfileSelector[] = [];
  /** The owner's profiles, for a handle handed an owner. */
  private owner?: FargateProfiles;
  /** The namespaces whose mechanism was decided from the selectors known then, checked again at synth. */
  private readonly decisions: { namespace: string; decidedFor: string; known: string[] }[] = [];
  /** The selectors of a handle that reads no cluster object's profiles, made on the first placement. */
  private given?: FargateProfileSelector[];

  /** @param cluster the aws-eks(-v2) cluster object the handle adapts, whose aws-eks-v2 profiles are read as they are when asked */
  constructor(private readonly handle: FargateProfilesHandle, private readonly cluster?: IConstruct) {}

  /** Takes the selectors the handle was given, checked now, and the owner's profiles of a handle handed an owner. */
  public declare(selectors: FargateProfileSelector[] | undefined, owner: FargateProfiles | undefined): void {
    this.owner = owner;
    if (selectors === undefined) { return; }
    const path = this.handle.node.path;
    validateFargateSelectors(selectors, `WorkloadCluster '${path}'`);
    if (this.handle.kind === ClusterKind.NOT_EKS && selectors.length > 0) {
      throw new WorkloadIdentityError(
        `WorkloadCluster '${path}' is NOT_EKS but has fargateProfileSelectors: Fargate profiles exist only on EKS clusters. ` +
        'Drop fargateProfileSelectors, or set kind to ClusterKind.EKS.', path);
    }
    this.declared = selectors.map(s => ({ profileName: s.profileName, namespace: s.namespace, ...(s.labels ? { labels: { ...s.labels } } : {}) }));
  }

  /** Every selector the handle knows now, each once. */
  public get selectors(): FargateProfileSelector[] {
    const all = [...this.declared, ...this.owner?.selectors ?? [], ...this.cluster ? eksV2FargateProfileSelectors(this.cluster, this.handle) : []];
    const seen = new Set<string>();
    return all.filter(s => {
      const key = selectorKey(s);
      return !seen.has(key) && seen.add(key) !== undefined;
    });
  }

  /**
   * Where the pods of `namespace` run as the selectors say (undefined while
   * the handle knows none), for the mechanism `decidedFor` gets: recorded.
   */
  public placement(namespace: string, decidedFor: string): FargatePlacement | undefined {
    if (!this.readsProfiles) {
      // Only given selectors (this handle's and its owners', fixed when each was constructed): none can come later,
      // so the decision needs no record, and the selectors are made once.
      const selectors = this.given ??= this.selectors;
      return selectors.length > 0 ? fargatePlacement(selectors, namespace) : undefined;
    }
    const selectors = this.selectors;
    if (this.decisions.length === 0) {
      this.handle.node.addValidation({ validate: () => this.lateProfiles() });
    }
    this.decisions.push({ namespace, decidedFor, known: selectors.map(selectorKey) });
    return selectors.length > 0 ? fargatePlacement(selectors, namespace) : undefined;
  }

  /**
   * Whether the selectors are read from a cluster object's aws-eks-v2
   * profiles (this handle's or an owner's), which may be added later: only
   * then can a decision be made without a profile that comes after it.
   */
  private get readsProfiles(): boolean {
    return this.cluster !== undefined || this.owner?.readsProfiles === true;
  }

  /**
   * A Fargate profile read after a subject's mechanism was decided (an
   * aws-eks-v2 profile added to the cluster after the identity) would have
   * changed it: the synth fails, naming both.
   */
  private lateProfiles(): string[] {
    const now = this.selectors;
    const cluster = this.handle._literalClusterName ?? this.handle.node.path;
    return this.decisions.flatMap(d => {
      const late = fargatePlacement(now.filter(s => !d.known.includes(selectorKey(s))), d.namespace);
      const selector = late.everyPod[0] ?? late.labelledPods[0];
      return selector ? [
        `${describeFargateSelector(selector)} of cluster '${cluster}' matches namespace '${d.namespace}', but it was added after the mechanism of ` +
        `${d.decidedFor} was decided without it. Add the Fargate profile to the cluster before the WorkloadIdentity that binds it, ` +
        `or pass its selectors to the handle (fargateProfileSelectors on '${this.handle.node.path}').`,
      ] : [];
    });
  }
}

/**
 * The selectors of the aws-eks-v2 `FargateProfile`s `cluster` holds
 * (`addFargateProfile`, a `FargateCluster`'s default profile), read from each
 * profile's `AWS::EKS::FargateProfile` as they are now.
 */
function eksV2FargateProfileSelectors(cluster: IConstruct, handle: IConstruct): FargateProfileSelector[] {
  return cluster.node.children.filter(c => jsiiFqn(c) === FARGATE_PROFILE).flatMap(profile => {
    const cfn = profile.node.defaultChild as { fargateProfileName?: string; selectors?: unknown } | undefined;
    const name = cfn?.fargateProfileName !== undefined && !Token.isUnresolved(cfn.fargateProfileName) ? cfn.fargateProfileName : profile.node.path;
    const selectors = Array.isArray(cfn?.selectors) ? cfn!.selectors as { namespace?: unknown; labels?: unknown }[] : [];
    return selectors.map(s => {
      const labels = Array.isArray(s.labels) ? Object.fromEntries((s.labels as { key: string; value: string }[]).map(l => [l.key, l.value])) : {};
      const namespace = s.namespace as string;
      if (typeof namespace !== 'string' || Token.isUnresolved(namespace) || Object.entries(labels).some(([k, v]) => Token.isUnresolved(k) || Token.isUnresolved(v))) {
        throw new WorkloadIdentityError(
          `Fargate profile '${profile.node.path}' of cluster '${cluster.node.path}' has a selector whose namespace or labels are tokens, so WorkloadCluster '${handle.node.path}' ` +
          'cannot tell which namespaces run on Fargate. Give the selector literal values.', handle.node.path);
      }
      return { profileName: name, namespace, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
    });
  });
}

/** Whether the cluster is a `FargateCluster` of aws-eks or aws-eks-v2 (Fargate only), by its class's jsii type name. */
export function isFargateCluster(cluster: IConstruct): boolean {
  const fqn = jsiiFqn(cluster);
  return fqn !== undefined && FARGATE_CLUSTERS.includes(fqn);
}

/** The jsii type names of aws-eks's and aws-eks-v2's Fargate-only clusters (read without loading either module). */
const FARGATE_CLUSTERS = ['aws-cdk-lib.aws_eks.FargateCluster', 'aws-cdk-lib.aws_eks_v2.FargateCluster'];

/** aws-eks-v2's Fargate profile, by its jsii type name. */
const FARGATE_PROFILE = 'aws-cdk-lib.aws_eks_v2.FargateProfile';

/** The jsii type name of a construct's class, if it has one. */
function jsiiFqn(construct: IConstruct): string | undefined {
  return (construct.constructor as unknown as Record<symbol, { fqn?: string } | undefined>)[Symbol.for('jsii.rtti')]?.fqn;
}

/** One selector as a comparable string. */
function selectorKey(s: FargateProfileSelector): string {
  return JSON.stringify([s.profileName, s.namespace, Object.entries(s.labels ?? {}).sort()]);
}
