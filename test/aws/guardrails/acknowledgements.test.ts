import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, WorkloadIdentity, WorkloadIdentityGuardrails, WorkloadRuntime } from '../../../lib';
import { eksCluster } from '../../fixtures';
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
    expect(() => WorkloadIdentityGuardrails.acknowledge(stack, 'WI-AWS-99', 'x')).toThrow(/^Cannot acknowledge 'WI-AWS-99' at 'Test': no such guardrail on this side\. Use one of WI-AWS-1, .*WI-AWS-14, WI-AWS-15\.$/);
    expect(() => WorkloadIdentityGuardrails.acknowledge(stack, 'WI-K8S-3', 'x')).toThrow(/^Cannot acknowledge 'WI-K8S-3' at 'Test': no such guardrail on this side\./);
  });

  test('markRuntime refuses unknown runtimes', () => {
    expect(() => WorkloadIdentityGuardrails.markRuntime(reportingStack(), 'LAMBDA' as WorkloadRuntime))
      .toThrow("Invalid runtime 'LAMBDA' for 'Test': use one of LINUX_NODE, FARGATE, WINDOWS_NODE, HOST_NETWORK.");
  });

  test('GIVEN an error-level WI-AWS-8 acknowledged with a zero-width reason WHEN synthesized THEN it stays open (issue 18)', () => {
    // GIVEN an IRSA trust of 60 subjects (over the 2,048-character quota), acknowledged both ways with invisible reasons
    const stack = reportingStack();
    const cluster = eksCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Batch', { cluster, namespace: 'batch', serviceAccountName: 'job-0', mechanism: IdentityMechanism.IRSA });
    for (let i = 1; i < 60; i++) { identity.addSubject({ cluster, namespace: 'batch', serviceAccountName: `job-${i}` }); }
    Validations.of(identity).acknowledge({ id: 'WI-AWS-8', reason: '\u200B\u2060\u00AD' });

    // WHEN
    const findings = open(awsFindings(stack), 'WI-AWS-8');

    // THEN
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^WI-AWS-8 Role 'Test\/Batch' has a trust policy of \d+ characters .* The acknowledgement of WI-AWS-8 at 'Test\/Batch' has no reason \('\\u200B\\u2060\\u00AD' has no visible letter or digit\), so it does not count\.$/);
    expect(() => WorkloadIdentityGuardrails.acknowledge(identity, 'WI-AWS-8', '\uFEFF\u2060')).toThrow(
      "Cannot acknowledge WI-AWS-8 at 'Test/Batch' with the reason '\\uFEFF\\u2060': it has no visible letter or digit (only invisible, formatting or space characters). Say why it is acceptable here, in words.");
  });
});
