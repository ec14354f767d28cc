import { Names, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validateAccountId } from '../../core/validation';
import { WorkloadIdentityError } from '../../core/validation-error';
import { regionPartition } from '../region-partition';

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Throws unless `name` is a valid IAM role name. */
export function validateRoleName(name: string, path?: string): void {
  if (Token.isUnresolved(name)) { return; }
  if (name.length > 64) {
    throw new WorkloadIdentityError(`Invalid role name '${name}': it has ${name.length} characters, IAM allows 64. Choose a shorter roleName.`, path);
  }
  if (!ROLE_NAME.test(name)) {
    throw new WorkloadIdentityError(`Invalid role name '${name}': IAM allows only letters, digits and + = , . @ _ -. Choose another roleName.`, path);
  }
}

/**
 * A deterministic role name derived from the construct path and the stack's
 * region: the same on every synth, and different when one app is deployed to
 * two regions of an account (IAM names are global per account).
 */
export function generatedRoleName(scope: Construct): string {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) { return Names.uniqueResourceName(scope, { maxLength: 64 }); }
  const suffix = `-${region}`;
  return `${Names.uniqueResourceName(scope, { maxLength: 64 - suffix.length })}${suffix}`;
}

/**
 * The literal ARN a role named `roleName` will have in `scope`'s stack. The
 * Kubernetes side needs it in YAML, where a CloudFormation token means nothing.
 *
 * Its partition is the stack's region's (a GovCloud stack's role is
 * `arn:aws-us-gov:`, whatever partition its cluster is in), as aws-cdk-lib's
 * region-info gives it (regionPartition, without loading its fact table).
 *
 * @param rolePath the role's path, '/' unless given
 */
export function literalRoleArn(scope: Construct, roleName: string, why: string, rolePath = '/'): string {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    throw new WorkloadIdentityError(
      `${why}, but stack '${stack.stackName}' is environment-agnostic, so the role ARN is unknown at synth time. ` +
      "Set env: { account: '123456789012', region: 'eu-west-1' } on the stack, or pass an existing role whose ARN is literal (iam.Role.fromRoleArn).", scope.node.path);
  }
  if (Token.isUnresolved(roleName)) {
    throw new WorkloadIdentityError(`${why}, but its role name is a token. Pass a literal roleName.`, scope.node.path);
  }
  validateAccountId(stack.account, `account of stack '${stack.stackName}'`, "Set the stack's env.account to the 12-digit id of the account it deploys to.");
  return `arn:${regionPartition(stack.region).partition ?? 'aws'}:iam::${stack.account}:role${rolePath}${roleName}`;
}
