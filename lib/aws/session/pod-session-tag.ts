/**
 * A session tag EKS Pod Identity attaches to every role session it starts
 * (EKS user guide, pod-id-abac): in a permission policy it is the principal
 * tag `aws:PrincipalTag/<key>`, so one shared role can give each pod only
 * what its own cluster, namespace or ServiceAccount owns.
 *
 * IRSA sessions carry none of them, nor do associations with session tags
 * disabled: `WorkloadIdentity.sessionTag` refuses those at synth.
 */
export class PodSessionTag {
  /** `eks-cluster-arn`: the ARN of the pod's cluster. */
  public static readonly CLUSTER_ARN = new PodSessionTag('eks-cluster-arn');
  /** `eks-cluster-name`: the name of the pod's cluster. */
  public static readonly CLUSTER_NAME = new PodSessionTag('eks-cluster-name');
  /** `kubernetes-namespace`: the pod's namespace. */
  public static readonly NAMESPACE = new PodSessionTag('kubernetes-namespace');
  /** `kubernetes-service-account`: the pod's ServiceAccount. */
  public static readonly SERVICE_ACCOUNT = new PodSessionTag('kubernetes-service-account');
  /** `kubernetes-pod-name`: the pod's name. */
  public static readonly POD_NAME = new PodSessionTag('kubernetes-pod-name');
  /** `kubernetes-pod-uid`: the pod's UID. */
  public static readonly POD_UID = new PodSessionTag('kubernetes-pod-uid');

  private constructor(
    /** The tag key EKS sends, e.g. `kubernetes-namespace`. */
    public readonly key: string) {}

  /** The condition key of the tag on the session: `aws:PrincipalTag/<key>`. */
  public get principalTagKey(): string {
    return `aws:PrincipalTag/${this.key}`;
  }

  /** The IAM policy variable for the tag's value, e.g. `${aws:PrincipalTag/kubernetes-namespace}`. */
  public get policyVariable(): string {
    return `\${${this.principalTagKey}}`;
  }

  /**
   * A condition that the resource carries the same tag value as the session,
   * e.g. a secret tagged `kubernetes-namespace=payments` for pods of namespace
   * `payments` only: `{ StringEquals: { 'aws:ResourceTag/<key>': '${aws:PrincipalTag/<key>}' } }`.
   *
   * @param resourceTagKey the resource's tag key, if it differs from the session tag's
   */
  public resourceTagCondition(resourceTagKey?: string): { [operator: string]: any } {
    return { StringEquals: { [`aws:ResourceTag/${resourceTagKey ?? this.key}`]: this.policyVariable } };
  }
}
