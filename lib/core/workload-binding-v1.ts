import { IdentityMechanism } from './identity-mechanism';
import {
  AUDIENCE_ANNOTATION, ROLE_ARN_ANNOTATION, STS_REGIONAL_ENDPOINTS_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION, isReservedAnnotation,
} from './service-account-annotations';
import { validateBindingValues } from './validation';
import { WorkloadIdentityError } from './validation-error';
import { IrsaServiceAccountSettings, WorkloadBinding } from './workload-binding';

/**
 * A binding of format version 1 (rendered annotations instead of intent) as a
 * version 2 binding: the `eks.amazonaws.com/*` annotations become `roleArn`
 * and `irsa`. Any other annotation has no place in version 2: it is refused.
 */
export function fromVersion1(entry: any): WorkloadBinding {
  const where = `binding for '${entry.namespace}/${entry.serviceAccountName}' on cluster '${entry.clusterName}'`;
  const annotations = entry.serviceAccountAnnotations ?? {};
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) {
    throw new WorkloadIdentityError(`Invalid ${where}: serviceAccountAnnotations must be an object of strings, got ${JSON.stringify(annotations)}.`);
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string') {
      throw new WorkloadIdentityError(`Invalid ${where}: annotation '${key}' must be a string, got ${JSON.stringify(value)}.`);
    }
  }
  // Keys by the Kubernetes rule, and the eks.amazonaws.com/* values by the rules the library writes them.
  validateBindingValues({ ...entry, serviceAccountAnnotations: annotations }, where);
  const foreign = Object.keys(annotations).filter(key => !isReservedAnnotation(key));
  if (foreign.length > 0) {
    throw new WorkloadIdentityError(
      `Invalid ${where}: annotation '${foreign[0]}' is not the library's. Bindings (version 2) hold only what the library renders; ` +
      'set other annotations with WorkloadServiceAccount\'s annotations.');
  }
  const roleArnAnnotation: string | undefined = annotations[ROLE_ARN_ANNOTATION];
  if (entry.roleArn !== undefined && roleArnAnnotation !== undefined && entry.roleArn !== roleArnAnnotation) {
    throw new WorkloadIdentityError(`Invalid ${where}: roleArn '${entry.roleArn}' differs from its annotation '${roleArnAnnotation}'.`);
  }
  const mechanism: IdentityMechanism = entry.mechanism;
  if (mechanism === IdentityMechanism.POD_IDENTITY && Object.keys(annotations).length > 0) {
    throw new WorkloadIdentityError(
      `Invalid ${where}: Pod Identity ServiceAccounts carry no IRSA annotations, found ${Object.keys(annotations).join(', ')}. ` +
      'Remove them, or use mechanism BOTH while migrating from IRSA.');
  }
  const irsa: IrsaServiceAccountSettings = {
    ...(annotations[AUDIENCE_ANNOTATION] !== undefined ? { audience: annotations[AUDIENCE_ANNOTATION] } : {}),
    ...(annotations[STS_REGIONAL_ENDPOINTS_ANNOTATION] !== undefined ? { stsRegionalEndpoints: annotations[STS_REGIONAL_ENDPOINTS_ANNOTATION] === 'true' } : {}),
    ...(annotations[TOKEN_EXPIRATION_ANNOTATION] !== undefined ? { tokenExpirationSeconds: Number(annotations[TOKEN_EXPIRATION_ANNOTATION]) } : {}),
  };
  const roleArn: string | undefined = entry.roleArn ?? roleArnAnnotation;
  return {
    clusterName: entry.clusterName,
    namespace: entry.namespace,
    serviceAccountName: entry.serviceAccountName,
    mechanism,
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(Object.keys(irsa).length > 0 ? { irsa } : {}),
  };
}
