import { validateIssuerUrl } from './validation';

/**
 * The OIDC issuer URL of a cluster, as the `iss` claim of its ServiceAccount
 * tokens and as IAM registers it (an OIDC provider and the condition keys
 * `<host/path>:sub` and `<host/path>:aud`).
 */
export class OidcIssuer {
  /**
   * Throws unless `url` is an https:// URL of at most 255 characters: a DNS
   * host and optional path, without a trailing '/', query, fragment, port,
   * wildcard, policy variable, whitespace, control or non-ASCII characters
   * (IAM matches the `iss` claim character by character).
   */
  public static validate(url: string): void {
    validateIssuerUrl(url);
  }

  /** The issuer without its scheme: the prefix of the IAM condition keys. */
  public static conditionKeyPrefix(url: string): string {
    return url.replace(/^https:\/\//, '');
  }
}
