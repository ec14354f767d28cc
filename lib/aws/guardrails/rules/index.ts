import { AwsRule } from './aws-rule';
import { staticAccessKey } from './wi-aws-1-static-access-key';
import { duplicatePodIdentityAgent } from './wi-aws-10-duplicate-pod-identity-agent';
import { nodeImdsReachable } from './wi-aws-11-node-imds-reachable';
import { podIdentityUnsupportedTarget } from './wi-aws-12-pod-identity-unsupported-target';
import { duplicateOidcProvider } from './wi-aws-13-duplicate-oidc-provider';
import { inlinePoliciesTooLong } from './wi-aws-14-inline-policies-too-long';
import { podIdentityWildcardSubject } from './wi-aws-15-pod-identity-wildcard-subject';
import { userWithPolicies } from './wi-aws-2-user-with-policies';
import { irsaTrustUnscoped } from './wi-aws-3-irsa-trust-unscoped';
import { irsaWildcardSubject } from './wi-aws-4-irsa-wildcard-subject';
import { workloadRoleTrustsAnyone } from './wi-aws-5-workload-role-trusts-anyone';
import { podIdentityTrustTagSession } from './wi-aws-6-pod-identity-trust-tag-session';
import { podIdentityTrustUnscoped } from './wi-aws-7-pod-identity-trust-unscoped';
import { trustPolicyTooLong } from './wi-aws-8-trust-policy-too-long';
import { tooManyPodIdentityAssociations } from './wi-aws-9-too-many-pod-identity-associations';

/**
 * The AWS side's rules, in id order: each file `wi-aws-<n>-<name>.ts` holds
 * one rule's id, level, texts and check (test/guardrails/rule-files.test.ts
 * keeps this table and the files in step).
 */
export const AWS_RULES: readonly AwsRule[] = [
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
  podIdentityWildcardSubject,
];
