import { containsCdkToken } from '../cdk-token';
import { WorkloadIdentityError } from '../validation-error';
import { disallowedCharIn, hazardIn, show } from './describe';

/**
 * The parts of an ARN that place a resource: partition, region, account.
 * Each returns what is wrong, worded to follow 'it ', or undefined.
 */

// Every partition aws-cdk-lib's region table knows: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc.
const PARTITION = /^aws(-[a-z]+)*$/;
// Every region in aws-cdk-lib's region table: us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1, ...
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

export function partitionProblem(partition: string): string | undefined {
  return hazardIn(partition) ?? (PARTITION.test(partition) ? undefined : "is not an AWS partition ('aws', 'aws-cn', 'aws-us-gov', ...)");
}

export function regionProblem(region: string): string | undefined {
  return hazardIn(region) ?? (REGION.test(region) ? undefined : "is not an AWS region code (like 'eu-west-1')");
}

export function accountProblem(account: string): string | undefined {
  const hazard = hazardIn(account);
  if (hazard) { return hazard; }
  if (ACCOUNT.test(account)) { return undefined; }
  const bad = disallowedCharIn(account, /[0-9]/);
  return bad ? `contains ${bad}; an AWS account id is exactly 12 digits` : `has ${account.length} digits; an AWS account id has exactly 12`;
}

export const NOT_AN_ARN = "it is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)";

/** partition, service, region, account and resource (which may hold ':') of an ARN, or undefined. */
export function splitArn(arn: string): [string, string, string, string, string] | undefined {
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s.exec(arn);
  return m ? [m[1], m[2], m[3], m[4], m[5]] : undefined;
}

/**
 * Throws unless `account` is a 12-digit AWS account id (a stack's account
 * becomes the account of role ARNs in manifests). A token is accepted.
 *
 * @param what the value, as the user knows it (e.g. "account of stack 'App'")
 * @param fix what to change
 */
export function validateAccountId(account: string, what: string, fix: string): void {
  // Twelve digits hold no token and no hazard: the usual case is one test.
  if (ACCOUNT.test(account) || containsCdkToken(account)) { return; }
  const problem = accountProblem(account);
  if (problem) {
    throw new WorkloadIdentityError(`Invalid ${what} ${show(account)}: it ${problem}. ${fix}`);
  }
}
