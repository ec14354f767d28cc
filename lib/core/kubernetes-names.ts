import { containsCdkToken } from './cdk-token';
import { WorkloadIdentityError } from './validation-error';

// RFC 1123 label, as Kubernetes validates namespace names (IsDNS1123Label).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_MAX = 63;
// RFC 1123 subdomain, as Kubernetes validates ServiceAccount names (IsDNS1123Subdomain).
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MAX = 253;

/**
 * The Kubernetes naming rules both sides share, and the token subject that
 * ties a ServiceAccount to an IAM trust policy.
 */
export class KubernetesNames {
  /**
   * Throws unless `namespace` is a valid Kubernetes namespace name
   * (an RFC 1123 label: lowercase alphanumerics and '-', at most 63 characters).
   */
  public static validateNamespace(namespace: string): void {
    // A name the rule admits is a literal string (a token holds '${'): the usual case is one test.
    if (typeof namespace === 'string' && namespace.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(namespace)) { return; }
    assertLiteral('namespace', namespace);
    throw new WorkloadIdentityError(
      `Invalid namespace '${namespace}': a Kubernetes namespace must be an RFC 1123 label ` +
      `(1-${DNS1123_LABEL_MAX} lowercase letters, digits or '-', starting and ending with a letter or digit, no dots)` +
      `${describeLength(namespace, DNS1123_LABEL_MAX)}. Rename it, for example '${suggest(namespace, false, DNS1123_LABEL_MAX)}'.`);
  }

  /**
   * Throws unless `name` is a valid ServiceAccount name
   * (an RFC 1123 subdomain: lowercase alphanumerics, '-' and '.', at most 253 characters).
   */
  public static validateServiceAccountName(name: string): void {
    if (typeof name === 'string' && name.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(name)) { return; }
    assertLiteral('ServiceAccount name', name);
    throw new WorkloadIdentityError(
      `Invalid ServiceAccount name '${name}': it must be an RFC 1123 subdomain ` +
      `(1-${DNS1123_SUBDOMAIN_MAX} lowercase letters, digits, '-' or '.', each dot-separated part starting and ending with a letter or digit)` +
      `${describeLength(name, DNS1123_SUBDOMAIN_MAX)}. Rename it, for example '${suggest(name, true, DNS1123_SUBDOMAIN_MAX)}'.`);
  }

  /**
   * The `sub` claim of the projected ServiceAccount token, which an IRSA
   * trust policy must match exactly: `system:serviceaccount:<namespace>:<name>`.
   */
  public static serviceAccountSubject(namespace: string, name: string): string {
    KubernetesNames.validateNamespace(namespace);
    KubernetesNames.validateServiceAccountName(name);
    return `system:serviceaccount:${namespace}:${name}`;
  }
}

/** Names must be literal strings: they appear in both the template and the YAML. */
function assertLiteral(what: string, value: string): void {
  if (typeof value !== 'string') {
    throw new WorkloadIdentityError(`Invalid ${what} '${String(value)}': it must be a string.`);
  }
  // cdk8s has no way to resolve a CDK token.
  if (containsCdkToken(value)) {
    throw new WorkloadIdentityError(
      `Invalid ${what} '${value}': it is an unresolved CDK token. The same name must appear in the IAM trust policy ` +
      'and in the Kubernetes manifest, so pass a literal string.');
  }
}

function describeLength(value: string, max: number): string {
  if (value.length === 0) { return '; it is empty'; }
  return value.length > max ? `; it has ${value.length} characters` : '';
}

/** A nearby valid name, so the message shows what would be accepted. */
function suggest(value: string, allowDots: boolean, max: number): string {
  let s = value.toLowerCase().replace(allowDots ? /[^a-z0-9.-]/g : /[^a-z0-9-]/g, '-');
  // Any run of '-' and '.' holding a dot becomes one dot ('a.-.a' -> 'a.a', not 'a..a').
  if (allowDots) { s = s.replace(/[-.]*\.[-.]*/g, '.'); }
  s = s.slice(0, max).replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
  return s.length > 0 ? s : 'my-workload';
}
