import { ClusterKind, defaultMechanismFor, supportsPodIdentity } from '../../lib/core/cluster-kind';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';

describe('ClusterKind', () => {
  test.each([
    [ClusterKind.EKS, true, IdentityMechanism.POD_IDENTITY],
    [ClusterKind.EKS_AUTO_MODE, true, IdentityMechanism.POD_IDENTITY],
    [ClusterKind.NOT_EKS, false, IdentityMechanism.IRSA],
  ])('GIVEN %s WHEN asked THEN Pod Identity support is %s and the default is %s', (kind, podIdentity, mechanism) => {
    expect(supportsPodIdentity(kind)).toBe(podIdentity);
    expect(defaultMechanismFor(kind)).toBe(mechanism);
  });

  test('GIVEN any kind WHEN its default is taken THEN the default is available on it', () => {
    for (const kind of Object.values(ClusterKind)) {
      expect(defaultMechanismFor(kind) === IdentityMechanism.IRSA || supportsPodIdentity(kind)).toBe(true);
    }
  });
});
