import { fullDiff } from '@aws-cdk/cloudformation-diff';

/** What a reviewer reads between two deployments: `cdk diff` of the stack, and the ServiceAccount's annotations. */
export interface ReviewerDiff {
  /** Changed resources by logical id: `+ Type`, `- Type`, or `~ Type Property,...`. */
  readonly resources: { [logicalId: string]: string };
  /** IAM statements `cdk diff` lists as added (+) or removed (-): effect, actions, principals and condition. */
  readonly iam: string[];
  /** The ServiceAccount's annotations: `+ key=value`, `- key=value`, `~ key=old->new`. */
  readonly serviceAccount: string[];
}

/**
 * The difference from one synthesized phase to the next, as `cdk diff`
 * computes it (@aws-cdk/cloudformation-diff is its engine), and as
 * `kubectl diff` would show the ServiceAccount.
 */
export function reviewerDiff(before: { template: any; serviceAccount: any }, after: { template: any; serviceAccount: any }): ReviewerDiff {
  const diff = fullDiff(before.template, after.template);
  const resources: { [logicalId: string]: string } = {};
  diff.resources.forEachDifference((id, change) => {
    resources[id] = change.isAddition ? `+ ${change.newResourceType}` : change.isRemoval ? `- ${change.oldResourceType}`
      : `~ ${change.resourceType} ${[...Object.keys(change.propertyUpdates), ...Object.keys(change.otherChanges)].sort().join(',')}`;
  });
  const statement = (sign: string) => (s: any) => {
    return `${sign} ${s.effect} ${s.actions.values.join(',')} ${s.principals.values.join(',')}${s.condition ? ` ${JSON.stringify(s.condition)}` : ''}`;
  };
  const iam = [...diff.iamChanges.statements.additions.map(statement('+')), ...diff.iamChanges.statements.removals.map(statement('-'))];
  return { resources, iam, serviceAccount: annotationDiff(before.serviceAccount.metadata.annotations ?? {}, after.serviceAccount.metadata.annotations ?? {}) };
}

function annotationDiff(before: { [k: string]: string }, after: { [k: string]: string }): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap(k => before[k] === after[k] ? [] : !(k in before) ? [`+ ${k}=${after[k]}`] : !(k in after) ? [`- ${k}=${before[k]}`] : [`~ ${k}=${before[k]}->${after[k]}`]);
}
