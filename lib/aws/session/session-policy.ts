import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { PodIdentityOptions } from '../identity/workload-identity-options';

// EKS: the association's Policy is at most 2,048 characters.
const SESSION_POLICY_MAX = 2048;

/**
 * The association's `Policy` as a JSON string, or undefined. EKS refuses a
 * session policy on an association with session tags, so it needs them off.
 */
export function sessionPolicyJson(scope: Construct, options: PodIdentityOptions | undefined): string | undefined {
  const policy = options?.sessionPolicy;
  if (!policy) { return undefined; }
  const path = scope.node.path;
  if (options.sessionTags !== false) {
    throw new WorkloadIdentityError(
      `WorkloadIdentity '${path}' sets a sessionPolicy, which EKS accepts only on associations with session tags disabled. ` +
      'Set podIdentity.sessionTags to false and restrictTrustToSubjects to false (narrow the trust with additionalTrustConditions on aws:SourceArn), ' +
      'or scope the grants by session tags (identity.sessionTag) instead.', path);
  }
  const stack = Stack.of(scope);
  const rendered = stack.resolve(policy);
  const json = JSON.stringify(rendered);
  if (!Token.isUnresolved(json) && !json.includes('"Fn::') && !json.includes('"Ref"') && json.length > SESSION_POLICY_MAX) {
    throw new WorkloadIdentityError(`The sessionPolicy of WorkloadIdentity '${path}' has ${json.length} characters; EKS allows ${SESSION_POLICY_MAX}. Shorten it.`, path);
  }
  return stack.toJsonString(policy);
}
