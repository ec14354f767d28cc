import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { AwsRule } from './aws-rule';

/** WI-AWS-1 static-access-key: any `AWS::IAM::AccessKey`. */
export const staticAccessKey: AwsRule = {
  id: 'WI-AWS-1',
  name: 'static-access-key',
  level: GuardrailLevel.ERROR,
  explanation: 'Access keys never expire and leak through images, logs and laptops.',
  fix: 'Remove the AWS::IAM::AccessKey; give the workload a WorkloadIdentity (IRSA or Pod Identity) instead.',
  check: context => context.ofType('AWS::IAM::AccessKey').map(r =>
    context.finding(staticAccessKey, `Access key '${context.nameOf(r)}' creates a static credential.`, r)),
};
