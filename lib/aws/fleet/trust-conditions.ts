import * as iam from 'aws-cdk-lib/aws-iam';
import { show } from '../../core/validation/describe';
import { WorkloadIdentityError } from '../../core/validation-error';

/**
 * The library's conditions of a trust statement with the user's added: each
 * operator's keys together. A key the library already sets under the same
 * operator is refused, because replacing its value could widen the trust;
 * every other addition only narrows it (IAM ANDs conditions).
 */
export function withAddedConditions(base: iam.Conditions, added: { [operator: string]: any } | undefined, where: string): iam.Conditions {
  if (!added) { return base; }
  const merged: { [operator: string]: any } = { ...base };
  for (const [operator, keys] of Object.entries(added)) {
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
      throw new WorkloadIdentityError(
        `Invalid trust condition ${show(operator)}: it must map condition keys to values, e.g. { StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } }.`, where);
    }
    const own = base[operator] ?? {};
    const clash = Object.keys(keys).find(k => Object.keys(own).some(o => o.toLowerCase() === k.toLowerCase()));
    if (clash !== undefined) {
      throw new WorkloadIdentityError(
        `Trust condition ${operator} ${show(clash)} replaces one the library sets to admit exactly the declared subjects. ` +
        'Add conditions on other keys (e.g. aws:SourceOrgID, aws:SourceArn), or use another operator to narrow it.', where);
    }
    merged[operator] = { ...own, ...keys };
  }
  return merged;
}
