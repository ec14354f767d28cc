import { withoutCdkTokens } from '../cdk-token';
import { WorkloadIdentityError } from '../validation-error';
import { disallowedCharIn, hazardIn, show } from './describe';
import { requireString } from './required';

// EKS CreateCluster: "alphanumeric characters (case-sensitive), hyphens, and underscores. It must
// start with an alphanumeric character and can't be longer than 100 characters".
const MAX = 100;
const FIRST = /^[0-9A-Za-z]/;
const CHAR = /[0-9A-Za-z_-]/;

export const CLUSTER_NAME_RULE = "A cluster name has 1-100 characters: letters, digits, '-' and '_', starting with a letter or digit " +
  '(the EKS CreateCluster rule, which also applies to the label of a cluster that is not EKS)';
const FIX = 'Pass the name exactly as `aws eks list-clusters` prints it, or for a cluster that is not EKS a label by that rule';

/**
 * What is wrong with `name` as a cluster name, worded to follow 'it ' in an
 * error, or undefined if it is valid.
 *
 * One rule for EKS names and NOT_EKS labels: both land in the same binding
 * field, in trust policy condition values, manifests, file and folder names.
 */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length === 0) { return 'is empty'; }
  const hazard = hazardIn(name);
  if (hazard) { return hazard; }
  if (name.length > MAX) { return `has ${name.length} characters`; }
  if (!FIRST.test(name)) { return `starts with '${name[0]}'`; }
  const bad = disallowedCharIn(name, CHAR);
  return bad ? `contains ${bad}` : undefined;
}

/**
 * Throws unless `name` is a valid cluster name. An aws-cdk-lib token (the
 * name of a cluster created in the app) is accepted; the literal text around
 * a token is still checked.
 */
export function validateClusterName(name: unknown): void {
  const value = requireString(name, 'The cluster name', `${FIX}.`);
  const problem = clusterNameProblem(withoutCdkTokens(value, 'a'));
  if (problem) {
    throw new WorkloadIdentityError(`Invalid cluster name ${show(value)}: it ${problem}. ${CLUSTER_NAME_RULE}. ${FIX}, e.g. ${show(suggestClusterName(value))}.`);
  }
}

/** A nearby valid name, so the error shows what would be accepted. */
function suggestClusterName(name: string): string {
  const s = name.replace(/-?[^0-9A-Za-z_-]+-?/g, '-').replace(/^[^0-9A-Za-z]+/, '').slice(0, MAX);
  return s.length > 0 ? s : 'my-cluster';
}
