import { usesIrsa } from './identity-mechanism';
import {
  AUDIENCE_ANNOTATION, DEFAULT_AUDIENCE, ROLE_ARN_ANNOTATION, STS_REGIONAL_ENDPOINTS_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION,
} from './service-account-annotations';
import { WorkloadBinding } from './workload-binding';

/**
 * The `eks.amazonaws.com/*` annotations the EKS pod identity webhook reads,
 * rendered from a binding: the role ARN and the IRSA settings for a mechanism
 * that uses IRSA, none for Pod Identity (its association lives in AWS).
 */
export function serviceAccountAnnotations(binding: WorkloadBinding): { [key: string]: string } {
  const roleArn = roleArnAnnotationOf(binding);
  if (roleArn === undefined) { return {}; }
  const irsa = binding.irsa ?? {};
  return {
    [ROLE_ARN_ANNOTATION]: roleArn,
    ...(irsa.audience !== undefined && irsa.audience !== DEFAULT_AUDIENCE ? { [AUDIENCE_ANNOTATION]: irsa.audience } : {}),
    ...(irsa.stsRegionalEndpoints !== undefined ? { [STS_REGIONAL_ENDPOINTS_ANNOTATION]: String(irsa.stsRegionalEndpoints) } : {}),
    ...(irsa.tokenExpirationSeconds !== undefined ? { [TOKEN_EXPIRATION_ANNOTATION]: String(irsa.tokenExpirationSeconds) } : {}),
  };
}

/** The role ARN annotation a binding renders (`serviceAccountAnnotations(binding)[ROLE_ARN_ANNOTATION]`, without the other annotations), if any. */
export function roleArnAnnotationOf(binding: WorkloadBinding): string | undefined {
  return usesIrsa(binding.mechanism) ? binding.roleArn : undefined;
}

/** The Kubernetes annotation that says why a ServiceAccount has its mechanism, where Fargate decided or constrains it. */
export const MECHANISM_REASON_ANNOTATION = 'cdk-eks-workload-identity/mechanism-reason';

/** The annotation that shows the binding's `mechanismReason` to `kubectl`, or none. */
export function mechanismReasonAnnotations(binding: WorkloadBinding): { [key: string]: string } {
  return binding.mechanismReason !== undefined ? { [MECHANISM_REASON_ANNOTATION]: binding.mechanismReason } : {};
}
