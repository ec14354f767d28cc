import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { K8sRuleContext } from '../manifest-model';
import { automountWithoutIdentity } from './automount-without-identity';
import { defaultServiceAccount } from './default-service-account';
import { podIdentityUnsupportedPod } from './pod-identity-unsupported-pod';
import { staticKeyEnv } from './static-key-env';
import { staticKeySecret } from './static-key-secret';
import { unbackedRoleArn } from './unbacked-role-arn';
import { undefinedServiceAccount } from './undefined-service-account';

/** Every Kubernetes rule, in id order. */
export const K8S_RULE_CHECKS: ((context: K8sRuleContext) => GuardrailFinding[])[] = [
  staticKeyEnv,
  staticKeySecret,
  defaultServiceAccount,
  undefinedServiceAccount,
  unbackedRoleArn,
  automountWithoutIdentity,
  podIdentityUnsupportedPod,
];
