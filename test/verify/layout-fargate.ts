/**
 * Mixed Fargate/EC2 clusters in the generated layouts (issue 25 §2): each EKS
 * cluster may have Fargate profile selectors, with EKS's wildcards and
 * sometimes labels, drawn against the namespaces the layouts use (matches,
 * near misses, patterns matching none). The handles are given them, and
 * what each subject must get is decided here from the EKS User Guide's
 * rules ("Fargate profile wildcards": `*` any characters, none included, `?`
 * exactly one; a selector without labels sends every pod of the namespace
 * to Fargate; EKS Pod Identity is not available on Fargate), never from lib/:
 *
 * - no declared mechanism: IRSA where any selector matches the namespace
 *   (every pod, or labelled pods: IRSA serves both), else the cluster's default;
 * - a declared mechanism that uses Pod Identity where a selector without
 *   labels matches: refused (its pods would get no credentials);
 * - a declared Pod Identity where only labelled selectors match: delivered
 *   as declared (the Kubernetes side checks the pods' labels).
 */
import * as fc from 'fast-check';

/** One selector as a Fargate profile declares it. */
export interface FargateSelectorSpec {
  readonly profileName: string;
  readonly namespace: string;
  readonly labels?: { [key: string]: string };
}

/**
 * Namespace patterns around the layouts' namespaces ('payments', 'reports', 'a', 'n' x 63): exact names,
 * `*` and `?` matches, and near misses (`reports?` needs one more character, `pay?ents` matches, `x*` matches none).
 */
const NAMESPACE_PATTERNS = ['payments', 'pay*', 'pa?ments', 'report?', 'reports?', '*s', '?', 'n*', 'a', 'x*', '*'];

export const fargateSelectorsArb: fc.Arbitrary<FargateSelectorSpec[] | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.array(fc.record({
      profileName: fc.constantFrom('fargate', 'batch'),
      namespace: fc.constantFrom(...NAMESPACE_PATTERNS),
      labels: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<{ [key: string]: string }>({ compute: 'fargate' }, { 'team*': 'b?' }) }),
    }), { minLength: 1, maxLength: 2 }).map(list => list.map(({ labels, ...s }) => labels ? { ...s, labels } : s)),
  },
);

/** EKS's wildcards, written here from the EKS User Guide: `*` any characters (none included), `?` exactly one. */
export function fargatePatternMatches(pattern: string, value: string): boolean {
  const regex = pattern.split('').map(ch => ch === '*' ? '.*' : ch === '?' ? '.' : /[a-z0-9-]/.test(ch) ? ch : `\\${ch}`).join('');
  return new RegExp(`^${regex}$`).test(value);
}

/** Whether a selector without labels matches the namespace: every pod of it runs on Fargate. */
export function everyPodOnFargate(selectors: readonly FargateSelectorSpec[] | undefined, namespace: string): boolean {
  return (selectors ?? []).some(s => !s.labels && fargatePatternMatches(s.namespace, namespace));
}

/** Whether any selector (with or without labels) matches the namespace: some or all of its pods run on Fargate. */
export function somePodsOnFargate(selectors: readonly FargateSelectorSpec[] | undefined, namespace: string): boolean {
  return (selectors ?? []).some(s => fargatePatternMatches(s.namespace, namespace));
}
