import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, conditionValues, isPodIdentityStatement, ResourceFinding, trustStatements } from '../template-model';

const ACCOUNT_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid'];
const CLUSTER_KEYS = ['aws:sourcearn', 'aws:requesttag/eks-cluster-arn', 'aws:requesttag/eks-cluster-name'];

/** WI-AWS-7 (warning): a Pod Identity trust statement not scoped to an account and a cluster. */
export function podIdentityTrustUnscoped(context: AwsRuleContext): ResourceFinding[] {
  return context.ofType('AWS::IAM::Role').flatMap(role => trustStatements(context, role).filter(isPodIdentityStatement).flatMap(s => {
    const has = (keys: string[]) => conditionValues(s, k => keys.includes(k.toLowerCase())).some(c => c.values.length > 0 && !c.values.includes('*'));
    const missing = [
      ...has(ACCOUNT_KEYS) ? [] : ['aws:SourceAccount'],
      ...has(CLUSTER_KEYS) ? [] : ['the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn)'],
    ];
    return missing.length > 0 ? [context.finding(AWS_RULES.podIdentityUnscoped, MESSAGES.podIdentityUnscoped(context.nameOf(role), missing), role)] : [];
  }));
}
