import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { ResourceFinding, TemplateResource } from '../template-model';
import { AwsRule } from './aws-rule';

/**
 * WI-AWS-11 node-imds-reachable (warning): launch templates, launch
 * configurations and managed node groups that let pods reach the instance
 * metadata service (IMDSv1, or a hop limit above 1), and so the node role.
 */
export const nodeImdsReachable: AwsRule = {
  id: 'WI-AWS-11',
  name: 'node-imds-reachable',
  level: GuardrailLevel.WARNING,
  explanation: 'Pods that reach the instance metadata service get the node role: every pod on the node then has the node\'s permissions, and a pod without its own identity silently falls back to them.',
  fix: 'Set MetadataOptions HttpTokens: required and HttpPutResponseHopLimit: 1 in the launch template (ec2.LaunchTemplate requireImdsv2: true, httpPutResponseHopLimit: 1) and give the node group that launch template.',
  check: context => {
    const findings: ResourceFinding[] = [];
    const check = (r: TemplateResource, options: any) => {
      const name = context.nameOf(r);
      if (options?.HttpTokens !== 'required') {
        findings.push(context.finding(nodeImdsReachable, `'${name}' allows IMDSv1 (HttpTokens is not 'required').`, r));
      }
      const hops = Number(options?.HttpPutResponseHopLimit ?? 1);
      if (hops > 1) {
        findings.push(context.finding(nodeImdsReachable, `'${name}' has HttpPutResponseHopLimit ${hops}, so pods reach the instance metadata service.`, r));
      }
    };
    for (const r of context.ofType('AWS::EC2::LaunchTemplate')) { check(r, r.properties.LaunchTemplateData?.MetadataOptions); }
    for (const r of context.ofType('AWS::AutoScaling::LaunchConfiguration')) { check(r, r.properties.MetadataOptions); }
    for (const r of context.ofType('AWS::EKS::Nodegroup').filter(n => !n.properties.LaunchTemplate)) {
      findings.push(context.finding(nodeImdsReachable,
        `Node group '${context.nameOf(r)}' has no launch template, so EKS's default one applies, which lets pods reach the instance metadata service.`, r));
    }
    return findings;
  },
};
