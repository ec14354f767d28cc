import { validateOidcProviderArn, validateRoleArn } from '../../../lib/core/validation';

const ROLE_SHAPE = 'An IAM role ARN is arn:<partition>:iam::<12-digit account>:role/<optional path/><role name of 1-64 letters, digits or + = , . @ _ ->. ' +
  "Pass the role's ARN as `aws iam get-role --query Role.Arn` prints it.";
const PROVIDER_SHAPE = 'An OIDC provider ARN is arn:<partition>:iam::<12-digit account>:oidc-provider/<issuer host and path>. ' +
  'Pass the ARN as `aws iam list-open-id-connect-providers` prints it.';

describe('validateRoleArn', () => {
  test.each([
    ['arn:aws:iam::123456789012:role/campus-payment'],
    ['arn:aws:iam::123456789012:role/team/apps/campus-payment'],
    ['arn:aws-cn:iam::123456789012:role/a+b=c,d.e@f_g-h'],
    [`arn:aws:iam::123456789012:role/${'r'.repeat(64)}`],
  ])('GIVEN %j WHEN validated THEN it is accepted', (arn) => {
    expect(() => validateRoleArn(arn)).not.toThrow();
  });

  test.each([
    ['a wildcard', 'arn:aws:iam::123456789012:role/*', "it contains '*', a wildcard"],
    ['a wildcard account', 'arn:aws:iam::*:role/payment', "it contains '*', a wildcard"],
    ['a two-digit account', 'arn:aws:iam::12:role/payment', "its account '12' has 2 digits; an AWS account id has exactly 12"],
    ['a region', 'arn:aws:iam:eu-west-1:123456789012:role/payment', "it has the region 'eu-west-1'; IAM ARNs have none"],
    ['a newline', 'arn:aws:iam::123456789012:role/payment\n', 'it contains the control character U+000A'],
  ])('GIVEN a role ARN with %s WHEN validated THEN the error names the part and the shape', (_what, arn, why) => {
    expect(() => validateRoleArn(arn)).toThrow(`Invalid IAM role ARN '${arn.replace('\n', '\\u000A')}': ${why}. ${ROLE_SHAPE}`);
  });

  test('GIVEN a token WHEN validated THEN the manifest cannot carry it', () => {
    expect(() => validateRoleArn('${Token[TOKEN.3]}')).toThrow("Invalid IAM role ARN '${Token[TOKEN.3]}': it is an unresolved CDK token, " +
      "and the Kubernetes manifest needs the literal ARN. Pass the role's ARN as `aws iam get-role --query Role.Arn` prints it.");
  });
});

describe('validateOidcProviderArn', () => {
  const ISSUER_KEY = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

  test.each([
    [`arn:aws:iam::123456789012:oidc-provider/${ISSUER_KEY}`],
    ['${Token[TOKEN.5]}'],
  ])('GIVEN %j WHEN validated THEN it is accepted', (arn) => {
    expect(() => validateOidcProviderArn(arn)).not.toThrow();
  });

  test.each([
    ['a wildcard issuer', 'arn:aws:iam::123456789012:oidc-provider/*', "it contains '*', a wildcard"],
    ['an issuer with a port', 'arn:aws:iam::123456789012:oidc-provider/oidc.example.com:8443',
      'its issuer must be a host and optional path, without port, query or fragment'],
    ['a role instead', 'arn:aws:iam::123456789012:role/x', "its resource 'role/x' does not start with 'oidc-provider/'"],
  ])('GIVEN a provider ARN with %s WHEN validated THEN the error names the part and the shape', (_what, arn, why) => {
    expect(() => validateOidcProviderArn(arn)).toThrow(`Invalid OIDC provider ARN '${arn}': ${why}. ${PROVIDER_SHAPE}`);
  });
});
