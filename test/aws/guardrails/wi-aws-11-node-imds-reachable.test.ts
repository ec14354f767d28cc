import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { GuardrailLevel } from '../../../lib';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

// The messages, word for word: a test that compared only rule ids could not tell the cases apart.
const TOKENS_UNSET = "WI-AWS-11 'Test/Nodes' leaves HttpTokens unset, so IMDSv1 is allowed unless the AMI (ImdsSupport v2.0) or the account's IMDS defaults require IMDSv2.";
const HOPS_UNSET = "WI-AWS-11 'Test/Nodes' leaves HttpPutResponseHopLimit unset, so the AMI's or the account's default applies: 2 for an AMI with ImdsSupport v2.0 (such as AL2023), which lets pods reach the instance metadata service.";

describe('WI-AWS-11 node-imds-reachable (warning)', () => {
  test('GIVEN a launch template that sets HttpTokens optional WHEN checked THEN it is a warning that IMDSv1 is allowed', () => {
    const stack = reportingStack();
    new ec2.CfnLaunchTemplate(stack, 'Nodes', { launchTemplateData: { metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 1 } } });
    const findings = awsFindings(stack);
    expect(open(findings, 'WI-AWS-11')).toEqual(["WI-AWS-11 'Test/Nodes' allows IMDSv1 (HttpTokens is not 'required')."]);
    expect(findings[0].level).toBe(GuardrailLevel.WARNING);
  });

  // EC2 API Reference, InstanceMetadataOptionsRequest: "If the value of ImdsSupport for the Amazon Machine
  // Image (AMI) for your instance is v2.0 and the account level default is set to no-preference, the default
  // is required." An unset HttpTokens allows IMDSv1 only on other AMIs or account defaults.
  test('GIVEN a launch template without metadata options WHEN checked THEN both unset options are warnings, neither claims IMDSv1 for certain', () => {
    const stack = reportingStack();
    new ec2.LaunchTemplate(stack, 'Nodes');
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual([TOKENS_UNSET, HOPS_UNSET]);
  });

  test('GIVEN a hop limit above 1 WHEN checked THEN it is a warning naming the limit', () => {
    const stack = reportingStack();
    new ec2.LaunchTemplate(stack, 'Nodes', { requireImdsv2: true, httpPutResponseHopLimit: 2 });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual(["WI-AWS-11 'Test/Nodes' has HttpPutResponseHopLimit 2, so pods reach the instance metadata service."]);
  });

  // EC2 API Reference, Image ImdsSupport: "Instances launched from this AMI will have HttpTokens automatically
  // set to required [...] In addition, HttpPutResponseHopLimit is set to 2." An unset hop limit is not 1.
  test('GIVEN IMDSv2 required and no hop limit WHEN checked THEN it is a warning that the default may be 2', () => {
    const stack = reportingStack();
    new ec2.LaunchTemplate(stack, 'Nodes', { requireImdsv2: true });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual([HOPS_UNSET]);
  });

  test('GIVEN a launch configuration with IMDSv2 required and no hop limit WHEN checked THEN it is the same warning', () => {
    const stack = reportingStack();
    new autoscaling.CfnLaunchConfiguration(stack, 'Nodes', { imageId: 'ami-1', instanceType: 't3.medium', metadataOptions: { httpTokens: 'required' } });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual([HOPS_UNSET]);
  });

  // CloudFormation, AWS::EC2::LaunchTemplate MetadataOptions HttpEndpoint: "If you specify a value of disabled,
  // you will not be able to access your instance metadata."
  test('GIVEN HttpEndpoint disabled WHEN checked THEN nothing is reported, whatever the other options', () => {
    const stack = reportingStack();
    new ec2.CfnLaunchTemplate(stack, 'Nodes', { launchTemplateData: { metadataOptions: { httpEndpoint: 'disabled', httpTokens: 'optional', httpPutResponseHopLimit: 3 } } });
    new ec2.LaunchTemplate(stack, 'Plain', { httpEndpoint: false });
    new autoscaling.CfnLaunchConfiguration(stack, 'Config', { imageId: 'ami-1', instanceType: 't3.medium', metadataOptions: { httpEndpoint: 'disabled' } });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual([]);
  });

  test('GIVEN HttpEndpoint enabled WHEN checked THEN the other options are still judged', () => {
    const stack = reportingStack();
    new ec2.CfnLaunchTemplate(stack, 'Nodes', { launchTemplateData: { metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 2 } } });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual(["WI-AWS-11 'Test/Nodes' has HttpPutResponseHopLimit 2, so pods reach the instance metadata service."]);
  });

  // EKS User Guide, launch templates: "If you deploy a managed node group without using a custom launch
  // template, this value [a hop limit of 2] is automatically set for the node group in the default launch template."
  test('GIVEN a managed node group without a launch template WHEN checked THEN it is a warning citing the default hop limit', () => {
    const stack = reportingStack();
    new eks.CfnNodegroup(stack, 'Workers', { clusterName: 'campus', nodeRole: 'arn:aws:iam::123456789012:role/node', subnets: ['subnet-1'] });
    expect(open(awsFindings(stack), 'WI-AWS-11')).toEqual([
      "WI-AWS-11 Node group 'Test/Workers' has no launch template, so EKS's default one applies, whose metadata options the app cannot pin: the EKS user guide says it sets the hop limit to 2, which lets pods reach the instance metadata service.",
    ]);
  });

  test('GIVEN IMDSv2 only with hop limit 1 WHEN checked THEN nothing is reported', () => {
    const stack = reportingStack();
    new ec2.LaunchTemplate(stack, 'Nodes', { requireImdsv2: true, httpPutResponseHopLimit: 1 });
    new autoscaling.CfnLaunchConfiguration(stack, 'Config', { imageId: 'ami-1', instanceType: 't3.medium', metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 } });
    expect(open(awsFindings(stack))).toEqual([]);
  });
});
