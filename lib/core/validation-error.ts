/**
 * Raised at synth time when an input cannot produce a consistent pair of
 * AWS and Kubernetes outputs. The message names the bad value and the fix.
 */
export class WorkloadIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadIdentityError';
    Object.setPrototypeOf(this, WorkloadIdentityError.prototype);
  }
}
