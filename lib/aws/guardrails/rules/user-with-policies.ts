import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { asArray, AwsRuleContext, ResourceFinding } from '../template-model';

/** WI-AWS-2: an IAM user with policies, in an app that declares workload identities. */
export function userWithPolicies(context: AwsRuleContext): ResourceFinding[] {
  if (!context.declaresWorkloadIdentities) { return []; }
  const attached = context.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy');
  return context.ofType('AWS::IAM::User').flatMap(user => {
    const how: string[] = [];
    if (asArray(user.properties.Policies).length > 0) { how.push('inline Policies'); }
    if (asArray(user.properties.ManagedPolicyArns).length > 0) { how.push('ManagedPolicyArns'); }
    if (asArray(user.properties.Groups).length > 0) { how.push('Groups'); }
    const policies = attached.filter(p => p.stack === user.stack && asArray(p.properties.Users).some((u: any) => u?.Ref === user.logicalId));
    if (policies.length > 0) { how.push(`policy ${policies.map(p => `'${context.nameOf(p)}'`).join(', ')}`); }
    return how.length > 0 ? [context.finding(AWS_RULES.userWithPolicies, MESSAGES.userWithPolicies(context.nameOf(user), how.join(', ')), user)] : [];
  });
}
