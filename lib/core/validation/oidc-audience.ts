import { containsCdkToken } from '../cdk-token';
import { WorkloadIdentityError } from '../validation-error';
import { hazardIn, show } from './describe';
import { requireString } from './required';

// IAM CreateOpenIDConnectProvider: each client id has 1-255 characters.
const MAX = 255;
const RULE = `An OIDC audience (client id) has 1-${MAX} characters, without whitespace, control characters, '*' or '\${'`;
const FIX = 'Use the exact audience the tokens carry (the default is sts.amazonaws.com)';

/**
 * What is wrong with `audience` as an OIDC audience, worded to follow 'it ',
 * or undefined. It is the trust policy's `<issuer>:aud` value, a client id of
 * the OIDC provider and the `eks.amazonaws.com/audience` annotation.
 */
export function audienceProblem(audience: string): string | undefined {
  if (audience.length === 0) { return 'is empty'; }
  if (audience.length > MAX) { return `has ${audience.length} characters`; }
  // Non-ASCII is allowed: client ids are opaque strings; invisible ones are caught as whitespace or control characters.
  return hazardIn(audience, true);
}

/**
 * Throws unless `audience` is a valid OIDC audience.
 *
 * @param what the value, as the user knows it
 */
export function validateAudience(audience: unknown, what = 'IRSA audience'): void {
  const value = requireString(audience, `The ${what}`, `${FIX}.`);
  const problem = containsCdkToken(value) ? 'is an unresolved CDK token, and the audience must be literal in the manifest' : audienceProblem(value);
  if (problem) {
    throw new WorkloadIdentityError(`Invalid ${what} ${show(value)}: it ${problem}. ${RULE}. ${FIX}.`);
  }
}
