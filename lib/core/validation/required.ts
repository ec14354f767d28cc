import { WorkloadIdentityError } from '../validation-error';

/**
 * Throws the library's error, not a TypeError further down, when a required
 * value is missing: JavaScript and the other jsii languages can pass
 * undefined or null where TypeScript cannot.
 *
 * @param what the value, as the user wrote it (e.g. "WorkloadIdentity 'App/Payment' props.cluster")
 * @param fix what to pass instead
 */
export function requireValue<T>(value: T | undefined | null, what: string, fix: string): T {
  if (value === undefined || value === null) {
    throw new WorkloadIdentityError(`${what} is missing (got ${value}). ${fix}`);
  }
  return value;
}

/** Like `requireValue`, for a value that must be a string. */
export function requireString(value: unknown, what: string, fix: string): string {
  requireValue(value, what, fix);
  if (typeof value !== 'string') {
    throw new WorkloadIdentityError(`${what} must be a string, got ${JSON.stringify(value) ?? String(value)}. ${fix}`);
  }
  return value;
}

/**
 * Throws unless `value` is undefined or one of an enum's `values`: a jsii
 * language can pass any string where TypeScript passes an enum member.
 */
export function requireOneOf(value: unknown, values: string[], what: string): void {
  if (value !== undefined && !values.includes(value as string)) {
    throw new WorkloadIdentityError(`Invalid ${what} ${JSON.stringify(value) ?? String(value)}: it must be one of ${values.join(', ')}.`);
  }
}
