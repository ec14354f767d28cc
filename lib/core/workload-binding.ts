import { FargateProfileSelector } from './fargate-selector';
import { IdentityMechanism } from './identity-mechanism';
import { MechanismMigration } from './migration-phase';

/** The IRSA settings a ServiceAccount carries (as `eks.amazonaws.com/*` annotations). */
export interface IrsaServiceAccountSettings {
  /**
   * The token audience, when not the default.
   *
   * @default 'sts.amazonaws.com' (no annotation)
   */
  readonly audience?: string;

  /**
   * Whether the SDK calls the regional STS endpoint.
   *
   * @default - no annotation; the webhook's default applies
   */
  readonly stsRegionalEndpoints?: boolean;

  /**
   * Lifetime of the projected token in seconds, at least 3600.
   *
   * @default - no annotation; the webhook's default (86400) applies
   */
  readonly tokenExpirationSeconds?: number;
}

/**
 * The contract between the AWS side and the Kubernetes side: which
 * ServiceAccount, on which cluster, gets which role by which mechanism. It is
 * intent: the Kubernetes side renders the annotations from it.
 *
 * Plain, JSON-serializable data. The Kubernetes side takes every name from it,
 * so the ServiceAccount always matches the trust policy and the association.
 */
export interface WorkloadBinding {
  /** Name of the cluster the ServiceAccount lives in. */
  readonly clusterName: string;

  /**
   * ARN of the EKS cluster: tells same-named clusters in other accounts or regions apart.
   *
   * @default - not known as a literal (a cluster that is not EKS, or whose ARN is a token)
   */
  readonly clusterArn?: string;

  /** Namespace of the ServiceAccount. */
  readonly namespace: string;

  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;

  /** How the pod gets the role's credentials. */
  readonly mechanism: IdentityMechanism;

  /**
   * ARN of the role; required when the mechanism uses IRSA (the ServiceAccount carries it).
   *
   * @default - unknown at synth time (Pod Identity in an environment-agnostic stack)
   */
  readonly roleArn?: string;

  /**
   * IRSA settings of the ServiceAccount; only with a mechanism that uses IRSA.
   *
   * @default - audience sts.amazonaws.com, the webhook's defaults
   */
  readonly irsa?: IrsaServiceAccountSettings;

  /**
   * The staged migration the ServiceAccount is in; the ServiceAccount shows it
   * as the annotation `cdk-eks-workload-identity/migration`. `mechanism` is
   * what its phase wires (e.g. BOTH when switched to Pod Identity).
   *
   * @default - no migration
   */
  readonly migration?: MechanismMigration;

  /**
   * The subject pattern the role's trust admits this ServiceAccount by
   * (`pr-*` then `/web`: namespace and name, either a pattern), when it is a
   * match of a pattern (`WorkloadIdentity.addPatternMatch`). The
   * ServiceAccount shows it as the annotation `cdk-eks-workload-identity/subject-pattern`.
   *
   * @default - bound by its exact name
   */
  readonly subjectPattern?: string;

  /**
   * The cluster's Fargate profile selectors that match the ServiceAccount's
   * namespace. Pods they select run on Fargate, where Pod Identity gives no
   * credentials: the Kubernetes guardrails (WI-K8S-7) refuse a pod they
   * select whose ServiceAccount uses Pod Identity.
   *
   * @default - none: the namespace's pods run on nodes
   */
  readonly fargateSelectors?: FargateProfileSelector[];

  /**
   * Why the ServiceAccount has its mechanism, where Fargate decided or
   * constrains it; the ServiceAccount shows it as the annotation
   * `cdk-eks-workload-identity/mechanism-reason`.
   *
   * @default - none: the mechanism was declared, or is the cluster's default
   */
  readonly mechanismReason?: string;
}
