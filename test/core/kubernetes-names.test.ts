import * as fc from 'fast-check';
import { KubernetesNames } from '../../lib/core/kubernetes-names';

// Core tests import lib/core only (not test/fixtures, which loads aws-cdk-lib):
// the core must work in a cdk8s-only repository.

const NAMESPACE_RULE = "a Kubernetes namespace must be an RFC 1123 label (1-63 lowercase letters, digits or '-', " +
  "starting and ending with a letter or digit, no dots)";
const SA_RULE = "it must be an RFC 1123 subdomain (1-253 lowercase letters, digits, '-' or '.', " +
  'each dot-separated part starting and ending with a letter or digit)';
const TOKEN_FIX = 'it is an unresolved CDK token. The same name must appear in the IAM trust policy ' +
  'and in the Kubernetes manifest, so pass a literal string.';

/** The full message, so `toThrow` compares the whole text, not a fragment. */
function namespaceError(value: string, suggestion: string, length = ''): string {
  return `Invalid namespace '${value}': ${NAMESPACE_RULE}${length}. Rename it, for example '${suggestion}'.`;
}
function serviceAccountError(value: string, suggestion: string, length = ''): string {
  return `Invalid ServiceAccount name '${value}': ${SA_RULE}${length}. Rename it, for example '${suggestion}'.`;
}

describe('KubernetesNames.validateNamespace', () => {
  test.each([
    ['payments'],
    ['a'],
    ['0'],
    ['team-1'],
    ['a--b'],
    ['a'.repeat(63)],
  ])('GIVEN the RFC 1123 label %j WHEN validated THEN it is accepted', (namespace) => {
    expect(() => KubernetesNames.validateNamespace(namespace)).not.toThrow();
  });

  test('GIVEN 64 characters WHEN validated THEN the message gives the length and a 63-character suggestion', () => {
    const namespace = 'a'.repeat(64);
    expect(() => KubernetesNames.validateNamespace(namespace))
      .toThrow(namespaceError(namespace, 'a'.repeat(63), '; it has 64 characters'));
  });

  test('GIVEN an empty namespace WHEN validated THEN the message says it is empty', () => {
    expect(() => KubernetesNames.validateNamespace(''))
      .toThrow(namespaceError('', 'my-workload', '; it is empty'));
  });

  test.each([
    // [input, suggestion in the message]
    ['Payments', 'payments'],
    ['team.payments', 'team-payments'],
    ['-payments', 'payments'],
    ['payments-', 'payments'],
    ['team_payments', 'team-payments'],
    ['team payments', 'team-payments'],
    ['___', 'my-workload'],
  ])('GIVEN the invalid namespace %j WHEN validated THEN the exact error suggests %j', (namespace, suggestion) => {
    expect(() => KubernetesNames.validateNamespace(namespace)).toThrow(namespaceError(namespace, suggestion));
  });

  test('GIVEN an invalid namespace WHEN validated THEN the error is a WorkloadIdentityError', () => {
    expect(() => KubernetesNames.validateNamespace('A')).toThrow(expect.objectContaining({ name: 'WorkloadIdentityError' }));
  });

  test.each([
    ['${Token[TOKEN.12]}'],
    ['team-${Token[TOKEN.7]}'],
    ['#{Token[TOKEN.3]}'],
  ])('GIVEN the token-looking namespace %j WHEN validated THEN it is rejected as a token', (namespace) => {
    expect(() => KubernetesNames.validateNamespace(namespace)).toThrow(`Invalid namespace '${namespace}': ${TOKEN_FIX}`);
  });

  test('GIVEN a non-string WHEN validated THEN it is rejected by type', () => {
    expect(() => KubernetesNames.validateNamespace(42 as any)).toThrow("Invalid namespace '42': it must be a string.");
  });
});

describe('KubernetesNames.validateServiceAccountName', () => {
  test.each([
    ['payment'],
    ['a'],
    ['payment.reader'],
    ['a.b.c'],
    ['a-1.b-2'],
    ['x'.repeat(253)],
    // A subdomain's parts are not limited to 63 characters, only the whole name to 253.
    [`${'a'.repeat(100)}.${'b'.repeat(100)}`],
  ])('GIVEN the RFC 1123 subdomain %j WHEN validated THEN it is accepted', (name) => {
    expect(() => KubernetesNames.validateServiceAccountName(name)).not.toThrow();
  });

  test('GIVEN 254 characters WHEN validated THEN the message gives the length and a 253-character suggestion', () => {
    const name = 'x'.repeat(254);
    expect(() => KubernetesNames.validateServiceAccountName(name))
      .toThrow(serviceAccountError(name, 'x'.repeat(253), '; it has 254 characters'));
  });

  test('GIVEN an empty name WHEN validated THEN the message says it is empty', () => {
    expect(() => KubernetesNames.validateServiceAccountName(''))
      .toThrow(serviceAccountError('', 'my-workload', '; it is empty'));
  });

  test.each([
    ['Payment', 'payment'],
    ['payment..reader', 'payment.reader'],
    ['.payment', 'payment'],
    ['payment.', 'payment'],
    ['-payment', 'payment'],
    ['payment-', 'payment'],
    ['payment-.reader', 'payment.reader'],
    ['payment.-reader', 'payment.reader'],
    ['payment_reader', 'payment-reader'],
    ['payment:reader', 'payment-reader'],
  ])('GIVEN the invalid name %j WHEN validated THEN the exact error suggests %j', (name, suggestion) => {
    expect(() => KubernetesNames.validateServiceAccountName(name)).toThrow(serviceAccountError(name, suggestion));
  });

  test.each([
    ['${Token[TOKEN.12]}'],
    ['sa-${Token[TOKEN.7]}'],
    ['#{Token[TOKEN.3]}'],
  ])('GIVEN the token-looking name %j WHEN validated THEN it is rejected as a token', (name) => {
    expect(() => KubernetesNames.validateServiceAccountName(name))
      .toThrow(`Invalid ServiceAccount name '${name}': ${TOKEN_FIX}`);
  });

  test('GIVEN undefined WHEN validated THEN it is rejected by type', () => {
    expect(() => KubernetesNames.validateServiceAccountName(undefined as any))
      .toThrow("Invalid ServiceAccount name 'undefined': it must be a string.");
  });
});

describe('KubernetesNames.serviceAccountSubject', () => {
  test('GIVEN a namespace and a name WHEN the subject is built THEN it is the token sub claim', () => {
    expect(KubernetesNames.serviceAccountSubject('payments', 'payment.reader'))
      .toBe('system:serviceaccount:payments:payment.reader');
  });

  test('GIVEN an invalid namespace WHEN the subject is built THEN the namespace is rejected', () => {
    // Dots would make the subject ambiguous to IAM's StringEquals on sub.
    expect(() => KubernetesNames.serviceAccountSubject('team.payments', 'payment'))
      .toThrow(namespaceError('team.payments', 'team-payments'));
  });

  test('GIVEN an invalid name WHEN the subject is built THEN the name is rejected', () => {
    expect(() => KubernetesNames.serviceAccountSubject('payments', 'a:b'))
      .toThrow(serviceAccountError('a:b', 'a-b'));
  });

  test('GIVEN a token WHEN the subject is built THEN it is rejected', () => {
    expect(() => KubernetesNames.serviceAccountSubject('payments', '${Token[TOKEN.1]}'))
      .toThrow(`Invalid ServiceAccount name '\${Token[TOKEN.1]}': ${TOKEN_FIX}`);
  });
});

describe('suggestions', () => {
  // Whatever the input, the suggested name must itself pass, or the message misleads.
  const suggestionOf = (fn: () => void): string | undefined => {
    try { fn(); return undefined; } catch (e) { return /for example '(.*)'\.$/s.exec((e as Error).message)?.[1]; }
  };
  const names = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: fc.constantFrom('a', 'B', '0', '-', '.', '_', ' ', 'ß', 'İ'), maxLength: 300 }),
  ).filter(s => !s.includes('Token['));

  test('GIVEN any invalid namespace WHEN the message suggests a name THEN the suggestion is valid', () => {
    fc.assert(fc.property(names, (s) => {
      const suggestion = suggestionOf(() => KubernetesNames.validateNamespace(s));
      if (suggestion !== undefined) { KubernetesNames.validateNamespace(suggestion); }
    }), { numRuns: 500 });
  });

  test('GIVEN any invalid ServiceAccount name WHEN the message suggests a name THEN the suggestion is valid', () => {
    fc.assert(fc.property(names, (s) => {
      const suggestion = suggestionOf(() => KubernetesNames.validateServiceAccountName(s));
      if (suggestion !== undefined) { KubernetesNames.validateServiceAccountName(suggestion); }
    }), { numRuns: 500 });
  });
});
