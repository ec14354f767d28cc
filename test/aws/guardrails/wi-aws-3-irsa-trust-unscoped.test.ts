import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`;

/** A stack with a role whose trust is one Allow statement for the OIDC provider, its Action or NotAction written by hand, as IAM accepts it. */
function trustWrittenByHand(element: string, action: string | string[]) {
  const stack = reportingStack();
  new iam.CfnRole(stack, 'Role', {
    assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, [element]: action }] },
  });
  return stack;
}

describe('WI-AWS-3 irsa-trust-unscoped', () => {
  test('a web identity trust without :aud is an error', () => {
    const stack = reportingStack();
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.WebIdentityPrincipal(PROVIDER, { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:payments:payment' } }),
    });
    expect(open(awsFindings(stack), 'WI-AWS-3')).toEqual([
      "WI-AWS-3 Role 'Test/Role' trusts an OIDC provider for sts:AssumeRoleWithWebIdentity without a :aud condition.",
    ]);
  });

  test('a web identity trust without any condition misses both', () => {
    const stack = reportingStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.WebIdentityPrincipal(PROVIDER) });
    expect(open(awsFindings(stack), 'WI-AWS-3')).toEqual([
      "WI-AWS-3 Role 'Test/Role' trusts an OIDC provider for sts:AssumeRoleWithWebIdentity without a :sub or :aud condition.",
    ]);
  });

  // IAM reads actions case-insensitively, with * and ? anywhere in the name, and a NotAction allows every action it does not list.
  test.each([
    ['Action', 'sts:AssumeRole*'],
    ['Action', 'sts:AssumeRoleWith*'],
    ['Action', 'sts:Assume?oleWithWebIdentity'],
    ['Action', 'STS:assumerolewithwebidentity'],
    ['NotAction', 'sts:AssumeRole'],
  ])('a web identity trust whose %s is %j, without conditions, is an error', (element, action) => {
    // GIVEN / WHEN
    const stack = trustWrittenByHand(element, action);

    // THEN
    expect(open(awsFindings(stack), 'WI-AWS-3')).toEqual([
      "WI-AWS-3 Role 'Test/Role' trusts an OIDC provider for sts:AssumeRoleWithWebIdentity without a :sub or :aud condition.",
    ]);
  });

  test.each([
    ['Action', 'sts:AssumeRole'],
    ['Action', 'sts:TagSession'],
    ['NotAction', 'sts:AssumeRoleWith*'],
    ['NotAction', 'STS:*'],
  ])('a trust of an OIDC provider whose %s is %j does not allow web identity: not this rule\'s', (element, action) => {
    const stack = trustWrittenByHand(element, action);
    expect(open(awsFindings(stack), 'WI-AWS-3')).toEqual([]);
  });

  test('the IRSA trust WorkloadIdentity writes is scoped', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Report', { cluster: eksCluster(stack), namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
