import { containsCdkToken } from './cdk-token';
import { WorkloadIdentityError } from './validation-error';

/**
 * One selector of an EKS Fargate profile: the pods of a namespace (all of
 * them, or those that carry every one of `labels`) run on Fargate. The
 * namespace, label keys and label values may use the wildcards EKS accepts:
 * `*` (any characters, none included) and `?` (exactly one).
 */
export interface FargateProfileSelector {
  /** The name of the Fargate profile the selector is in (for messages and the ServiceAccount's annotation). */
  readonly profileName: string;

  /** The namespace the selector matches, e.g. `batch` or `batch-*`. */
  readonly namespace: string;

  /**
   * Labels a pod must all carry to be selected.
   *
   * @default - none: every pod of the namespace runs on Fargate
   */
  readonly labels?: { [key: string]: string };
}

/** Where the pods of one namespace run, as the cluster's Fargate selectors say. */
export interface FargatePlacement {
  /** Selectors without labels that match the namespace: every pod of it runs on Fargate. */
  readonly everyPod: FargateProfileSelector[];
  /** Selectors with labels that match the namespace: its pods with those labels run on Fargate, the rest on nodes. */
  readonly labelledPods: FargateProfileSelector[];
}

/** EKS Fargate's wildcards: `*` matches any characters (none included), `?` exactly one; nothing else is special. */
export function fargateGlobMatches(pattern: string, value: string): boolean {
  const source = [...pattern].map(ch => ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Which of `selectors` send pods of `namespace` to Fargate: every pod, or those with labels. */
export function fargatePlacement(selectors: readonly FargateProfileSelector[], namespace: string): FargatePlacement {
  const matching = selectors.filter(s => fargateGlobMatches(s.namespace, namespace));
  return {
    everyPod: matching.filter(s => Object.keys(s.labels ?? {}).length === 0),
    labelledPods: matching.filter(s => Object.keys(s.labels ?? {}).length > 0),
  };
}

/** Whether the selector sends a pod of `namespace` with `podLabels` to Fargate: every selector label matched by one of the pod's. */
export function selectorMatchesPod(selector: FargateProfileSelector, namespace: string, podLabels: { readonly [key: string]: string }): boolean {
  if (!fargateGlobMatches(selector.namespace, namespace)) { return false; }
  return Object.entries(selector.labels ?? {}).every(([key, value]) =>
    Object.entries(podLabels).some(([k, v]) => fargateGlobMatches(key, k) && fargateGlobMatches(value, String(v))));
}

/** The selector as a message shows it: `Fargate profile 'p' (namespace 'batch-*', labels compute=fargate)`. */
export function describeFargateSelector(selector: FargateProfileSelector): string {
  const labels = Object.entries(selector.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
  return `Fargate profile '${selector.profileName}' (namespace '${selector.namespace}'${labels ? `, labels ${labels}` : ''})`;
}

// A namespace (RFC 1123 label) with EKS's wildcards; a label key (optional prefix/ name) and value, with them.
const NAMESPACE_PATTERN = /^[a-z0-9*?]([-a-z0-9*?]{0,61}[a-z0-9*?])?$/;
const LABEL_KEY_PATTERN = /^([a-z0-9*?]([-a-z0-9.*?]{0,251}[a-z0-9*?])?\/)?[A-Za-z0-9*?]([-A-Za-z0-9_.*?]{0,61}[A-Za-z0-9*?])?$/;
const LABEL_VALUE_PATTERN = /^([A-Za-z0-9*?]([-A-Za-z0-9_.*?]{0,61}[A-Za-z0-9*?])?)?$/;

/**
 * Throws unless every selector is literal and well formed: a profile name, a
 * namespace of Kubernetes' characters and EKS's wildcards, label keys and
 * values of Kubernetes' characters and the wildcards.
 *
 * @param where who declared them, for messages (e.g. "WorkloadCluster 'App/Cluster'")
 */
export function validateFargateSelectors(selectors: readonly FargateProfileSelector[], where: string): void {
  if (!Array.isArray(selectors)) {
    throw new WorkloadIdentityError(`Invalid fargateProfileSelectors of ${where}: expected a list of { profileName, namespace, labels? }, got ${JSON.stringify(selectors)}.`);
  }
  selectors.forEach((s, i) => {
    const at = `fargateProfileSelectors[${i}] of ${where}`;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      throw new WorkloadIdentityError(`Invalid ${at}: expected { profileName, namespace, labels? }, got ${JSON.stringify(s)}.`);
    }
    const unknown = Object.keys(s).filter(k => !['profileName', 'namespace', 'labels'].includes(k));
    if (unknown.length > 0) {
      throw new WorkloadIdentityError(`Invalid ${at}: unknown field ${unknown.map(k => `'${k}'`).join(', ')}; the fields are profileName, namespace, labels.`);
    }
    for (const [field, value] of [['profileName', s.profileName], ['namespace', s.namespace]] as const) {
      if (typeof value !== 'string' || value.length === 0 || containsCdkToken(value)) {
        throw new WorkloadIdentityError(
          `Invalid ${at}: ${field} ${JSON.stringify(value)} must be a literal, non-empty string (the library decides each namespace's mechanism at synth). ` +
          `Pass the profile's ${field} as written in the profile.`);
      }
    }
    if (!NAMESPACE_PATTERN.test(s.namespace)) {
      throw new WorkloadIdentityError(
        `Invalid ${at}: namespace '${s.namespace}' is not a Kubernetes namespace with EKS's wildcards (lowercase letters, digits, '-', '*' and '?', at most 63 characters). ` +
        "Write it as in the profile, e.g. 'batch' or 'batch-*'.");
    }
    const labels = s.labels ?? {};
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
      throw new WorkloadIdentityError(`Invalid ${at}: labels must be a map of label keys to values, got ${JSON.stringify(labels)}.`);
    }
    for (const [key, value] of Object.entries(labels)) {
      if (containsCdkToken(key) || !LABEL_KEY_PATTERN.test(key)) {
        throw new WorkloadIdentityError(`Invalid ${at}: label key '${key}' is not a Kubernetes label key (with EKS's wildcards '*' and '?'). Write it as in the profile, e.g. 'compute'.`);
      }
      if (typeof value !== 'string' || containsCdkToken(value) || !LABEL_VALUE_PATTERN.test(value)) {
        throw new WorkloadIdentityError(`Invalid ${at}: the value ${JSON.stringify(value)} of label '${key}' is not a Kubernetes label value (with EKS's wildcards '*' and '?'). Write it as in the profile, e.g. 'fargate'.`);
      }
    }
  });
}
