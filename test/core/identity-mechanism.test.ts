import { IdentityMechanism, usesIrsa, usesPodIdentity } from '../../lib/core/identity-mechanism';

describe('IdentityMechanism', () => {
  test.each([
    [IdentityMechanism.IRSA, true, false],
    [IdentityMechanism.POD_IDENTITY, false, true],
    [IdentityMechanism.BOTH, true, true],
  ])('GIVEN %s WHEN asked THEN it uses IRSA: %s, Pod Identity: %s', (mechanism, irsa, podIdentity) => {
    expect(usesIrsa(mechanism)).toBe(irsa);
    expect(usesPodIdentity(mechanism)).toBe(podIdentity);
  });

  test('GIVEN an unknown value WHEN asked THEN it uses neither', () => {
    expect(usesIrsa('WEB_IDENTITY' as IdentityMechanism)).toBe(false);
    expect(usesPodIdentity('WEB_IDENTITY' as IdentityMechanism)).toBe(false);
  });

  test('GIVEN the enum WHEN serialized THEN the values are the names written to bindings files', () => {
    // Bindings files store these strings; renaming a value breaks every written file.
    expect(Object.values(IdentityMechanism)).toEqual(['IRSA', 'POD_IDENTITY', 'BOTH']);
  });
});
