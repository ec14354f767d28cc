import { containsCdkToken } from '../cdk-token';
import { IdentityMechanism, usesIrsa } from '../identity-mechanism';
import {
  AUDIENCE_ANNOTATION, MIN_TOKEN_EXPIRATION_SECONDS, ROLE_ARN_ANNOTATION, STS_REGIONAL_ENDPOINTS_ANNOTATION,
  TOKEN_EXPIRATION_ANNOTATION, isReservedAnnotation,
} from '../service-account-annotations';
import { WorkloadIdentityError } from '../validation-error';
import { validateAnnotationKey } from './annotation-key';
import { validateClusterArn } from './cluster-arn';
import { validateClusterName } from './cluster-name';
import { show } from './describe';
import { validateRoleArn } from './iam-arn';
import { validateAudience } from './oidc-audience';
import { requireValue } from './required';

/** The values of a binding (any format version) that reach a policy, an ARN or a manifest. */
export interface BindingValues {
  readonly clusterName: string;
  readonly clusterArn?: string;
  readonly mechanism: string;
  readonly roleArn?: string;
  readonly irsa?: { readonly audience?: string };
  readonly serviceAccountAnnotations?: { readonly [key: string]: unknown };
}

/**
 * Throws unless every value of `binding` passes the rule its constructor
 * applies, so a bindings file cannot carry what the library would refuse to
 * write: cluster name and ARN, role ARN, audience, annotation keys and the
 * `eks.amazonaws.com/*` values.
 *
 * @param where the binding, for messages (e.g. "binding for 'ns/sa' on cluster 'c'")
 */
export function validateBindingValues(binding: BindingValues, where: string): void {
  requireValue(binding, 'The binding', 'Pass WorkloadIdentity.primaryBinding, or one entry of a bindings file.');
  validateCluster(binding.clusterName, binding.clusterArn);
  if (binding.roleArn !== undefined) { validateRoleArn(binding.roleArn, `roleArn of the ${where}`); }
  if (binding.irsa?.audience !== undefined) { validateAudience(binding.irsa.audience, `IRSA audience of the ${where}`); }
  const annotations = binding.serviceAccountAnnotations;
  if (annotations === undefined || annotations === null || typeof annotations !== 'object') { return; }
  for (const [key, value] of Object.entries(annotations)) {
    validateAnnotationKey(key, `the ${where}`);
    // A Pod Identity binding with any eks.amazonaws.com/ key is refused by the binding's own check, with its reason.
    if (typeof value === 'string' && isReservedAnnotation(key) && usesIrsa(binding.mechanism as IdentityMechanism)) {
      validateReservedAnnotation(key, value, where);
    }
  }
}

/** The `eks.amazonaws.com/*` annotations the pod identity webhook reads, by the rules the library writes them. */
/**
 * Cluster names, and for each the ARNs, that passed the cluster checks: every
 * binding of a cluster carries the same two strings, so each pair is checked
 * once per process. The checks are a function of the strings alone; a pair
 * that fails is never kept, so it fails again, with the same error.
 */
const PASSED_CLUSTERS = new Map<string, Set<string | undefined>>();

function validateCluster(clusterName: string, clusterArn: string | undefined): void {
  const passed = typeof clusterName === 'string' && (clusterArn === undefined || typeof clusterArn === 'string') ? PASSED_CLUSTERS.get(clusterName) : undefined;
  if (passed?.has(clusterArn)) { return; }
  validateClusterName(clusterName);
  if (clusterArn !== undefined) { validateClusterArn(clusterArn, clusterName); }
  if (typeof clusterName !== 'string' || (clusterArn !== undefined && typeof clusterArn !== 'string')) { return; }
  const arns = PASSED_CLUSTERS.get(clusterName) ?? new Set<string | undefined>();
  PASSED_CLUSTERS.set(clusterName, arns.add(clusterArn));
}

function validateReservedAnnotation(key: string, value: string, where: string): void {
  const what = `${key} annotation of the ${where}`;
  switch (key) {
    case ROLE_ARN_ANNOTATION: return validateRoleArn(value, what);
    case AUDIENCE_ANNOTATION: return validateAudience(value, what);
    case STS_REGIONAL_ENDPOINTS_ANNOTATION:
      if (value === 'true' || value === 'false') { return; }
      throw new WorkloadIdentityError(`Invalid ${what} ${show(value)}: it must be 'true' or 'false'.`);
    case TOKEN_EXPIRATION_ANNOTATION:
      if (/^\d{1,10}$/.test(value) && Number(value) >= MIN_TOKEN_EXPIRATION_SECONDS) { return; }
      throw new WorkloadIdentityError(
        `Invalid ${what} ${show(value)}: it must be a whole number of seconds, at least ${MIN_TOKEN_EXPIRATION_SECONDS} (the EKS pod identity webhook's minimum).`);
    default:
      throw new WorkloadIdentityError(
        `Invalid ${what} ${show(value)}: the library writes only ${[ROLE_ARN_ANNOTATION, AUDIENCE_ANNOTATION, STS_REGIONAL_ENDPOINTS_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION].join(', ')} ` +
        'under eks.amazonaws.com/. Remove it.');
  }
}

/**
 * Throws if a binding read from a file holds an aws-cdk-lib token: it is a
 * value of another app's synth, and nothing can resolve it here.
 */
export function validateLiteralBinding(binding: BindingValues, where: string): void {
  for (const [field, value] of Object.entries({ clusterName: binding.clusterName, clusterArn: binding.clusterArn, roleArn: binding.roleArn })) {
    if (typeof value === 'string' && containsCdkToken(value)) {
      throw new WorkloadIdentityError(
        `Invalid ${field} ${show(value)} of the ${where}: it is an unresolved CDK token, which means nothing outside the app that made it. ` +
        'Write bindings of clusters and roles known by literal names and ARNs.');
    }
  }
}
