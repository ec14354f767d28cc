import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

const NAMESPACE_TAG = 'aws:RequestTag/kubernetes-namespace';
const SERVICE_ACCOUNT_TAG = 'aws:RequestTag/kubernetes-service-account';

/** A hand-written Pod Identity trust with the given conditions besides the account and cluster. */
function roleWithConditions(conditions: { [operator: string]: { [key: string]: string } }) {
  const stack = reportingStack();
  const base = { 'aws:SourceAccount': ACCOUNT, 'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN };
  new iam.Role(stack, 'Role', {
    assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
      ...conditions, StringEquals: { ...base, ...conditions.StringEquals },
    })),
  });
  return stack;
}

describe('WI-AWS-15 pod-identity-wildcard-subject', () => {
  test('a hand-written wildcard on the namespace session tag is an error', () => {
    // GIVEN a Pod Identity trust for the ServiceAccount web in every namespace starting with pr-
    const stack = roleWithConditions({ StringLike: { [NAMESPACE_TAG]: 'pr-*' }, StringEquals: { [SERVICE_ACCOUNT_TAG]: 'web' } });
    // THEN the rule names the subject it admits
    expect(open(awsFindings(stack), 'WI-AWS-15')).toEqual([
      "WI-AWS-15 Role 'Test/Role' trusts Pod Identity sessions of the wildcard subject 'system:serviceaccount:pr-*:web' (kubernetes-namespace / kubernetes-service-account session tags), which no one declared as a pattern.",
    ]);
  });

  test('a wildcard ServiceAccount tag without a namespace condition admits every namespace, and says so', () => {
    const stack = roleWithConditions({ StringLike: { [SERVICE_ACCOUNT_TAG]: '*' } });
    expect(open(awsFindings(stack), 'WI-AWS-15')).toEqual([
      "WI-AWS-15 Role 'Test/Role' trusts Pod Identity sessions of the wildcard subject 'system:serviceaccount:*:*' (kubernetes-namespace / kubernetes-service-account session tags), which no one declared as a pattern.",
    ]);
  });

  test('a pattern declared in subjectPatterns is fine, and only that one', () => {
    const stack = roleWithConditions({ StringLike: { [SERVICE_ACCOUNT_TAG]: 'runner-*' }, StringEquals: { [NAMESPACE_TAG]: 'ci' } });
    expect(open(awsFindings(stack, { subjectPatterns: ['system:serviceaccount:ci:runner-*'] }), 'WI-AWS-15')).toEqual([]);
    const other = roleWithConditions({ StringLike: { [SERVICE_ACCOUNT_TAG]: 'runner-*' }, StringEquals: { [NAMESPACE_TAG]: 'ci' } });
    expect(open(awsFindings(other, { subjectPatterns: ['system:serviceaccount:ci:builder-*'] }), 'WI-AWS-15')).toEqual([
      "WI-AWS-15 Role 'Test/Role' trusts Pod Identity sessions of the wildcard subject 'system:serviceaccount:ci:runner-*' (kubernetes-namespace / kubernetes-service-account session tags), which no one declared as a pattern.",
    ]);
  });

  test('a Like pattern beside StringEquals on the same tag only narrows the exact value: no finding', () => {
    const stack = roleWithConditions({ StringLike: { [NAMESPACE_TAG]: 'pr-*' }, StringEquals: { [NAMESPACE_TAG]: 'pr-1', [SERVICE_ACCOUNT_TAG]: 'web' } });
    expect(open(awsFindings(stack), 'WI-AWS-15')).toEqual([]);
  });

  test('exact namespace and ServiceAccount tags are no finding', () => {
    const stack = roleWithConditions({ StringEquals: { [NAMESPACE_TAG]: 'payments', [SERVICE_ACCOUNT_TAG]: 'api' } });
    expect(open(awsFindings(stack), 'WI-AWS-15')).toEqual([]);
  });

  test('the pattern a WorkloadIdentity declared is fine; the same pattern written by hand on another role is not', () => {
    // GIVEN an identity with namespacePattern by Pod Identity, and a second role with the same trust written by hand
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Preview', { cluster: eksCluster(stack), namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.POD_IDENTITY });
    new iam.Role(stack, 'Copy', {
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN, [SERVICE_ACCOUNT_TAG]: 'web' },
        StringLike: { [NAMESPACE_TAG]: 'pr-*' },
      })),
    });
    // THEN only the hand-written copy is reported
    expect(open(awsFindings(stack), 'WI-AWS-15')).toEqual([
      "WI-AWS-15 Role 'Test/Copy' trusts Pod Identity sessions of the wildcard subject 'system:serviceaccount:pr-*:web' (kubernetes-namespace / kubernetes-service-account session tags), which no one declared as a pattern.",
    ]);
  });

  test('an IRSA pattern of an identity does not excuse the same wildcard on its Pod Identity side, nor the reverse', () => {
    // GIVEN an identity whose pattern is IRSA only, and a Pod Identity statement with that pattern added to its role by hand
    const stack = reportingStack();
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster: eksCluster(stack), namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA });
    (preview.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN, [SERVICE_ACCOUNT_TAG]: 'web' },
        StringLike: { [NAMESPACE_TAG]: 'pr-*' },
      },
    }));
    // THEN WI-AWS-15 reports it
    expect(open(awsFindings(stack), 'WI-AWS-15')).toEqual([
      "WI-AWS-15 Role 'Test/Preview' trusts Pod Identity sessions of the wildcard subject 'system:serviceaccount:pr-*:web' (kubernetes-namespace / kubernetes-service-account session tags), which no one declared as a pattern.",
    ]);
  });
});
