import { IConstruct } from 'constructs';

/** Where an identity keeps the wildcard subjects it wrote (a property, not metadata: nothing of it reaches the cloud assembly). */
const PATTERNS = Symbol.for('cdk-eks-workload-identity.subjectPatterns');

/**
 * Records that the library wrote `subject` (a `system:serviceaccount:...`
 * pattern it validated) into the trust of the role under `owner`.
 */
export function recordSubjectPattern(owner: IConstruct, subject: string): void {
  const holder = owner as unknown as { [PATTERNS]?: Set<string> };
  if (!holder[PATTERNS]) { Object.defineProperty(holder, PATTERNS, { value: new Set<string>() }); }
  holder[PATTERNS]!.add(subject);
}

/**
 * The key under which a pattern the library wrote on the Pod Identity side (session tags) is recorded:
 * apart from IRSA's, so a Pod Identity pattern never excuses a hand-written IRSA `:sub` wildcard (WI-AWS-4).
 */
export function podIdentitySubjectPatternKey(subject: string): string {
  return `pod-identity|${subject}`;
}

/** The wildcard subjects the library wrote for the role of `construct` (recorded on it or a scope of it). */
export function librarySubjectPatterns(construct: IConstruct | undefined): ReadonlySet<string> {
  for (let c = construct; c; c = c.node.scope) {
    const recorded = (c as unknown as { [PATTERNS]?: Set<string> })[PATTERNS];
    if (recorded) { return recorded; }
  }
  return new Set();
}
