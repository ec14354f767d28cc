import { iamLikeMatches } from './subject-pattern';

/**
 * Whether a policy statement's Action (or, if it has one, NotAction) covers
 * `action` as IAM reads them: service prefix and action name
 * case-insensitive, `*` and `?` wildcards anywhere in the name, and a
 * NotAction covering every action it does not list (IAM User Guide, "IAM
 * JSON policy elements: Action" and "NotAction"). Comparing the strings
 * misses 'sts:AssumeRole*', 'STS:TagSession' or a NotAction, which IAM
 * honours all the same.
 */
export function statementCoversAction(actions: readonly string[], notActions: readonly string[] | undefined, action: string): boolean {
  const wanted = action.toLowerCase();
  if (notActions !== undefined) { return !notActions.some(p => actionMatches(p, wanted)); }
  return actions.some(p => actionMatches(p, wanted));
}

/** `pattern` against an action already in lower case. */
function actionMatches(pattern: string, lowerAction: string): boolean {
  const p = pattern.toLowerCase();
  return p.includes('*') || p.includes('?') ? iamLikeMatches(p, lowerAction) : p === lowerAction;
}
