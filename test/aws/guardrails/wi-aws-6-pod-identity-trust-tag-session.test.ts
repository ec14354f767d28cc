import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

/** A stack with a role whose trust is one Allow statement for pods.eks.amazonaws.com, its Action or NotAction written by hand, as IAM accepts it. */
function trustWrittenByHand(element: string, action: string | string[]) {
  const stack = reportingStack();
  new iam.CfnRole(stack, 'Role', {
    assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, [element]: action }] },
  });
  return stack;
}

describe('WI-AWS-6 pod-identity-trust-tag-session', () => {
  test('Pod Identity trust without sts:TagSession is an error', () => {
    const stack = reportingStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
    expect(open(awsFindings(stack), 'WI-AWS-6')).toEqual(["WI-AWS-6 Role 'Test/Role' trusts pods.eks.amazonaws.com without sts:TagSession."]);
  });

  // IAM reads actions case-insensitively, with * and ? anywhere in the name, and a NotAction allows every action it does not list.
  test.each([
    ['Action', ['sts:AssumeRole', 'sts:Tag*']],
    ['Action', ['sts:AssumeRole', 'STS:tagsession']],
    ['Action', ['sts:AssumeRole', 'sts:TagSess?on']],
    ['Action', 'sts:*'],
    ['NotAction', 'sts:AssumeRoleWithWebIdentity'],
  ])('a Pod Identity trust whose %s is %j allows sts:TagSession: no finding', (element, action) => {
    // GIVEN / WHEN
    const stack = trustWrittenByHand(element, action);

    // THEN
    expect(open(awsFindings(stack), 'WI-AWS-6')).toEqual([]);
  });

  test.each([
    ['Action', ['sts:AssumeRole', 'sts:TagRole*']],
    ['NotAction', ['sts:Tag*']],
  ])('a Pod Identity trust whose %s is %j does not allow sts:TagSession: an error', (element, action) => {
    const stack = trustWrittenByHand(element, action);
    expect(open(awsFindings(stack), 'WI-AWS-6')).toEqual(["WI-AWS-6 Role 'Test/Role' trusts pods.eks.amazonaws.com without sts:TagSession."]);
  });

  test('the Pod Identity trust WorkloadIdentity writes allows it', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
