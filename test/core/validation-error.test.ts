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
    // Only the caller's frames: none inside the library or node_modules
    expect(stackTrace.slice(2).filter(line => /[/\\](lib|node_modules)[/\\]|node:internal/.test(line))).toEqual([]);
    expect(stackTrace.slice(2).some(line => line.includes('validation-error.test.ts'))).toBe(true);
  });

  test('GIVEN other errors THEN they are not the library\'s', () => {
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(new Error('x'))).toBe(false);
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(undefined)).toBe(false);
    expect(WorkloadIdentityErrors.isWorkloadIdentityError('WorkloadIdentityError')).toBe(false);
    expect(WorkloadIdentityErrors.constructPathOf(new Error('x'))).toBeUndefined();
  });
});
