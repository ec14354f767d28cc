import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { MigrationPhase } from '../../lib/core/migration-phase';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadBindingFile } from '../../lib/core/workload-binding-file';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/notifier';
const SWITCHED: WorkloadBinding = {
  clusterName: 'campus', namespace: 'notifications', serviceAccountName: 'notifier', mechanism: IdentityMechanism.BOTH, roleArn: ROLE_ARN,
  migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED },
};
const WHERE = "binding for 'notifications/notifier' on cluster 'campus'";
const file = (bindings: object[], version = 2) => JSON.stringify({ version, bindings });

describe('a binding carries its migration (format 2, optional field)', () => {
  test('GIVEN a switched binding WHEN written and read back THEN the migration survives, after the other fields', () => {
    const json = WorkloadBindingFile.toJson([SWITCHED]);
    expect(Object.keys(JSON.parse(json).bindings[0])).toEqual(['clusterName', 'namespace', 'serviceAccountName', 'mechanism', 'roleArn', 'migration']);
    expect(WorkloadBindingFile.fromJson(json)).toEqual([SWITCHED]);
  });

  test('GIVEN a version 2 file without migration WHEN read THEN the binding has none', () => {
    const [binding] = WorkloadBindingFile.fromJson(file([{ clusterName: 'campus', namespace: 'notifications', serviceAccountName: 'notifier', mechanism: 'BOTH', roleArn: ROLE_ARN }]));
    expect(binding).not.toHaveProperty('migration');
  });

  test('GIVEN a version 1 file WHEN read THEN the binding has no migration', () => {
    const [binding] = WorkloadBindingFile.fromJson(file([{
      clusterName: 'campus', namespace: 'notifications', serviceAccountName: 'notifier', mechanism: 'BOTH', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN },
    }], 1));
    expect(binding).not.toHaveProperty('migration');
  });

  test('GIVEN a migration whose phase wires another mechanism WHEN read THEN it is refused, naming both', () => {
    expect(() => WorkloadBindingFile.fromJson(file([{ ...SWITCHED, mechanism: 'IRSA' }]))).toThrow(
      `Invalid ${WHERE}: migration irsa-to-pod-identity/switched wires BOTH, but the mechanism is IRSA. Set mechanism BOTH, or write the binding again from the WorkloadIdentity.`);
  });

  test.each([
    [{ to: 'BOTH', phase: 'SWITCHED' }, 'to "BOTH" must be POD_IDENTITY or IRSA. BOTH is not a destination: it is the SWITCHED phase to POD_IDENTITY (or the PREPARED phase to IRSA).'],
    [{ to: 'POD_IDENTITY', phase: 'switched' }, 'phase "switched" must be one of PREPARED, SWITCHED, FINISHED.'],
    [{ to: 'POD_IDENTITY', phase: 'SWITCHED', from: 'IRSA' }, "unknown field 'from'; the fields are to, phase."],
    ['irsa-to-pod-identity/switched', 'it must be { to, phase }, got "irsa-to-pod-identity/switched".'],
  ])('GIVEN migration %j WHEN read THEN it is refused with the reason', (migration, reason) => {
    expect(() => WorkloadBindingFile.fromJson(file([{ ...SWITCHED, migration }]))).toThrow(`Invalid migration of the ${WHERE}: ${reason}`);
  });
});
