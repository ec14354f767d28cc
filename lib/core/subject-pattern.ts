import { containsCdkToken } from './cdk-token';
import { show } from './validation/describe';
import { WorkloadIdentityError } from './validation-error';

/**
 * Subject patterns: a namespace or ServiceAccount name with IAM wildcards
 * (`pr-*`, `runner-?`), rendered under `StringLike`. IAM's `*` matches any
 * run of characters (`:` included, and nothing at all) and `?` any one
 * character, case-sensitively (IAM user guide, condition operators). A
 * pattern is only safe when every string IAM matches that a cluster could
 * send is a name its owner meant: these rules make it so.
 */

/** Namespaces every cluster has, whose ServiceAccounts run the cluster itself: bound only by their exact name. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Which half of a subject a pattern stands for. */
interface PatternKind {
  /** The option, as errors name it. */
  readonly option: string;
  /** The literal option to use for a name without wildcards. */
  readonly literalOption: string;
  /** Characters a name of this kind may have. */
  readonly nameCharacters: RegExp;
  readonly nameCharactersInWords: string;
  /** Characters a literal prefix may end with: a whole word of the name. */
  readonly wordEnds: string[];
  readonly maxLength: number;
  /** Whether the cluster's own namespaces must be left out. */
  readonly namespace: boolean;
}

const NAMESPACE: PatternKind = {
  option: 'namespacePattern',
  literalOption: 'namespace',
  nameCharacters: /^[a-z0-9-]$/,
  nameCharactersInWords: "lowercase letters, digits and '-'",
  wordEnds: ['-'],
  maxLength: 63,
  namespace: true,
};

const SERVICE_ACCOUNT: PatternKind = {
  option: 'serviceAccountPattern',
  literalOption: 'serviceAccountName',
  nameCharacters: /^[a-z0-9.-]$/,
  nameCharactersInWords: "lowercase letters, digits, '-' and '.'",
  wordEnds: ['-', '.'],
  maxLength: 253,
  namespace: false,
};

/** Whether `value` has an IAM wildcard. */
export function hasWildcard(value: string): boolean {
  return /[*?]/.test(value);
}

/** Throws unless `pattern` is a safe namespace pattern (see the rules of `validatePattern`). */
export function validateNamespacePattern(pattern: string): void {
  validatePattern(pattern, NAMESPACE);
}

/** Throws unless `pattern` is a safe ServiceAccount name pattern (see the rules of `validatePattern`). */
export function validateServiceAccountPattern(pattern: string): void {
  validatePattern(pattern, SERVICE_ACCOUNT);
}

/**
 * The rules, each error naming the pattern and the rule it breaks:
 * 1. a literal string with at least one `*` or `?` (else it is a name);
 * 2. no `:` or `/`: the pattern stands for one half of the subject, never
 *    across the `system:serviceaccount:<namespace>:<name>` separator;
 * 3. a literal prefix before the first wildcard (never `*`, `?x`);
 * 4. literal characters a name can have (IAM compares case-sensitively: `PR-*`
 *    matches no namespace, and a typo would silently admit nothing);
 * 5. namespaces: it matches none of the cluster's own (`kube-*`, `default`);
 * 6. the prefix ends a word (`pr-`, `runner.`): `pr*` would match `prod` too;
 * 7. it can match a name at all (length, last character).
 */
function validatePattern(pattern: string, kind: PatternKind): void {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new WorkloadIdentityError(`Invalid ${kind.option} ${show(pattern)}: a pattern is a non-empty string such as 'pr-*'.`);
  }
  if (containsCdkToken(pattern)) {
    throw new WorkloadIdentityError(`Invalid ${kind.option} ${show(pattern)}: it is an unresolved CDK token; the trust policy and the manifests need the same literal pattern.`);
  }
  if (!hasWildcard(pattern)) {
    throw new WorkloadIdentityError(`Invalid ${kind.option} ${show(pattern)}: it has no '*' or '?', so it is a name, not a pattern. Pass it as ${kind.literalOption}.`);
  }
  if (/[:/]/.test(pattern)) {
    throw new WorkloadIdentityError(
      `Invalid ${kind.option} ${show(pattern)}: it contains '${/:/.test(pattern) ? ':' : '/'}', which separates namespace and ServiceAccount name ` +
      '(system:serviceaccount:<namespace>:<name>), and IAM\'s \'*\' and \'?\' match across it. Give the namespace and the name each their own pattern ' +
      "(namespacePattern: 'pr-*', serviceAccountName: 'web').");
  }
  const first = pattern.search(/[*?]/);
  if (first === 0) {
    throw new WorkloadIdentityError(
      `Invalid ${kind.option} ${show(pattern)}: a pattern needs a literal prefix before its first '*' or '?' (e.g. 'pr-*', 'team-*'): ` +
      `'${pattern[0]}' there matches any ${kind.namespace ? 'namespace' : 'ServiceAccount name'}, including ones created later by anyone who may create them.`);
  }
  const badLiteral = Array.from(pattern).find(c => c !== '*' && c !== '?' && !kind.nameCharacters.test(c));
  const prefix = pattern.slice(0, first);
  if (badLiteral !== undefined || !/^[a-z0-9]/.test(prefix)) {
    throw new WorkloadIdentityError(
      `Invalid ${kind.option} ${show(pattern)}: ${badLiteral !== undefined ? `'${badLiteral}' is` : `'${prefix[0]}' at the start is`} not in any ` +
      `${kind.namespace ? 'namespace' : 'ServiceAccount name'} (${kind.nameCharactersInWords}, starting with a letter or digit), and IAM compares case-sensitively: ` +
      'the pattern would match nothing the cluster sends. Write the literal part as the names are written.');
  }
  const literalLength = pattern.replace(/\*/g, '').length;
  if (literalLength > kind.maxLength || /[-.]$/.test(pattern)) {
    throw new WorkloadIdentityError(
      `Invalid ${kind.option} ${show(pattern)}: no ${kind.namespace ? 'namespace' : 'ServiceAccount name'} can match it ` +
      `(${literalLength > kind.maxLength ? `at least ${literalLength} characters, the most is ${kind.maxLength}` : 'names end with a letter or digit'}).`);
  }
  if (kind.namespace) {
    const system = SYSTEM_NAMESPACES.find(ns => iamLikeMatches(pattern, ns)) ?? (likePatternsOverlap(pattern, 'kube-*') ? 'kube-*' : undefined);
    if (system !== undefined) {
      throw new WorkloadIdentityError(
        `Invalid ${kind.option} ${show(pattern)}: it matches the cluster's own namespace${system.includes('*') ? 's' : ''} '${system}' ` +
        `(${SYSTEM_NAMESPACES.join(', ')} and every kube-* namespace run the cluster itself). Bind a ServiceAccount there by its exact namespace, never by a pattern.`);
    }
  }
  if (!kind.wordEnds.includes(prefix[prefix.length - 1])) {
    throw new WorkloadIdentityError(
      `Invalid ${kind.option} ${show(pattern)}: its literal prefix '${prefix}' must end in ${kind.wordEnds.map(c => `'${c}'`).join(' or ')} ` +
      `(e.g. '${prefix}-*'): IAM's '*' and '?' match any characters, so '${prefix}*' also matches '${prefix}x', ` +
      'a name that only begins with the same letters.');
  }
}

/**
 * Whether IAM's `StringLike` matches `value` against `pattern`: `*` any run of
 * characters, `?` one character, the rest literal and case-sensitive.
 */
export function iamLikeMatches(pattern: string, value: string): boolean {
  return likeRegExp(pattern).test(value);
}

function likeRegExp(pattern: string): RegExp {
  const body = Array.from(pattern).map(c => c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('');
  return new RegExp(`^${body}$`);
}

/**
 * Whether some string matches both patterns (the two languages intersect):
 * a walk over both patterns at once, `*` taking nothing or one more character.
 */
export function likePatternsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const width = b.length + 1;
  // Every move takes one step in a, in b or in both: no state is visited twice on one path.
  const walk = (i: number, j: number): boolean => {
    if (i === a.length && j === b.length) { return true; }
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) { return known; }
    const starA = i < a.length && a[i] === '*';
    const starB = j < b.length && b[j] === '*';
    const result =
      // a's '*' ends here, or takes the one character b's next literal or '?' takes.
      (starA && (walk(i + 1, j) || (j < b.length && !starB && walk(i, j + 1)))) ||
      (starB && (walk(i, j + 1) || (i < a.length && !starA && walk(i + 1, j)))) ||
      (i < a.length && j < b.length && !starA && !starB && (a[i] === '?' || b[j] === '?' || a[i] === b[j]) && walk(i + 1, j + 1));
    memo.set(key, result);
    return result;
  };
  return walk(0, 0);
}

/** A namespace and a name, either a pattern or literal, as messages show them (pattern "pr-*" and name "web": pr-* then /web). */
export function describeSubjectPattern(namespace: string, serviceAccountName: string): string {
  return `${namespace}/${serviceAccountName}`;
}

/** The annotation that says which pattern of the role's trust a ServiceAccount matches. */
export const SUBJECT_PATTERN_ANNOTATION = 'cdk-eks-workload-identity/subject-pattern';

/** The pattern annotation of a ServiceAccount bound as a match of a pattern, none otherwise. */
export function subjectPatternAnnotations(binding: { readonly subjectPattern?: string }): { [key: string]: string } {
  return binding.subjectPattern !== undefined ? { [SUBJECT_PATTERN_ANNOTATION]: binding.subjectPattern } : {};
}
