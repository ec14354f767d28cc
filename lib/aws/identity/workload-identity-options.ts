import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { MechanismMigration } from '../../core/migration-phase';
import { IWorkloadCluster } from '../cluster/i-workload-cluster';

/** A ServiceAccount on a cluster. */
export interface ClusterServiceAccount {
  /** The cluster the ServiceAccount lives in. */
  readonly cluster: IWorkloadCluster;
  /** Namespace of the ServiceAccount (an RFC 1123 label). */
  readonly namespace: string;
  /** Name of the ServiceAccount (an RFC 1123 subdomain). */
  readonly serviceAccountName: string;
}

/** One more ServiceAccount that may use an identity's role (`WorkloadIdentity.addSubject`). */
export interface ServiceAccountSubject extends ClusterServiceAccount {
  /**
   * How pods of this ServiceAccount get the role.
   *
   * @default - the identity's `mechanism`, else the cluster's default (EKS: Pod Identity; not EKS: IRSA)
   */
  readonly mechanism?: IdentityMechanism;

  /**
   * This ServiceAccount's own staged migration between IRSA and Pod Identity
   * (clusters move one at a time). A `mechanism` beside it must be the one
   * it starts from.
   *
   * @default - the identity's `migration` if this subject names no `mechanism` of its own, else none
   */
  readonly migration?: MechanismMigration;
}

/**
 * Patterns of namespaces or ServiceAccount names (IAM `StringLike`: `*` any
 * characters, `?` one), for preview environments (`pr-*`) or tenants
 * (`team-*`). Each needs a literal prefix ending in `-` (or `.` in a name),
 * stays on its side of the namespace/name separator, and never matches the
 * cluster's own namespaces (`kube-*`, `default`): bind those by exact name.
 */
export interface SubjectPatternOptions {
  /**
   * The namespaces admitted, as a pattern such as `pr-*`, instead of `namespace`.
   *
   * @default - the exact `namespace`
   */
  readonly namespacePattern?: string;

  /**
   * The ServiceAccount names admitted, as a pattern such as `runner-*`,
   * instead of `serviceAccountName`.
   *
   * @default - the exact `serviceAccountName`
   */
  readonly serviceAccountPattern?: string;
}

/**
 * ServiceAccounts matching a pattern on a cluster, that may use an identity's
 * role (`WorkloadIdentity.addSubjectPattern`). Give `namespace` or
 * `namespacePattern`, `serviceAccountName` or `serviceAccountPattern`, at
 * least one a pattern.
 */
export interface ServiceAccountPatternSubject extends SubjectPatternOptions {
  /** The cluster the ServiceAccounts live in. */
  readonly cluster: IWorkloadCluster;

  /**
   * The exact namespace, when only the name is a pattern.
   *
   * @default - none: `namespacePattern` is required
   */
  readonly namespace?: string;

  /**
   * The exact ServiceAccount name, when only the namespace is a pattern.
   *
   * @default - none: `serviceAccountPattern` is required
   */
  readonly serviceAccountName?: string;

  /**
   * How pods of the matching ServiceAccounts get the role: IRSA trusts the
   * pattern (`StringLike` on `<issuer>:sub`) and needs nothing per
   * ServiceAccount in AWS; Pod Identity trusts the pattern on the session
   * tags and gets one association per match declared with `addPatternMatch`.
   *
   * @default - the identity's `mechanism`, else the cluster's default (EKS: Pod Identity; not EKS: IRSA)
   */
  readonly mechanism?: IdentityMechanism;
}

/** IRSA settings, written as ServiceAccount annotations and into the trust policy. */
export interface IrsaOptions {
  /**
   * The token audience: the trust policy's `<issuer>:aud` and the
   * `eks.amazonaws.com/audience` annotation. A provider declared in this app
   * (this library's, or an aws-eks-v2 cluster's own native one) lists it as a
   * client id; an imported provider must already.
   *
   * @default 'sts.amazonaws.com'
   */
  readonly audience?: string;

  /**
   * Annotates `eks.amazonaws.com/sts-regional-endpoints: "true"`, so the SDK
   * calls the regional STS endpoint instead of the global one.
   *
   * @default false - no annotation; the webhook's default applies
   */
  readonly stsRegionalEndpoints?: boolean;

  /**
   * Lifetime of the projected token (`eks.amazonaws.com/token-expiration`), at least 1 hour.
   *
   * @default - no annotation; the webhook's default (24 hours) applies
   */
  readonly tokenExpiration?: Duration;

  /**
   * Conditions added to every web-identity statement of the trust policy, by
   * operator. STS evaluates `AssumeRoleWithWebIdentity` from a pod that has no
   * AWS identity yet, so the useful keys are the network ones: e.g.
   * `{ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }` (the clusters' NAT
   * addresses; absent when the pod calls STS through a VPC endpoint) or
   * `{ StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } }` (the
   * STS interface endpoint). They can only narrow the trust: `<issuer>:sub`
   * and `<issuer>:aud` under `StringEquals` are the library's and are refused,
   * as are keys these requests never carry (`aws:SourceAccount`,
   * `aws:SourceArn`, `aws:SourceOrgID`, `aws:Principal*`). Operators, keys
   * and the map under an operator must be literal (values may be tokens).
   *
   * @default - none
   */
  readonly additionalTrustConditions?: { [operator: string]: any };
}

/** Pod Identity settings. */
export interface PodIdentityOptions {
  /**
   * Scope the trust policy to exactly the identity's (cluster, namespace,
   * ServiceAccount) subjects with the session tags EKS sends, plus
   * `aws:SourceAccount`. Without it, any pod identity association in the
   * account that is allowed to pass the role can use it, from any namespace.
   *
   * @default true
   */
  readonly restrictTrustToSubjects?: boolean;

  /**
   * Whether EKS attaches session tags (cluster, namespace, ServiceAccount,
   * pod) to the role session. The subject-scoped trust needs them.
   *
   * @default true
   */
  readonly sessionTags?: boolean;

  /**
   * Conditions added to every Pod Identity statement of the trust policy, by
   * operator, e.g. `{ StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } }` or
   * `{ ArnLike: { 'aws:SourceArn': 'arn:aws:eks:*:111122223333:cluster/prod-*' } }`
   * (EKS sends `aws:SourceAccount`, `aws:SourceArn` (the cluster) and
   * `aws:SourceOrgID`). They can only narrow the trust: a key the library
   * sets under the same operator is refused, as are keys these requests never
   * carry (`aws:Principal*` of an IAM identity, `aws:SourceVpc*`, an OIDC
   * issuer's claims; `aws:RequestTag/*` with session tags off). Operators,
   * keys and the map under an operator must be literal (values may be tokens).
   *
   * @default - none
   */
  readonly additionalTrustConditions?: { [operator: string]: any };

  /**
   * A session policy on every association of the identity (CloudFormation
   * `Policy`): the pods get the intersection of the role's permissions and
   * this policy, so a shared role can be narrowed per identity. EKS accepts
   * it only with session tags disabled, so it requires `sessionTags: false`
   * (and therefore `restrictTrustToSubjects: false`; narrow the trust with
   * `additionalTrustConditions` on `aws:SourceArn`). At most 2,048 characters.
   * Only the identity's own associations carry it, so every subject must use
   * Pod Identity alone (a role that also trusts IRSA lets a pod present its
   * projected token and get the whole role: IRSA, BOTH and every migration
   * phase but FINISHED to Pod Identity are refused), and
   * `createPodIdentityAssociations: false` (a catalog add-on's) is refused.
   *
   * @default - none: the role's permissions apply as they are
   */
  readonly sessionPolicy?: iam.PolicyDocument;
}

/** The role of a `WorkloadIdentity` and how its ServiceAccounts use it. */
export interface WorkloadIdentityOptions {
  /**
   * The mechanism of every subject that does not name its own.
   *
   * @default - per cluster: Pod Identity on EKS, IRSA elsewhere
   */
  readonly mechanism?: IdentityMechanism;

  /**
   * A staged migration between IRSA and Pod Identity, declared as its phase:
   * `{ to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED }`.
   * It applies to every subject that names neither a `mechanism` nor a
   * `migration` of its own. A `mechanism` beside it must be the one it starts
   * from. Each phase is one deployment (docs/migration.md).
   *
   * @default - no migration: `mechanism` applies as it is
   */
  readonly migration?: MechanismMigration;

  /**
   * An existing role to use instead of creating one. Its trust policy is not
   * changed: a warning lists the trust it must have.
   *
   * @default - an `iam.Role` is created with a trust policy for exactly the subjects
   */
  readonly role?: iam.IRole;

  /**
   * Name of the created role.
   *
   * @default - in a stack with a literal account and region, a name derived from the construct path
   * (so every binding knows the role ARN); otherwise CloudFormation generates one
   */
  readonly roleName?: string;

  /**
   * Prefix of the created role's name: the prefix, then a name derived from
   * the construct path, 64 characters in all (terraform's `name_prefix`).
   * Use it where an SCP or permissions boundary allows only roles of a prefix.
   *
   * @default - no prefix (see `roleName`)
   */
  readonly roleNamePrefix?: string;

  /**
   * Path of the created role, e.g. `/workloads/payments/`. The role ARN (and
   * the IRSA annotation) include it.
   *
   * @default '/'
   */
  readonly rolePath?: string;

  /**
   * Tags of the created role and of every pod identity association of the identity.
   * The keys of EKS Pod Identity's session tags (`eks-cluster-arn`,
   * `kubernetes-namespace`, ...) are refused: on the role they would be the
   * principal tags of every session that carries none (IRSA, session tags off).
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Description of the created role.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Maximum session duration of the created role (1 to 12 hours).
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * Managed policies to attach to the created role.
   *
   * @default - none; prefer grants (`bucket.grantRead(identity)`)
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * Permissions boundary of the created role.
   *
   * @default - none (or the one `iam.PermissionsBoundary.of(scope)` applies)
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * IRSA settings.
   *
   * @default - audience sts.amazonaws.com, no optional annotations
   */
  readonly irsa?: IrsaOptions;

  /**
   * Pod Identity settings.
   *
   * @default - trust restricted to the subjects, session tags on
   */
  readonly podIdentity?: PodIdentityOptions;

  /**
   * Whether Pod Identity subjects get their own `AWS::EKS::PodIdentityAssociation`
   * (and the agent add-on). Set false when an EKS managed add-on binds the role
   * through its own `PodIdentityAssociations`: two associations for one
   * ServiceAccount would compete.
   *
   * @default true
   */
  readonly createPodIdentityAssociations?: boolean;
}

/**
 * Props of `WorkloadIdentity`: its primary ServiceAccount (or pattern of
 * ServiceAccounts) and its options.
 */
export interface WorkloadIdentityProps extends WorkloadIdentityOptions, SubjectPatternOptions {
  /** The cluster the ServiceAccount lives in. */
  readonly cluster: IWorkloadCluster;

  /**
   * Namespace of the ServiceAccount (an RFC 1123 label). Required unless
   * `namespacePattern` is given.
   *
   * @default - none: `namespacePattern`
   */
  readonly namespace?: string;

  /**
   * Name of the ServiceAccount (an RFC 1123 subdomain). Required unless
   * `serviceAccountPattern` is given.
   *
   * @default - none: `serviceAccountPattern`
   */
  readonly serviceAccountName?: string;
}
