import { WorkloadIdentityErrors } from '../../lib';
import { eksCluster, newStack } from '../fixtures';
import { WorkloadIdentity } from '../../lib/aws/identity/workload-identity';

/** The error `fn` throws. */
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('WorkloadIdentityErrors', () => {
  test('GIVEN a bad input to a construct WHEN it throws THEN the error is the library\'s, with the construct path and a clean stack', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    const error = caught(() => new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'analytics', serviceAccountName: 'reader', roleName: 'a'.repeat(65) }));

    // THEN
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(error)).toBe(true);
    expect(WorkloadIdentityErrors.constructPathOf(error)).toBe('Test/Reader');
    expect(error).toBeInstanceOf(Error);
    const stackTrace = (error as Error).stack!.split('\n');
    expect(stackTrace[0]).toBe(`WorkloadIdentityError: Invalid role name '${'a'.repeat(65)}': it has 65 characters, IAM allows 64. Choose a shorter roleName.`);
    expect(stackTrace[1]).toBe("    at construct 'Test/Reader'");
    // The user's frame first (where the bad value came from), then the library's frames down to it (for bug reports)
    expect(stackTrace[2]).toContain('validation-error.test.ts');
    const library = stackTrace.slice(3).filter(line => /[/\\]lib[/\\]/.test(line));
    expect(library.length).toBeGreaterThan(0);
    expect(library.some(line => line.includes('workload-identity'))).toBe(true);
  });

  test('GIVEN other errors THEN they are not the library\'s', () => {
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(new Error('x'))).toBe(false);
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(undefined)).toBe(false);
    expect(WorkloadIdentityErrors.isWorkloadIdentityError('WorkloadIdentityError')).toBe(false);
    expect(WorkloadIdentityErrors.constructPathOf(new Error('x'))).toBeUndefined();
  });
});
