/**
 * The API calls a controller makes, as AWS authorizes them: one request per
 * resource the call names, each with the request context it really carries
 * (tags on create, `ec2:CreateAction`, `kms:GrantIsForAWSResource`, ...).
 * Each entry folder's `calls.ts` lists them, read from the controller's
 * source at the pinned release; test/verify/catalog-permissions.test.ts
 * evaluates them on Pod Identity and IRSA, against the entry's role and
 * against the kept upstream document.
 */
import type { CatalogIdentity } from '../../../../lib';

export type Decision = 'Allowed' | 'Denied';

/** One authorization request of a call. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

export interface ControllerCall {
  /** What the controller does, and where (file at the pinned release). */
  readonly call: string;
  /** Allowed: a call of normal operation (every request allowed). Denied: out of scope (some request denied). */
  readonly expect: Decision;
  /**
   * The kept upstream document's decision, where it differs from `expect`:
   * `Allowed` on a denied call marks scoping tighter than upstream.
   *
   * @default expect
   */
  readonly upstream?: Decision;
  readonly requests: AuthorizationRequest[];
}

/** What an entry folder's `calls.ts` exports: the calls, given the entry as the evaluation app built it. */
export type ControllerCalls = (entry: CatalogIdentity) => ControllerCall[];
