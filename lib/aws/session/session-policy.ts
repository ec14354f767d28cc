import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describeFargateSelector, FargateProfileSelector } from '../../core/fargate-selector';
import { WorkloadIdentityError } from '../../core/validation-error';
import { PodIdentityOptions } from '../identity/workload-identity-options';

// EKS: the association's Policy is at most 2,048 characters.
const SESSION_POLICY_MAX = 2048;

/**
 * The association's `Policy` as a JSON string, or undefined. EKS refuses a
 * session policy on an association with session tags, so it needs them off;
 * only the identity's own associations carry it, so it needs them on.
 */
export function sessionPolicyJson(scope: Construct, options: PodIdentityOptions | undefined, createPodIdentityAssociations?: boolean): string | undefined {
  const policy = options?.sessionPolicy;
  if (!policy) { return undefined; }
  const path = scope.node.path;
  if (options.sessionTags !== false) {
    throw new WorkloadIdentityError(
      `WorkloadIdentity '${path}' sets a sessionPolicy, which EKS accepts only on associations with session tags disabled. ` +
      'Set podIdentity.sessionTags to false and restrictTrustToSubjects to false (narrow the trust with additionalTrustConditions on aws:SourceArn), ' +
      'or scope the grants by session tags (identity.sessionTag) instead.', path);
  }
  if (createPodIdentityAssociations === false) {
    throw new WorkloadIdentityError(
      `WorkloadIdentity '${path}' sets a sessionPolicy, but its pod identity associations are declared elsewhere (createPodIdentityAssociations: false, ` +
      'as a catalog add-on sets: an EKS add-on\'s PodIdentityAssociations have no Policy field), so the policy would narrow none of its pods. ' +
      'Leave createPodIdentityAssociations on (installAddon: false for a catalog add-on), or grant the narrower permissions to a role of its own.', path);
  }
  const stack = Stack.of(scope);
  const rendered = stack.resolve(policy);
  if (rendered === undefined || policy.isEmpty) {
    throw new WorkloadIdentityError(
      `The sessionPolicy of WorkloadIdentity '${path}' has no statements: EKS refuses an empty Policy, and a session policy that allows nothing ` +
      'would deny the pods everything. Add the statements the pods may use, or leave sessionPolicy out.', path);
  }
  const json = JSON.stringify(rendered);
  if (!Token.isUnresolved(json) && !json.includes('"Fn::') && !json.includes('"Ref"') && json.length > SESSION_POLICY_MAX) {
    throw new WorkloadIdentityError(`The sessionPolicy of WorkloadIdentity '${path}' has ${json.length} characters; EKS allows ${SESSION_POLICY_MAX}. Shorten it.`, path);
  }
  return stack.toJsonString(policy);
}

/**
 * Why a subject would get the role without the session policy, or undefined:
 * only a Pod Identity association applies it. A role that trusts IRSA for the
 * subject (IRSA, BOTH, a migration before FINISHED to Pod Identity or to IRSA)
 * lets its pods present their projected token to STS and get the whole role.
 */
export function sessionPolicyBypass(path: string, where: string, trustsIrsa: boolean, how: string, fargate?: FargateProfileSelector): string | undefined {
  if (!trustsIrsa) { return undefined; }
  // Pods on Fargate can only use IRSA: no mechanism of this identity gives them the session policy.
  const onFargate = fargate ? `; its pods run on Fargate by ${describeFargateSelector(fargate)}, where only IRSA gives credentials` : '';
  const fix = fargate
    ? 'Bind this ServiceAccount with a WorkloadIdentity of its own, without sessionPolicy, granted only the narrower permissions.'
    : 'Use IdentityMechanism.POD_IDENTITY for every subject (a migration to Pod Identity once FINISHED), or grant the narrower permissions to a role of its own.';
  return `${where} can get the role by IRSA (${how}${onFargate}), but WorkloadIdentity '${path}' narrows its pods with podIdentity.sessionPolicy, which only ` +
    `its Pod Identity associations apply: where the trust admits IRSA, a pod presents its projected token to STS and gets the whole role. ${fix}`;
}
