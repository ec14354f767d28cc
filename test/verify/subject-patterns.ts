/**
 * Subject patterns as the proof reads them, written from the IAM user guide
 * (condition operators: StringLike) and not taken from lib/: `*` matches any
 * run of characters (':' included, and none), `?` exactly one, the rest is
 * literal and case-sensitive.
 */
export function iamLike(pattern: string, value: string): boolean {
  const body = Array.from(pattern).map(c => c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('');
  return new RegExp(`^${body}$`).test(value);
}

/** A binding's `subjectPattern` ('pr-*' then '/web') as its two halves. */
export function patternHalves(subjectPattern: string): { namespace: string; serviceAccountName: string } {
  const [namespace, serviceAccountName] = subjectPattern.split('/');
  return { namespace, serviceAccountName };
}

/**
 * Names to probe a pattern with: a match nobody declared (allowed by the trust,
 * never associated), near misses of its literal prefix (one letter more before
 * the '-', the prefix without its '-'), and the cluster's own namespaces.
 */
export function patternProbes(pattern: string): string[] {
  const first = pattern.search(/[*?]/);
  if (first < 0) { return []; }
  const prefix = pattern.slice(0, first);
  const stem = prefix.replace(/[-.]$/, '');
  return [...new Set([`${prefix}9z`, `${stem}x${prefix.slice(stem.length)}1`, `${stem}1`, 'kube-system', 'default'])];
}
