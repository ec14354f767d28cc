import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY, newStack } from '../../fixtures';
import { awsFindings, open, reportingStack, synthError } from '../../guardrails/helpers';

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

  test('a wildcard subject under a condition key spelled in another case is an error: IAM compares condition keys case-insensitively', () => {
    // GIVEN ':Sub', which IAM evaluates as ':sub'
    const stack = reportingStack();
    new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${ISSUER_KEY}:Sub`]: 'system:serviceaccount:*' }, StringEquals: { [`${ISSUER_KEY}:Aud`]: 'sts.amazonaws.com' } },
        }],
      },
    });

    // WHEN / THEN: the wildcard is found, and the subject and audience count as conditions (WI-AWS-3 has nothing)
    expect(open(awsFindings(stack), 'WI-AWS-4')).toEqual([
      "WI-AWS-4 Role 'Test/Role' trusts the wildcard subject 'system:serviceaccount:*', which no one declared as a pattern.",
    ]);
    expect(open(awsFindings(stack), 'WI-AWS-3')).toEqual([]);
  });

  test('a declared pattern is fine', () => {
    expect(open(awsFindings(roleWithSubject('system:serviceaccount:team-a:*'), { subjectPatterns: ['system:serviceaccount:team-a:*'] }))).toEqual([]);
  });

  test('subjects of other OIDC issuers are not Kubernetes subjects', () => {
    expect(open(awsFindings(roleWithSubject('repo:octo-org/deploy:*', 'token.actions.githubusercontent.com')))).toEqual([]);
  });

  test('a Like pattern beside StringEquals on the same :sub only narrows the exact subjects: no finding (issue 18 §3)', () => {
    // GIVEN a role whose statement pins the subject and also requires it to match a pattern (IAM ANDs them)
    const stack = reportingStack();
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.WebIdentityPrincipal(PROVIDER, {
        StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:api', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:*' },
      }),
    });

    // WHEN / THEN
    expect(open(awsFindings(stack), 'WI-AWS-4')).toEqual([]);
  });

  test('the pattern beside StringEquals on another key (the audience) still opens the subject', () => {
    const stack = reportingStack();
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.WebIdentityPrincipal(PROVIDER, {
        StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:*' },
      }),
    });
    expect(open(awsFindings(stack), 'WI-AWS-4')).toEqual([
      "WI-AWS-4 Role 'Test/Role' trusts the wildcard subject 'system:serviceaccount:payments:*', which no one declared as a pattern.",
    ]);
  });

  test('a narrowing StringLike added with irsa.additionalTrustConditions synthesizes', () => {
    // GIVEN
    const stack = newStack();

    // WHEN the identity narrows its exact subject by a pattern
    new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA,
      irsa: { additionalTrustConditions: { StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:*' } } },
    });

    // THEN
    expect(synthError(() => (stack.node.root as App).synth())).toBe('');
  });
});
