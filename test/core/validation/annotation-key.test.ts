import { validateAnnotationKey } from '../../../lib/core/validation';

const RULE = (kind: string) => `A Kubernetes ${kind} key is an optional prefix (a DNS subdomain of at most 253 lowercase characters) ` +
  "and '/', then a name of 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit. Rename or remove it.";
const WHERE = "ServiceAccount 'payments/payment'";

describe('validateAnnotationKey', () => {
  test.each([
    ['team'], ['example.com/team'], ['app.kubernetes.io/part-of'], ['eks.amazonaws.com/role-arn'],
    ['A_b.C-1'], [`${'p'.repeat(253)}/${'n'.repeat(63)}`],
  ])('GIVEN %j WHEN validated THEN it is accepted', (key) => {
    expect(() => validateAnnotationKey(key, WHERE)).not.toThrow();
  });

  test.each([
    ['an uppercase prefix', 'Example.com/team', "has the prefix 'Example.com', which is not a lowercase DNS subdomain"],
    ['two slashes', 'a/b/c', "has more than one '/'"],
    ['an empty prefix', '/team', "has an empty prefix before '/'"],
    ['an empty name', 'example.com/', 'has an empty name'],
    ['a name of 64 characters', 'n'.repeat(64), 'has a name of 64 characters'],
    ['a prefix of 254 characters', `${'p'.repeat(254)}/team`, 'has a prefix of 254 characters', `${'p'.repeat(160)}…`],
    ['a space', 'team name', "has the name 'team name', which is not letters, digits, '-', '_' or '.' between a letter or digit at each end"],
    ['a policy variable', 'example.com/${aws:username}',
      "has the name '${aws:username}', which is not letters, digits, '-', '_' or '.' between a letter or digit at each end"],
    ['a trailing dot', 'team.', "has the name 'team.', which is not letters, digits, '-', '_' or '.' between a letter or digit at each end"],
  ])('GIVEN an annotation key with %s WHEN validated THEN the error names it and the rule', (_what, key, why, shown = key) => {
    expect(() => validateAnnotationKey(key, WHERE)).toThrow(`Invalid annotation key '${shown}' of ${WHERE}: it ${why}. ${RULE('annotation')}`);
  });

  test('GIVEN a label key WHEN validated THEN the error says label', () => {
    expect(() => validateAnnotationKey('a/b/c', WHERE, 'label')).toThrow(`Invalid label key 'a/b/c' of ${WHERE}: it has more than one '/'. ${RULE('label')}`);
  });
});
