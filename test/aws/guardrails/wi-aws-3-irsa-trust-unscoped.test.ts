import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, eksCluster, ISSUER_KEY } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`;

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

  test('the IRSA trust WorkloadIdentity writes is scoped', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Report', { cluster: eksCluster(stack), namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
