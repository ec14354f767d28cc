import { WorkloadIdentityError } from './validation-error';

/**
 * The OIDC issuer URL of a cluster, as the `iss` claim of its ServiceAccount
 * tokens and as IAM registers it (an OIDC provider and the condition keys
 * `<host/path>:sub` and `<host/path>:aud`).
 */
export class OidcIssuer {
  /**
   * Throws unless `url` is an https:// URL without a trailing '/', query,
   * fragment or port (IAM matches the `iss` claim character by character).
   */
  public static validate(url: string): void {
    const fix = 'Pass the issuer exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, ' +
      'e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.';
    if (!url.startsWith('https://')) {
      throw new WorkloadIdentityError(`Invalid OIDC issuer URL '${url}': it must start with 'https://'. ${fix}`);
    }
    if (url.endsWith('/')) {
      throw new WorkloadIdentityError(`Invalid OIDC issuer URL '${url}': it must not end with '/', or the token's 'iss' claim will not match. ${fix}`);
    }
    const rest = url.slice('https://'.length);
    const host = rest.split('/')[0];
    if (host.length === 0 || /[?#\s]/.test(rest) || host.includes(':') || host.includes('@')) {
      throw new WorkloadIdentityError(`Invalid OIDC issuer URL '${url}': it must be a host and optional path, without port, query or fragment. ${fix}`);
    }
  }

  /** The issuer without its scheme: the prefix of the IAM condition keys. */
  public static conditionKeyPrefix(url: string): string {
    return url.replace(/^https:\/\//, '');
  }
}
