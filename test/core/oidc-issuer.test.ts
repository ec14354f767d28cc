import { OidcIssuer } from '../../lib/core/oidc-issuer';

// Same values as test/fixtures.ts, which is not imported: it loads aws-cdk-lib.
const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ISSUER_KEY = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const FIX = 'Pass the issuer exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it, ' +
  'e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.';

describe('OidcIssuer.validate', () => {
  test.each([
    [ISSUER],
    ['https://oidc.edge.example.com'],
    ['https://keys.example.com/clusters/edge'],
  ])('GIVEN the issuer %j WHEN validated THEN it is accepted', (url) => {
    expect(() => OidcIssuer.validate(url)).not.toThrow();
  });

  test.each([
    ['http://oidc.example.com'],
    ['oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE'],
    ['HTTPS://oidc.example.com'],
    [''],
  ])('GIVEN %j WHEN validated THEN https is required', (url) => {
    expect(() => OidcIssuer.validate(url)).toThrow(`Invalid OIDC issuer URL '${url}': it must start with 'https://'. ${FIX}`);
  });

  test.each([
    [`${ISSUER}/`],
    ['https://oidc.example.com/'],
  ])('GIVEN the trailing slash in %j WHEN validated THEN it is rejected, because iss would not match', (url) => {
    expect(() => OidcIssuer.validate(url))
      .toThrow(`Invalid OIDC issuer URL '${url}': it must not end with '/', or the token's 'iss' claim will not match. ${FIX}`);
  });

  test.each([
    ['port', 'https://oidc.example.com:8443/id/x'],
    ['query', `${ISSUER}?x=1`],
    ['fragment', `${ISSUER}#keys`],
    ['user info', 'https://user@oidc.example.com'],
    ['empty host', 'https:///id/x'],
  ])('GIVEN a %s WHEN validated THEN it is rejected', (_what, url) => {
    expect(() => OidcIssuer.validate(url))
      .toThrow(`Invalid OIDC issuer URL '${url}': it must be a host and optional path, without port, query or fragment. ${FIX}`);
  });
});

describe('OidcIssuer.conditionKeyPrefix', () => {
  test('GIVEN an EKS issuer WHEN the prefix is taken THEN it is host and path without the scheme', () => {
    expect(OidcIssuer.conditionKeyPrefix(ISSUER)).toBe(ISSUER_KEY);
  });

  test('GIVEN a host-only issuer WHEN the prefix is taken THEN the host alone is the prefix', () => {
    expect(OidcIssuer.conditionKeyPrefix('https://oidc.edge.example.com')).toBe('oidc.edge.example.com');
  });

  test('GIVEN "https://" inside the path WHEN the prefix is taken THEN only the leading scheme is removed', () => {
    expect(OidcIssuer.conditionKeyPrefix('https://a.example.com/https://b')).toBe('a.example.com/https://b');
  });
});
