import { K8sRule } from './k8s-rule';
import { staticKeyEnv } from './wi-k8s-1-static-key-env';
import { staticKeySecret } from './wi-k8s-2-static-key-secret';
import { defaultServiceAccount } from './wi-k8s-3-default-service-account';
import { undefinedServiceAccount } from './wi-k8s-4-undefined-service-account';
import { unbackedRoleArn } from './wi-k8s-5-unbacked-role-arn';
import { automountWithoutIdentity } from './wi-k8s-6-automount-without-identity';
import { podIdentityUnsupportedPod } from './wi-k8s-7-pod-identity-unsupported-pod';

/**
 * The Kubernetes side's rules, in id order: each file `wi-k8s-<n>-<name>.ts`
 * holds one rule's id, level, texts and check (test/guardrails/rule-files.test.ts
 * keeps this table and the files in step).
 */
export const K8S_RULES: readonly K8sRule[] = [
  staticKeyEnv,
  staticKeySecret,
  defaultServiceAccount,
  undefinedServiceAccount,
  unbackedRoleArn,
  automountWithoutIdentity,
  podIdentityUnsupportedPod,
];
