import { containsCdkToken } from '../cdk-token';
import { WorkloadIdentityError } from '../validation-error';
import { NOT_AN_ARN, accountProblem, partitionProblem, splitArn } from './aws-environment';
import { disallowedCharIn, hazardIn, show } from './describe';
import { issuerUrlProblem } from './oidc-issuer-url';
import { requireString } from './required';

// IAM: a role name is 1-64 of [\w+=,.@-]; a path is '/' or '/.../' of printable ASCII, at most 512 characters.
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PATH_CHAR = /[\x21-\x7e]/;
const PATH_MAX = 512;

const ROLE_SHAPE = 'arn:<partition>:iam::<12-digit account>:role/<optional path/><role name of 1-64 letters, digits or + = , . @ _ ->';
const ROLE_FIX = "Pass the role's ARN as `aws iam get-role --query Role.Arn` prints it";

/**
 * What is wrong with `arn` as an IAM role ARN, worded to follow 'it ' or
 * 'its ...', or undefined. It is the ServiceAccount's `eks.amazonaws.com/role-arn`:
 * a role the webhook cannot name exactly is no role at all.
 */
export function roleArnProblem(arn: string): string | undefined {
  const parts = iamArnParts(arn, 'role/');
  if (typeof parts === 'string') { return parts; }
  const slash = parts.resource.lastIndexOf('/');
  const path = parts.resource.slice(0, slash + 1);
  const name = parts.resource.slice(slash + 1);
  if (path.length > PATH_MAX) { return `its path has ${path.length} characters; IAM allows ${PATH_MAX}`; }
  const badPathChar = disallowedCharIn(path, PATH_CHAR);
  if (badPathChar) { return `its path contains ${badPathChar}`; }
  if (!ROLE_NAME.test(name)) { return `its role name ${show(name)} is not 1-64 letters, digits or + = , . @ _ -`; }
  return undefined;
}

/**
 * Throws unless `arn` is a literal IAM role ARN (no token, no wildcard, no
 * policy variable).
 *
 * @param what the value, as the user knows it (e.g. "roleArn of the binding for 'ns/sa'")
 */
export function validateRoleArn(arn: unknown, what = 'IAM role ARN'): void {
  const value = requireString(arn, `The ${what}`, `${ROLE_FIX}.`);
  if (containsCdkToken(value)) {
    throw new WorkloadIdentityError(
      `Invalid ${what} ${show(value)}: it is an unresolved CDK token, and the Kubernetes manifest needs the literal ARN. ${ROLE_FIX}.`);
  }
  const problem = roleArnProblem(value);
  if (problem) {
    throw new WorkloadIdentityError(`Invalid ${what} ${show(value)}: ${problem}. An IAM role ARN is ${ROLE_SHAPE}. ${ROLE_FIX}.`);
  }
}

/**
 * Throws unless a literal OIDC provider ARN names an IAM OIDC provider
 * (`arn:<partition>:iam::<account>:oidc-provider/<issuer host and path>`):
 * it is the Federated principal of an IRSA trust policy. A token is accepted.
 */
export function validateOidcProviderArn(arn: unknown): void {
  const fix = 'Pass the ARN as `aws iam list-open-id-connect-providers` prints it';
  const value = requireString(arn, 'The OIDC provider ARN', `${fix}.`);
  if (containsCdkToken(value)) { return; }
  const parts = iamArnParts(value, 'oidc-provider/');
  const problem = typeof parts === 'string' ? parts : issuerUrlProblem(`https://${parts.resource}`)?.replace(/^it /, 'its issuer ');
  if (problem) {
    throw new WorkloadIdentityError(
      `Invalid OIDC provider ARN ${show(value)}: ${problem}. ` +
      `An OIDC provider ARN is arn:<partition>:iam::<12-digit account>:oidc-provider/<issuer host and path>. ${fix}.`);
  }
}

/** The account and resource after `resourcePrefix` of an IAM ARN, or what is wrong with it. */
function iamArnParts(arn: string, resourcePrefix: string): { account: string; resource: string } | string {
  const hazard = hazardIn(arn);
  if (hazard) { return `it ${hazard}`; }
  const parts = splitArn(arn);
  if (!parts) { return NOT_AN_ARN; }
  const [partition, service, region, account, resource] = parts;
  const partitionIssue = partitionProblem(partition);
  if (partitionIssue) { return `its partition ${show(partition)} ${partitionIssue}`; }
  if (service !== 'iam') { return `its service is ${show(service)}, not 'iam'`; }
  if (region !== '') { return `it has the region ${show(region)}; IAM ARNs have none`; }
  const accountIssue = accountProblem(account);
  if (accountIssue) { return `its account ${show(account)} ${accountIssue}`; }
  if (!resource.startsWith(resourcePrefix)) { return `its resource ${show(resource)} does not start with '${resourcePrefix}'`; }
  return { account, resource: resource.slice(resourcePrefix.length) };
}
