/**
 * Upstream actions an entry does not grant by default, and why.
 */
export interface UpstreamOmission {
  /** The upstream actions left out, e.g. `['sqs:GetQueueUrl']`. */
  readonly actions: string[];
  /** Why they are left out. */
  readonly reason: string;
  /** The controller feature that does not work without them, e.g. `interruption handling`. */
  readonly feature: string;
  /**
   * The entry's option that grants them (for opt-in features and scoping inputs),
   * e.g. `interruptionQueue`.
   *
   * @default - none: no option adds them
   */
  readonly option?: string;
}

/** Actions an entry grants beyond its upstream policy, and why. */
export interface UpstreamAddition {
  /** The actions, e.g. `['kms:Decrypt']`. */
  readonly actions: string[];
  /** Why the controller needs them although upstream does not list them. */
  readonly reason: string;
}

/**
 * Where a catalog entry's permissions come from: the policy its owner
 * publishes (a controller's policy document, or an AWS managed policy) at a
 * pinned release, and how the entry differs from it. The catalog's tests keep
 * the published document of that release and diff the entry against it.
 */
export interface UpstreamPolicy {
  /** The policy's name, e.g. `AmazonEBSCSIDriverPolicy` or `iam_policy.json`. */
  readonly name: string;
  /** Where it is published (at the pinned release where the host allows). */
  readonly url: string;
  /** The controller release the policy was read at, e.g. `v1.14.1`. */
  readonly version: string;
  /**
   * The repository that publishes it, e.g. `aws/karpenter-provider-aws`.
   *
   * @default - none (AWS managed policies only)
   */
  readonly repository?: string;
  /**
   * The file (and section) in the repository.
   *
   * @default - none (AWS managed policies only)
   */
  readonly path?: string;
  /**
   * The tag or commit the file was read at.
   *
   * @default - `version`
   */
  readonly ref?: string;
  /**
   * The date of that tag or commit (ISO 8601, `YYYY-MM-DD`).
   *
   * @default - none
   */
  readonly date?: string;
  /**
   * The AWS managed policy AWS recommends for this workload, if there is one.
   *
   * @default - none
   */
  readonly awsManagedPolicyNames?: string[];
  /**
   * Upstream actions the entry leaves out, each with the reason and the feature it disables.
   *
   * @default - none: every upstream action is granted
   */
  readonly omitted?: UpstreamOmission[];
  /**
   * Actions the entry grants beyond upstream, each with the reason.
   *
   * @default - none
   */
  readonly additions?: UpstreamAddition[];
  /**
   * Where the entry's scoping is tighter than upstream's, and why (the
   * catalog's call evaluation shows the controller's normal calls still pass).
   *
   * @default - none
   */
  readonly narrowings?: string[];
}
