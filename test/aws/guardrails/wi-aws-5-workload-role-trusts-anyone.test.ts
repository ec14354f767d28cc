import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-5 workload-role-trusts-anyone', () => {
  test('a workload role that also trusts the account root is an error', () => {
    const stack = reportingStack();
    const identity = new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    (identity.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: ['sts:AssumeRole'],
    }));
    expect(open(awsFindings(stack), 'WI-AWS-5')).toEqual(["WI-AWS-5 Workload role 'Test/Payment' trusts 'arn:aws:iam::123456789012:root'."]);
  });

  test('a workload role that trusts "*" is an error', () => {
    const stack = reportingStack();
    const identity = new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    (identity.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sts:AssumeRole'] }));
    expect(open(awsFindings(stack), 'WI-AWS-5')).toEqual(["WI-AWS-5 Workload role 'Test/Payment' trusts '*'."]);
  });

  test('roles that are not workload roles are not this rule\'s business', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Payment', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'payment' });
    new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
