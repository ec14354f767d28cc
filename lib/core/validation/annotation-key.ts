import { WorkloadIdentityError } from '../validation-error';
import { show } from './describe';
import { requireString } from './required';

// Kubernetes apimachinery ValidateAnnotations -> IsQualifiedName: an optional DNS-1123 subdomain
// prefix (at most 253 characters) and '/', then a name of at most 63 characters.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const NAME_MAX = 63;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PREFIX_MAX = 253;

const RULE = (kind: string) => `A Kubernetes ${kind} key is an optional prefix (a DNS subdomain of at most 253 lowercase characters) ` +
  "and '/', then a name of 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

/** What is wrong with `key` as an annotation key, worded to follow 'it ' or 'its ', or undefined. */
export function annotationKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) { return "has more than one '/'"; }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) { return "has an empty prefix before '/'"; }
    if (prefix.length > PREFIX_MAX) { return `has a prefix of ${prefix.length} characters`; }
    if (!PREFIX.test(prefix)) { return `has the prefix ${show(prefix)}, which is not a lowercase DNS subdomain`; }
  }
  if (name.length === 0) { return 'has an empty name'; }
  if (name.length > NAME_MAX) { return `has a name of ${name.length} characters`; }
  if (!NAME.test(name)) { return `has the name ${show(name)}, which is not letters, digits, '-', '_' or '.' between a letter or digit at each end`; }
  return undefined;
}

/**
 * Throws unless `key` is a valid Kubernetes annotation (or label) key: the
 * API server would refuse the manifest otherwise, after the AWS side was deployed.
 *
 * @param where whose annotation it is, for the message (e.g. "ServiceAccount 'ns/sa'")
 * @param kind 'annotation' or 'label' (both follow the qualified-name rule)
 */
export function validateAnnotationKey(key: unknown, where: string, kind = 'annotation'): void {
  const value = requireString(key, `A ${kind} key of ${where}`, 'Remove it.');
  const problem = annotationKeyProblem(value);
  if (problem) {
    throw new WorkloadIdentityError(`Invalid ${kind} key ${show(value)} of ${where}: it ${problem}. ${RULE(kind)}. Rename or remove it.`);
  }
}
