import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { conditionValues, isPodIdentityStatement, trustStatements } from '../template-model';
import { AwsRule } from './aws-rule';

const ACCOUNT_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid'];
const CLUSTER_KEYS = ['aws:sourcearn', 'aws:requesttag/eks-cluster-arn', 'aws:requesttag/eks-cluster-name'];

/** WI-AWS-7 pod-identity-trust-unscoped (warning): a Pod Identity trust statement not scoped to an account and a cluster. */
export const podIdentityTrustUnscoped: AwsRule = {
  id: 'WI-AWS-7',
  name: 'pod-identity-trust-unscoped',
  level: GuardrailLevel.WARNING,
  explanation: 'Without conditions any pod identity association in any account that may pass the role can use it (confused deputy).',
  fix: 'Add StringEquals aws:SourceAccount and the cluster (aws:SourceArn, or the aws:RequestTag/eks-cluster-arn session tag), as WorkloadIdentity does unless restrictTrustToSubjects is false.',
  check: context => context.ofType('AWS::IAM::Role').flatMap(role => trustStatements(context, role).filter(isPodIdentityStatement).flatMap(s => {
    const has = (keys: string[]) => conditionValues(s, k => keys.includes(k.toLowerCase())).some(c => c.values.length > 0 && !c.values.includes('*'));
    const missing = [
      ...has(ACCOUNT_KEYS) ? [] : ['aws:SourceAccount'],
      ...has(CLUSTER_KEYS) ? [] : ['the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn)'],
    ];
    return missing.length > 0
      ? [context.finding(podIdentityTrustUnscoped, `Role '${context.nameOf(role)}' trusts pods.eks.amazonaws.com without a condition on ${missing.join(' or ')}.`, role)]
      : [];
  })),
};
