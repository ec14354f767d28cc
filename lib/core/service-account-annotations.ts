/**
 * The ServiceAccount annotations read by the EKS pod identity webhook
 * (amazon-eks-pod-identity-webhook, pkg/annotations.go), with its defaults.
 */
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** Token audience; the webhook's default is `sts.amazonaws.com`. */
export const AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';
/** `"true"` makes the webhook set `AWS_STS_REGIONAL_ENDPOINTS=regional`. */
export const STS_REGIONAL_ENDPOINTS_ANNOTATION = 'eks.amazonaws.com/sts-regional-endpoints';
/** Projected token lifetime in seconds; webhook default 86400, minimum 3600. */
export const TOKEN_EXPIRATION_ANNOTATION = 'eks.amazonaws.com/token-expiration';

export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';
export const MIN_TOKEN_EXPIRATION_SECONDS = 3600;

/** The key prefix the library owns: the webhook reads it, so only the binding may set it. */
export const RESERVED_ANNOTATION_PREFIX = 'eks.amazonaws.com/';

/** Whether `key` is owned by the library (any `eks.amazonaws.com/` key, not only today's four). */
export function isReservedAnnotation(key: string): boolean {
  return key.startsWith(RESERVED_ANNOTATION_PREFIX);
}
