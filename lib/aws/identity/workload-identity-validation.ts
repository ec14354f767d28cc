import { Duration, Token } from 'aws-cdk-lib';
import { MIN_TOKEN_EXPIRATION_SECONDS } from '../../core/service-account-annotations';
import { validateAudience } from '../../core/validation';
import { show } from '../../core/validation/describe';
import { WorkloadIdentityError } from '../../core/validation-error';
import { IRSA_SIDE, POD_IDENTITY_SIDE, withAddedConditions } from '../trust/trust-conditions';
import { IrsaOptions, WorkloadIdentityOptions } from './workload-identity-options';

/**
 * Checks of the options that a role would only fail at deploy, or that
 * aws-cdk-lib's iam.Role makes with an error that does not name the fix.
 */
export function validateIdentityOptions(path: string, options: WorkloadIdentityOptions): void {
  validateIrsaOptions(path, options.irsa ?? {});
  // Their shape now, even where no statement (or no role of ours) will carry them: the existing-role warning lists them.
  withAddedConditions({}, options.irsa?.additionalTrustConditions, IRSA_SIDE, path);
  withAddedConditions({}, options.podIdentity?.additionalTrustConditions, POD_IDENTITY_SIDE, path);
  refuseRequestTagsWithoutSessionTags(path, options);
  const restrictTrust = options.podIdentity?.restrictTrustToSubjects ?? true;
  if (restrictTrust && options.podIdentity?.sessionTags === false) {
    throw new WorkloadIdentityError(
      `WorkloadIdentity '${path}' disables session tags but restricts its trust to its subjects by those tags, ` +
      'so every association would be denied. Keep podIdentity.sessionTags true, or set podIdentity.restrictTrustToSubjects to false.', path);
  }
  if (options.role) {
    const ignored = (['roleName', 'roleNamePrefix', 'rolePath', 'description', 'maxSessionDuration', 'managedPolicies', 'permissionsBoundary'] as const)
      .filter(k => options[k] !== undefined);
    if (ignored.length > 0) {
      throw new WorkloadIdentityError(`WorkloadIdentity '${path}' takes an existing role, so ${ignored.join(', ')} cannot apply. Set them on that role instead.`, path);
    }
    return;
  }
  if (options.roleName !== undefined && options.roleNamePrefix !== undefined) {
    throw new WorkloadIdentityError(`WorkloadIdentity '${path}' sets both roleName and roleNamePrefix. Set one: the prefix is for a generated name.`, path);
  }
  const maxSessionDuration = options.maxSessionDuration?.toSeconds();
  if (maxSessionDuration !== undefined && !Token.isUnresolved(maxSessionDuration) && (maxSessionDuration < 3600 || maxSessionDuration > 43200)) {
    throw new WorkloadIdentityError(`Invalid maxSessionDuration ${maxSessionDuration} seconds for role '${path}/Resource': IAM allows 1 to 12 hours. Use e.g. Duration.hours(1).`, path);
  }
  if (options.description !== undefined && !Token.isUnresolved(options.description) && options.description.length > 1000) {
    throw new WorkloadIdentityError(`Invalid description for role '${path}/Resource': it has ${options.description.length} characters, IAM allows 1000. Shorten it.`, path);
  }
}

/** With session tags disabled, EKS sends no request tags: a condition on them would deny every pod. */
function refuseRequestTagsWithoutSessionTags(path: string, options: WorkloadIdentityOptions): void {
  if (options.podIdentity?.sessionTags !== false) { return; }
  for (const [operator, keys] of Object.entries(options.podIdentity.additionalTrustConditions ?? {})) {
    const tagKey = Object.keys(keys ?? {}).find(k => /^aws:(RequestTag\/|TagKeys$)/i.test(k));
    if (tagKey !== undefined) {
      throw new WorkloadIdentityError(
        `${POD_IDENTITY_SIDE.option} ${operator} ${show(tagKey)} can never match: podIdentity.sessionTags is false, so EKS sends no session tags ` +
        `and the condition would deny every pod. Keep session tags on, or use keys these requests carry (e.g. ${POD_IDENTITY_SIDE.usefulKeys}).`, path);
    }
  }
}

function validateIrsaOptions(path: string, irsa: IrsaOptions): void {
  if (irsa.audience !== undefined) { validateAudience(irsa.audience); }
  if (irsa.tokenExpiration !== undefined) {
    const seconds = tokenExpirationSeconds(irsa.tokenExpiration, path);
    if (seconds < MIN_TOKEN_EXPIRATION_SECONDS) {
      throw new WorkloadIdentityError(
        `Invalid IRSA tokenExpiration ${seconds} seconds: the EKS pod identity webhook requires at least ${MIN_TOKEN_EXPIRATION_SECONDS}. Use Duration.hours(1) or more.`, path);
    }
  }
}

/** The annotation carries whole seconds; a fraction is refused with the library's error. */
export function tokenExpirationSeconds(duration: Duration, path?: string): number {
  try {
    return duration.toSeconds();
  } catch {
    throw new WorkloadIdentityError(
      `Invalid IRSA tokenExpiration ${duration.toString()}: the eks.amazonaws.com/token-expiration annotation takes whole seconds. Use e.g. Duration.hours(24).`, path);
  }
}
