import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentityGuardrails, WorkloadRuntime } from '../../../lib';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

describe('acknowledgements', () => {
  test('an acknowledgement with a reason takes the finding out, and keeps the reason', () => {
    // GIVEN a static key, acknowledged on its construct
    const stack = reportingStack();
    const key = new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    WorkloadIdentityGuardrails.acknowledge(key, 'WI-AWS-1', 'Break-glass key for the vendor, rotated monthly.');
    // THEN
    const findings = awsFindings(stack).filter(f => f.ruleId === 'WI-AWS-1');
    expect(open(findings)).toEqual([]);
    expect(findings.map(f => f.acknowledgedReason)).toEqual(['Break-glass key for the vendor, rotated monthly.']);
  });

  test('it covers everything below the construct, and only that rule', () => {
    const stack = reportingStack();
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    WorkloadIdentityGuardrails.acknowledge(stack, 'WI-AWS-2', 'Not this rule.');
    expect(open(awsFindings(stack))).toEqual(["WI-AWS-1 Access key 'Test/Key' creates a static credential."]);
  });

  test('Validations.acknowledge works too, but not without a reason', () => {
    const stack = reportingStack();
    const key = new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'Ci') });
    Validations.of(key).acknowledge({ id: 'WI-AWS-1', reason: ' ' });
    expect(open(awsFindings(stack))).toEqual([
      "WI-AWS-1 Access key 'Test/Key' creates a static credential. The acknowledgement of WI-AWS-1 at 'Test/Key' has no reason, so it does not count.",
    ]);
  });

  test('WorkloadIdentityGuardrails.acknowledge refuses an empty reason and unknown rules', () => {
    const stack = reportingStack();
    expect(() => WorkloadIdentityGuardrails.acknowledge(stack, 'WI-AWS-1', '')).toThrow("Cannot acknowledge WI-AWS-1 at 'Test' without a reason. Say why it is acceptable here.");
    expect(() => WorkloadIdentityGuardrails.acknowledge(stack, 'WI-AWS-99', 'x')).toThrow(/^Cannot acknowledge 'WI-AWS-99' at 'Test': no such guardrail on this side\. Use one of WI-AWS-1, .*WI-AWS-14\.$/);
    expect(() => WorkloadIdentityGuardrails.acknowledge(stack, 'WI-K8S-3', 'x')).toThrow(/^Cannot acknowledge 'WI-K8S-3' at 'Test': no such guardrail on this side\./);
  });

  test('markRuntime refuses unknown runtimes', () => {
    expect(() => WorkloadIdentityGuardrails.markRuntime(reportingStack(), 'LAMBDA' as WorkloadRuntime))
      .toThrow("Invalid runtime 'LAMBDA' for 'Test': use one of LINUX_NODE, FARGATE, WINDOWS_NODE, HOST_NETWORK.");
  });
});
