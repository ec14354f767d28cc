/**
 * Why a generated layout may be refused, as classes of reasons: each with the
 * words by which an error names that reason (not the values it quotes, which
 * any error of the layout may quote). A refusal passes the layout property
 * only if its error names the class of a reason the layout has
 * (layout-check.ts), and, where the reason is about a value, the value too.
 *
 * The words are the reason, not a wording: a message that says the same in
 * other words must be added here on purpose.
 */
export const REFUSAL_CLASSES = {
  'pod-identity-on-not-eks': /cannot use (POD_IDENTITY|BOTH): the cluster is NOT_EKS/,
  'service-account-bound-twice': /is bound (twice by|by both) .*A ServiceAccount carries one role/s,
  'irsa-without-issuer': /has no OIDC issuer, so IRSA cannot be used on it/,
  'provider-registers-another-issuer': /openIdConnectProvider '[^']*' registers (issuer )?'[^']*': its ServiceAccounts would be trusted through another issuer's provider/,
  'provider-is-a-token': /openIdConnectProvider whose ARN is a token .*nothing shows it registers that issuer/s,
  'provider-in-another-account': /STS accepts a web identity only through a provider in the role's own account/,
  'owner-without-issuer': /has createOpenIdConnectProvider: true but no oidcIssuerUrl/,
  // Issue 20: one owner per cluster, decided at construction.
  'second-owner-of-a-cluster': /would own cluster '[^']*' \(.*\), (which '[^']*' already owns|but '[^']*' is a handle of it constructed before without an owner)/,
  'pod-identity-from-another-account': /cannot use Pod Identity from stack '[^']*' \(account \d{12}\): the cluster is in account \d{12}/,
  'pod-identity-from-another-region': /cannot use Pod Identity from stack '[^']*' \(region [a-z0-9-]+\): the cluster is in region [a-z0-9-]+/,
  // aws-cdk-lib's own refusal of a reference between environments, or of a cycle of references.
  'cross-environment-reference': /Cross stack references are only supported|cyclic reference/,
  'split-of-stack-output': /CloudFormation does not accept Fn::GetStackOutput inside Fn::Split/,
  'session-tags-off-with-scoped-trust': /disables session tags but restricts its trust to its subjects/,
  'session-tag-grant-without-tags': /disables session tags \(podIdentity\.sessionTags: false\), so no session carries/,
  'session-tag-grant-with-irsa': /grants by aws:PrincipalTag\/kubernetes-namespace, but ServiceAccount/,
  'target-role-with-irsa': /only Pod Identity associations chain to a target role/,
  'target-role-in-identity-stack': /is in the stack of WorkloadIdentity/,
  // Issue 18 §3: a target role behind a trust open to every association of the account.
  'target-role-with-account-wide-trust': /sets podIdentity\.restrictTrustToSubjects to false, so any pod identity association/,
  'trust-policy-over-quota': /WI-AWS-8/,
  'two-providers-of-one-issuer': /WI-AWS-13/,
  'two-agent-add-ons': /WI-AWS-10/,
  'eks-named-like-not-eks': /WI-AWS-12: .*declared NOT_EKS/s,
  // Pod Identity in a Region where it does not exist (the China Regions: WI-AWS-12).
  'pod-identity-unavailable-in-region': /WI-AWS-12: .*targets a cluster in the China Region [a-z0-9-]+, where Pod Identity is not available/s,
  // Issue 18 §1: an added trust condition whose key or operator is a token, or replaces the library's own.
  'added-condition-replaces-own': /additionalTrustConditions.*(replaces a condition the library sets|token|unresolved|resolve)/is,
  // Issue 18 §1: two clusters declared with one OIDC issuer.
  'one-issuer-two-clusters': /issuer/i,
  // Issue 18 §2: one ServiceAccount written twice on the Kubernetes side.
  'service-account-written-twice': /ServiceAccount '[^']*' (of cluster .* is rendered twice|is written twice in this cluster's folder)/s,
  // Issue 18 §2: catalog add-on identities (an EKS add-on exists on EKS only, names its cluster in its stack's
  // account and region, and binds only the ServiceAccount it creates).
  'addon-on-not-eks': /installs the [a-z0-9-]+ EKS add-on, but cluster '[^']*' is not EKS/,
  'addon-in-another-environment': /installs the [a-z0-9-]+ add-on from stack '[^']*' \(account \d{12}, region [a-z0-9-]+\), but cluster '[^']*' is in account/,
  'addon-identity-subject-added': /binds its role through the [a-z0-9-]+ add-on of cluster .* added with addSubject would get no association/s,
  // An installed add-on runs as its own ServiceAccount: EKS binds the role to that one only.
  'addon-namespace-not-its-own': /installs the [a-z0-9-]+ add-on, which runs in namespace '[^']*', so its ServiceAccount cannot be in '[^']*'/,
  'addon-service-account-not-its-own': /installs the [a-z0-9-]+ add-on, whose ServiceAccount is '[^']*', so it cannot be '[^']*': the add-on binds the role to its own ServiceAccount only/,
  'session-policy-with-session-tags': /sets a sessionPolicy, which EKS accepts only on associations with session tags disabled/,
  // Issue 18 §1: a session policy some pods of the identity would not get (they can get the role by IRSA).
  'session-policy-not-applied': /sessionPolicy.*(IRSA|web identity)/is,
  // Issue 23: the pod identity webhook would give an IRSA ServiceAccount's pods tokens of another audience than declared.
  'webhook-audience-not-declared': /projects tokens of audience '[^']*' \(tokenAudience\) for ServiceAccounts without an eks\.amazonaws\.com\/audience annotation, but ServiceAccount '[^']*' is bound for IRSA with audience '[^']*'/,
  // Issue 25: a pod a Fargate profile selects, whose ServiceAccount uses Pod Identity (WI-K8S-7).
  'pod-identity-pod-on-fargate': /WI-K8S-7[^]*uses Pod Identity through ServiceAccount '[^']*' but Fargate profile '[^']*' \(namespace '[^']*'[^)]*\) runs it on Fargate/,
  // A pod on the node's network, or one only Windows nodes run (by its node constraints, its os.name or its own OS
  // label), whose ServiceAccount uses Pod Identity (WI-K8S-7).
  'pod-identity-pod-off-network-or-linux': /WI-K8S-7[^]*uses Pod Identity through ServiceAccount '[^']*' but it (sets hostNetwork: true|selects Windows nodes|sets os\.name: windows|carries the label kubernetes\.io\/os: windows)/,
  // Issue 25: Pod Identity declared in a namespace a Fargate profile runs every pod of on Fargate.
  'pod-identity-on-fargate': /cannot use [^:]*: Fargate profile '[^']*' \(namespace '[^']*'\) runs every pod of namespace '[^']*' on Fargate/,
} as const;

export type RefusalClass = keyof typeof REFUSAL_CLASSES;

/** A reason the library must (or may) refuse a layout: its class, and values one of which its error must quote (none: the class alone). */
export interface RefusalReason {
  readonly why: string;
  readonly class: RefusalClass;
  readonly fragments: string[];
  /** Values every one of which its error must quote (e.g. both clusters of a clash). */
  readonly all?: string[];
}

/** Whether the message names the reason: its class's words and, if the reason has values, one of them. */
export function namesReason(message: string, reason: RefusalReason): boolean {
  return REFUSAL_CLASSES[reason.class].test(message) && (reason.fragments.length === 0 || reason.fragments.some(f => message.includes(f))) &&
    (reason.all ?? []).every(f => message.includes(f));
}
