import { validateAudience } from '../../../lib/core/validation';

const RULE = "An OIDC audience (client id) has 1-255 characters, without whitespace, control characters, '*' or '${'. " +
  'Use the exact audience the tokens carry (the default is sts.amazonaws.com).';

describe('validateAudience', () => {
  test.each([
    ['sts.amazonaws.com'], ['https://vault.example.com/api'], ['a'.repeat(255)], ['kunde-ü'],
  ])('GIVEN %j WHEN validated THEN it is accepted', (audience) => {
    expect(() => validateAudience(audience)).not.toThrow();
  });

  // Issue 10 §2: audiences with whitespace or newlines reached the trust's aud value and the annotation.
  test.each([
    ['a trailing space', 'sts.amazonaws.com ', 'contains whitespace (U+0020)'],
    ['a newline', 'sts.amazonaws.com\n', 'contains the control character U+000A', 'sts.amazonaws.com\\u000A'],
    ['a tab', 'sts\tamazonaws.com', 'contains the control character U+0009', 'sts\\u0009amazonaws.com'],
    ['a no-break space', 'sts\u00a0amazonaws.com', 'contains whitespace (U+00A0)', 'sts\\u00A0amazonaws.com'],
    ['a zero-width space', 'sts\u200bamazonaws.com', 'contains the invisible formatting character U+200B', 'sts\\u200Bamazonaws.com'],
    ['a wildcard', '*', "contains '*', a wildcard"],
    ['a policy variable', '${aws:username}', "contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared"],
    ['no character', '', 'is empty'],
    ['256 characters', 'a'.repeat(256), 'has 256 characters', `${'a'.repeat(160)}…`],
  ])('GIVEN an audience with %s WHEN validated THEN the error names it and the rule', (_what, audience, why, shown = audience) => {
    expect(() => validateAudience(audience)).toThrow(`Invalid IRSA audience '${shown}': it ${why}. ${RULE}`);
  });

  test('GIVEN a token WHEN validated THEN the manifest cannot carry it', () => {
    expect(() => validateAudience('${Token[TOKEN.1]}')).toThrow(
      `Invalid IRSA audience '\${Token[TOKEN.1]}': it is an unresolved CDK token, and the audience must be literal in the manifest. ${RULE}`);
  });
});
