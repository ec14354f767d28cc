import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentityError } from '../../core/validation-error';

/** An Allow statement with a Sid (the catalog names every statement, so reasons and reviews can refer to it). */
export function allow(sid: string, actions: string[], resources: string[], conditions?: { [operator: string]: any }): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid, actions, resources, conditions });
}

/** IAM condition blocks by operator. */
export type Conditions = { [operator: string]: { [key: string]: any } };

/** Joins condition blocks: keys under the same operator are all required. */
export function conditions(...blocks: Conditions[]): Conditions {
  const merged: Conditions = {};
  for (const block of blocks) {
    for (const [operator, keys] of Object.entries(block)) {
      merged[operator] = { ...merged[operator], ...keys };
    }
  }
  return merged;
}

/** Refuses a literal that is not a workspace ARN. */
export function validateWorkspaceArn(path: string, arn: string): void {
  if (!Token.isUnresolved(arn) && !/^arn:[a-z-]+:aps:[a-z0-9-]+:\d{12}:workspace\/ws-[A-Za-z0-9-]+$/.test(arn)) {
    throw new WorkloadIdentityError(`Invalid workspaceArn '${arn}' for '${path}': expected arn:aws:aps:<region>:<account>:workspace/ws-<id>.`, path);
  }
}
