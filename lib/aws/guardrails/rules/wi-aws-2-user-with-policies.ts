import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { asArray } from '../template-model';
import { AwsRule } from './aws-rule';

/** WI-AWS-2 user-with-policies: an IAM user with policies, in an app that declares workload identities. */
export const userWithPolicies: AwsRule = {
  id: 'WI-AWS-2',
  name: 'user-with-policies',
  level: GuardrailLevel.ERROR,
  explanation: 'An IAM user with permissions next to workload identities is how static keys creep back in.',
  fix: 'Grant the permissions to the workload\'s WorkloadIdentity (bucket.grantRead(identity)) and remove the user\'s policies.',
  check: context => {
    if (!context.declaresWorkloadIdentities) { return []; }
    const attached = context.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy');
    return context.ofType('AWS::IAM::User').flatMap(user => {
      const how: string[] = [];
      if (asArray(user.properties.Policies).length > 0) { how.push('inline Policies'); }
      if (asArray(user.properties.ManagedPolicyArns).length > 0) { how.push('ManagedPolicyArns'); }
      if (asArray(user.properties.Groups).length > 0) { how.push('Groups'); }
      const policies = attached.filter(p => p.stack === user.stack && asArray(p.properties.Users).some((u: any) => u?.Ref === user.logicalId));
      if (policies.length > 0) { how.push(`policy ${policies.map(p => `'${context.nameOf(p)}'`).join(', ')}`); }
      return how.length > 0
        ? [context.finding(userWithPolicies, `IAM user '${context.nameOf(user)}' has permissions (${how.join(', ')}) in an app that declares workload identities.`, user)]
        : [];
    });
  },
};
