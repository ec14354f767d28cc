import { validateIssuerUrl } from '../../../lib/core/validation';

const FIX = 'Pass the issuer exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, ' +
  'e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.';
const POLICY_VARIABLE = "contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared";
const HOST = 'https://oidc.example.com';
// 255 characters in all: IAM's limit for an OIDC provider URL.
const LONGEST = `${HOST}/${'a'.repeat(255 - HOST.length - 1)}`;

describe('validateIssuerUrl', () => {
  test.each([
    ['https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'],
    ['https://container.googleapis.com/v1/projects/p/locations/europe-west1/clusters/c'],
    ['https://s3.eu-west-1.amazonaws.com/my-bucket_1/oidc~x'],
    ['https://10.0.0.1/keys%2Fedge'],
    [LONGEST],
    ['${Token[TOKEN.77]}'],
  ])('GIVEN %j WHEN validated THEN it is accepted', (url) => {
    expect(LONGEST).toHaveLength(255);
    expect(() => validateIssuerUrl(url)).not.toThrow();
  });

  // Issue 10 §2: each of these reached the IAM condition keys before, or failed with aws-cdk-lib's unnamed error.
  test.each([
    ['a wildcard', `${HOST}/id/*`, "it contains '*', a wildcard"],
    ['a wildcard host', 'https://*.example.com', "it contains '*', a wildcard"],
    ['a policy variable', `${HOST}/\${aws:username}`, `it ${POLICY_VARIABLE}`],
    ['a control character', `${HOST}/id\u0007x`, 'it contains the control character U+0007', `${HOST}/id\\u0007x`],
    ['a newline', `${HOST}\n`, 'it contains the control character U+000A', `${HOST}\\u000A`],
    ['whitespace', `${HOST}/id x`, 'it contains whitespace (U+0020)'],
    ['non-ASCII', 'https://oidc.exämple.com', 'it contains the non-ASCII character U+00E4', 'https://oidc.ex\\u00E4mple.com'],
    ['256 characters', `${LONGEST}a`, 'it has 256 characters; IAM registers OIDC provider URLs of at most 255'],
    ['an underscore in the host', 'https://oidc_1.example.com', "its host 'oidc_1.example.com' is not a DNS name (dot-separated labels of letters, digits and '-')"],
    ['an empty path segment', `${HOST}//id`, "its path has an empty segment ('//')"],
    ['a colon in the path', `${HOST}/id:x`,
      "its path contains ':'; a path segment holds only letters, digits, '-', '.', '_', '~' and %-escapes"],
    ['a dollar in the path', `${HOST}/$x`,
      "its path contains '$'; a path segment holds only letters, digits, '-', '.', '_', '~' and %-escapes"],
    ['a broken %-escape', `${HOST}/a%2`,
      "its path contains '%' without two hex digits; a path segment holds only letters, digits, '-', '.', '_', '~' and %-escapes"],
  ])('GIVEN an issuer with %s WHEN validated THEN the error names it and how to fix it', (_what, url, why, shown = url) => {
    const cut = shown.length > 160 ? `${shown.slice(0, 160)}…` : shown;
    expect(() => validateIssuerUrl(url)).toThrow(`Invalid OIDC issuer URL '${cut}': ${why}. ${FIX}`);
  });

  test('GIVEN undefined WHEN validated THEN the library says it is missing', () => {
    expect(() => validateIssuerUrl(undefined)).toThrow(`The OIDC issuer URL is missing (got undefined). ${FIX}`);
  });
});
