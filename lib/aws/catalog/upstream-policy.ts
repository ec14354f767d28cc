/**
 * Where a catalog entry's permissions come from: the policy its owner
 * publishes (a controller's policy document, or an AWS managed policy), and
 * the version it was read at.
 */
export interface UpstreamPolicy {
  /** The policy's name, e.g. `AmazonEBSCSIDriverPolicy` or `iam_policy.json`. */
  readonly name: string;
  /** Where it is published. */
  readonly url: string;
  /** The version or commit it was read at. */
  readonly version: string;
  /**
   * The AWS managed policy AWS recommends for this workload, if there is one.
   *
   * @default - none
   */
  readonly awsManagedPolicyNames?: string[];
}
