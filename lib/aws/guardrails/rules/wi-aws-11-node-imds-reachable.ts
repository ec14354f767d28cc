import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { ResourceFinding, TemplateResource } from '../template-model';
import { AwsRule } from './aws-rule';

/**
 * WI-AWS-11 node-imds-reachable (warning): launch templates, launch
 * configurations and managed node groups that let pods reach the instance
 * metadata service (IMDSv1, or a hop limit above 1), and so the node role.
 *
 * What AWS documents, and what the rule reads from it (docs/guardrails.md,
 * "WI-AWS-11 and the instance metadata defaults"):
 *
 * - An unset option is not its API default. EC2 API Reference, Image
 *   ImdsSupport (the API model's text, as boto3 renders it:
 *   https://boto3.amazonaws.com/v1/documentation/api/1.28.35/reference/services/ec2/image/imds_support.html):
 *   "Instances launched from this AMI will have HttpTokens automatically set
 *   to required [...] In addition, HttpPutResponseHopLimit is set to 2."; the
 *   Amazon Linux 2023 User Guide (https://docs.aws.amazon.com/linux/al2023/ug/imdsv2.html):
 *   "By default, any instances launched with the AL2023 AMI require
 *   IMDSv2-only and your default hop limit will be set to 2"; and
 *   ModifyInstanceMetadataDefaults (2024) sets HttpTokens and
 *   HttpPutResponseHopLimit per account and Region. So an unset hop limit may
 *   be 2 (a warning), and an unset HttpTokens allows IMDSv1 only where neither
 *   the AMI nor the account requires IMDSv2 (a warning that says so).
 * - HttpEndpoint disabled turns the service off. CloudFormation,
 *   AWS::EC2::LaunchTemplate MetadataOptions
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-launchtemplate-metadataoptions.html):
 *   "If you specify a value of disabled, you will not be able to access your
 *   instance metadata." (allowed values: disabled | enabled). No pod reaches
 *   it, so nothing is reported.
 * - A managed node group without a launch template gets EKS's. EKS User
 *   Guide (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html):
 *   "If you deploy a managed node group without using a custom launch
 *   template, this value [a hop limit of 2] is automatically set for the node
 *   group in the default launch template."
 */
export const nodeImdsReachable: AwsRule = {
  id: 'WI-AWS-11',
  name: 'node-imds-reachable',
  level: GuardrailLevel.WARNING,
  explanation: 'Pods that reach the instance metadata service get the node role: every pod on the node then has the node\'s permissions, and a pod without its own identity silently falls back to them. An option left unset takes the AMI\'s or the account\'s default: an AMI with ImdsSupport v2.0, such as the EKS-optimized AL2023 AMIs, gives a hop limit of 2.',
  fix: 'Set MetadataOptions HttpTokens: required and HttpPutResponseHopLimit: 1 in the launch template, both explicitly (ec2.LaunchTemplate requireImdsv2: true, httpPutResponseHopLimit: 1), and give the node group that launch template.',
  check: context => {
    const findings: ResourceFinding[] = [];
    const check = (r: TemplateResource, options: any) => {
      // Off: nothing on the instance, pods included, reaches the metadata service.
      if (options?.HttpEndpoint === 'disabled') { return; }
      const name = context.nameOf(r);
      if (options?.HttpTokens === undefined) {
        findings.push(context.finding(nodeImdsReachable,
          `'${name}' leaves HttpTokens unset, so IMDSv1 is allowed unless the AMI (ImdsSupport v2.0) or the account's IMDS defaults require IMDSv2.`, r));
      } else if (options.HttpTokens !== 'required') {
        findings.push(context.finding(nodeImdsReachable, `'${name}' allows IMDSv1 (HttpTokens is not 'required').`, r));
      }
      if (options?.HttpPutResponseHopLimit === undefined) {
        findings.push(context.finding(nodeImdsReachable,
          `'${name}' leaves HttpPutResponseHopLimit unset, so the AMI's or the account's default applies: 2 for an AMI with ImdsSupport v2.0 (such as AL2023), which lets pods reach the instance metadata service.`, r));
        return;
      }
      const hops = Number(options.HttpPutResponseHopLimit);
      if (hops > 1) {
        findings.push(context.finding(nodeImdsReachable, `'${name}' has HttpPutResponseHopLimit ${hops}, so pods reach the instance metadata service.`, r));
      }
    };
    for (const r of context.ofType('AWS::EC2::LaunchTemplate')) { check(r, r.properties.LaunchTemplateData?.MetadataOptions); }
    for (const r of context.ofType('AWS::AutoScaling::LaunchConfiguration')) { check(r, r.properties.MetadataOptions); }
    for (const r of context.ofType('AWS::EKS::Nodegroup').filter(n => !n.properties.LaunchTemplate)) {
      findings.push(context.finding(nodeImdsReachable,
        `Node group '${context.nameOf(r)}' has no launch template, so EKS's default one applies, whose metadata options the app cannot pin: the EKS user guide says it sets the hop limit to 2, which lets pods reach the instance metadata service.`, r));
    }
    return findings;
  },
};
