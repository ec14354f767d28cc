import { containsCdkToken } from '../cdk-token';
import { WorkloadIdentityError } from '../validation-error';
import { disallowedCharIn, hazardIn, show } from './describe';
import { requireString } from './required';

// IAM CreateOpenIDConnectProvider: Url has at most 255 characters.
const URL_MAX = 255;
// A DNS name: dot-separated labels of letters, digits and '-', at most 253 characters.
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const HOST_MAX = 253;
// RFC 3986 unreserved characters and %-escapes: what real issuers use (EKS '/id/<hex>', S3 buckets, GKE paths).
// The other characters a URL path may hold ('*', '$', ':', ...) mean something in an IAM condition key.
const PATH_CHAR = /[A-Za-z0-9._~%-]/;
const PERCENT_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

export const ISSUER_FIX = 'Pass the issuer exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, ' +
  'e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.';

/**
 * What is wrong with `url` as an OIDC issuer URL, worded to follow the value
 * in an error ('it ...', 'its ...'), or undefined. The issuer is the token's
 * `iss` claim, the IAM OIDC provider's URL and the prefix of the trust
 * policy's condition keys, so IAM must match it character by character.
 */
export function issuerUrlProblem(url: string): string | undefined {
  const hazard = hazardIn(url);
  if (hazard) { return `it ${hazard}`; }
  if (!url.startsWith('https://')) { return "it must start with 'https://'"; }
  if (url.length > URL_MAX) { return `it has ${url.length} characters; IAM registers OIDC provider URLs of at most ${URL_MAX}`; }
  if (url.endsWith('/')) { return "it must not end with '/', or the token's 'iss' claim will not match"; }
  const rest = url.slice('https://'.length);
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  if (host.length === 0 || /[?#]/.test(rest) || /[:@]/.test(host)) { return 'it must be a host and optional path, without port, query or fragment'; }
  if (host.length > HOST_MAX || !HOST.test(host)) { return `its host ${show(host)} is not a DNS name (dot-separated labels of letters, digits and '-')`; }
  if (slash < 0) { return undefined; }
  const segments = rest.slice(slash + 1).split('/');
  if (segments.some(s => s.length === 0)) { return "its path has an empty segment ('//')"; }
  for (const segment of segments) {
    const bad = disallowedCharIn(segment, PATH_CHAR) ?? (PERCENT_ESCAPE.test(segment) ? "'%' without two hex digits" : undefined);
    if (bad) { return `its path contains ${bad}; a path segment holds only letters, digits, '-', '.', '_', '~' and %-escapes`; }
  }
  return undefined;
}

/**
 * Throws unless `url` is a valid OIDC issuer URL. An aws-cdk-lib token (the
 * issuer of a cluster created in the app) is accepted.
 */
export function validateIssuerUrl(url: unknown): void {
  const value = requireString(url, 'The OIDC issuer URL', ISSUER_FIX);
  if (containsCdkToken(value)) { return; }
  const problem = issuerUrlProblem(value);
  if (problem) {
    throw new WorkloadIdentityError(`Invalid OIDC issuer URL ${show(value)}: ${problem}. ${ISSUER_FIX}`);
  }
}
