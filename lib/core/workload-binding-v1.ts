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
export function fromVersion1(entry: any, position = 'binding'): WorkloadBinding {
  const where = `binding for '${entry.namespace}/${entry.serviceAccountName}' on cluster '${entry.clusterName}'`;
  refuseFieldsVersion1CannotCarry(entry, position);
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

/** The fields of a format 1 binding. */
const VERSION_1_FIELDS = ['clusterName', 'namespace', 'serviceAccountName', 'mechanism', 'roleArn', 'serviceAccountAnnotations'];
/** Fields of format 2 that format 1 has no place for: reading them as version 1 would drop them. */
const VERSION_2_ONLY_FIELDS = ['clusterArn', 'irsa', 'migration'];

/**
 * Format 1 has no cluster ARN, IRSA settings object or migration: a file
 * that says version 1 but carries them was edited or merged by hand, and
 * reading it as version 1 would drop what they say (a same-named cluster of
 * another account, a migration phase). Unknown fields are typos or another
 * tool's data. Either is refused, naming the field and the fix.
 */
function refuseFieldsVersion1CannotCarry(entry: object, position: string): void {
  const keys = Object.keys(entry);
  const newer = keys.filter(k => VERSION_2_ONLY_FIELDS.includes(k));
  if (newer.length > 0) {
    throw new WorkloadIdentityError(
      `Invalid ${position} of a version 1 bindings document: ${newer.map(k => `'${k}'`).join(', ')} ${newer.length > 1 ? 'are' : 'is'} not part of format version 1, ` +
      'and reading it as version 1 would drop it. Set "version": 2 (the format WorkloadOutputs.synth and WorkloadBindingFile.toJson write), ' +
      'or write the file again from the CDK app.');
  }
  const unknown = keys.filter(k => !VERSION_1_FIELDS.includes(k));
  if (unknown.length > 0) {
    throw new WorkloadIdentityError(
      `Invalid ${position} of a version 1 bindings document: unknown field ${unknown.map(k => `'${k}'`).join(', ')}; ` +
      `the fields of version 1 are ${VERSION_1_FIELDS.join(', ')}. Remove it, or write the file again from the CDK app (version 2).`);
  }
}
