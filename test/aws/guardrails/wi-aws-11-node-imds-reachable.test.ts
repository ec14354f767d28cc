import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { GuardrailLevel } from '../../../lib';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-11 node-imds-reachable (warning)', () => {
  test('a launch template that allows IMDSv1 is a warning', () => {
    const stack = reportingStack();
    new ec2.LaunchTemplate(stack, 'Nodes');
    const findings = awsFindings(stack);
    expect(open(findings, 'WI-AWS-11')).toEqual(["WI-AWS-11 'Test/Nodes' allows IMDSv1 (HttpTokens is not 'required')."]);
    expect(findings[0].level).toBe(GuardrailLevel.WARNING);
  });

  test('a hop limit above 1 is a warning', () => {
    const stack = reportingStack();
    new ec2.LaunchTemplate(stack, 'Nodes', { requireImdsv2: true, httpPutResponseHopLimit: 2 });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual(["WI-AWS-11 'Test/Nodes' has HttpPutResponseHopLimit 2, so pods reach the instance metadata service."]);
  });

  test('a managed node group without a launch template is a warning', () => {
    const stack = reportingStack();
    new eks.CfnNodegroup(stack, 'Workers', { clusterName: 'campus', nodeRole: 'arn:aws:iam::123456789012:role/node', subnets: ['subnet-1'] });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual([
      "WI-AWS-11 Node group 'Test/Workers' has no launch template, so EKS's default one applies, which lets pods reach the instance metadata service.",
    ]);
  });

  test('IMDSv2 only with hop limit 1 is fine', () => {
    const stack = reportingStack();
    new ec2.LaunchTemplate(stack, 'Nodes', { requireImdsv2: true, httpPutResponseHopLimit: 1 });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
