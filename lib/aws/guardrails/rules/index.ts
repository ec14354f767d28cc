import { AwsRuleContext, ResourceFinding } from '../template-model';
import { duplicateOidcProvider } from './duplicate-oidc-provider';
import { duplicatePodIdentityAgent } from './duplicate-pod-identity-agent';
import { inlinePoliciesTooLong } from './inline-policies-too-long';
import { irsaTrustUnscoped } from './irsa-trust-unscoped';
import { irsaWildcardSubject } from './irsa-wildcard-subject';
import { nodeImdsReachable } from './node-imds-reachable';
import { podIdentityTrustTagSession } from './pod-identity-trust-tag-session';
import { podIdentityTrustUnscoped } from './pod-identity-trust-unscoped';
import { podIdentityUnsupportedTarget } from './pod-identity-unsupported-target';
import { staticAccessKey } from './static-access-key';
import { tooManyPodIdentityAssociations } from './too-many-pod-identity-associations';
import { trustPolicyTooLong } from './trust-policy-too-long';
import { userWithPolicies } from './user-with-policies';
import { workloadRoleTrustsAnyone } from './workload-role-trusts-anyone';

/** Every AWS rule, in id order. */
export const AWS_RULE_CHECKS: ((context: AwsRuleContext) => ResourceFinding[])[] = [
  staticAccessKey,
  userWithPolicies,
  irsaTrustUnscoped,
  irsaWildcardSubject,
  workloadRoleTrustsAnyone,
  podIdentityTrustTagSession,
  podIdentityTrustUnscoped,
  trustPolicyTooLong,
  tooManyPodIdentityAssociations,
  duplicatePodIdentityAgent,
  nodeImdsReachable,
  podIdentityUnsupportedTarget,
  duplicateOidcProvider,
  inlinePoliciesTooLong,
];
