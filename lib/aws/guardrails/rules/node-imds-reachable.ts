import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, ResourceFinding, TemplateResource } from '../template-model';

/**
 * WI-AWS-11 (warning): launch templates, launch configurations and managed
 * node groups that let pods reach the instance metadata service (IMDSv1, or
 * a hop limit above 1), and so the node role.
 */
export function nodeImdsReachable(context: AwsRuleContext): ResourceFinding[] {
  const findings: ResourceFinding[] = [];
  const check = (r: TemplateResource, options: any) => {
    const name = context.nameOf(r);
    if (options?.HttpTokens !== 'required') { findings.push(context.finding(AWS_RULES.nodeImds, MESSAGES.imdsV1(name), r)); }
    const hops = Number(options?.HttpPutResponseHopLimit ?? 1);
    if (hops > 1) { findings.push(context.finding(AWS_RULES.nodeImds, MESSAGES.imdsHopLimit(name, hops), r)); }
  };
  for (const r of context.ofType('AWS::EC2::LaunchTemplate')) { check(r, r.properties.LaunchTemplateData?.MetadataOptions); }
  for (const r of context.ofType('AWS::AutoScaling::LaunchConfiguration')) { check(r, r.properties.MetadataOptions); }
  for (const r of context.ofType('AWS::EKS::Nodegroup').filter(n => !n.properties.LaunchTemplate)) {
    findings.push(context.finding(AWS_RULES.nodeImds, MESSAGES.nodegroupDefaultTemplate(context.nameOf(r)), r));
  }
  return findings;
}
