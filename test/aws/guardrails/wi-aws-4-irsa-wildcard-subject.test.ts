import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT, ISSUER_KEY } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`;

function roleWithSubject(subject: string, key = ISSUER_KEY) {
  const stack = reportingStack();
  new iam.Role(stack, 'Role', {
    assumedBy: new iam.WebIdentityPrincipal(PROVIDER.replace(ISSUER_KEY, key), {
      StringLike: { [`${key}:sub`]: subject },
      StringEquals: { [`${key}:aud`]: 'sts.amazonaws.com' },
    }),
  });
  return stack;
}

describe('WI-AWS-4 irsa-wildcard-subject', () => {
  test('a wildcard ServiceAccount subject is an error', () => {
    expect(open(awsFindings(roleWithSubject('system:serviceaccount:team-a:*')), 'WI-AWS-4')).toEqual([
      "WI-AWS-4 Role 'Test/Role' trusts the wildcard subject 'system:serviceaccount:team-a:*', which no one declared as a pattern.",
    ]);
  });

  test('a declared pattern is fine', () => {
    expect(open(awsFindings(roleWithSubject('system:serviceaccount:team-a:*'), { subjectPatterns: ['system:serviceaccount:team-a:*'] }))).toEqual([]);
  });

  test('subjects of other OIDC issuers are not Kubernetes subjects', () => {
    expect(open(awsFindings(roleWithSubject('repo:octo-org/deploy:*', 'token.actions.githubusercontent.com')))).toEqual([]);
  });
});
