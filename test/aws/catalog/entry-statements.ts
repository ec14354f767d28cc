/**
 * The statements a catalog entry's role is given, read from the synthesized
 * template (its customer managed policies), for fine-grained assertions.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CatalogIdentity } from '../../../lib';

export function statementsOf(entry: CatalogIdentity): any[] {
  const stack = Stack.of(entry);
  const roleId = stack.getLogicalId(entry.role.node.defaultChild as any);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.values<any>(policies)
    .filter(p => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId))
    .flatMap(p => p.Properties.PolicyDocument.Statement)
    .map(withPartition);
}

/** Joins `Fn::Join`s whose only token is the partition, as `aws`, so ARNs compare as strings. */
function withPartition(value: any): any {
  if (Array.isArray(value)) { return value.map(withPartition); }
  if (value === null || typeof value !== 'object') { return value; }
  const join = value['Fn::Join'];
  if (join && join[1].every((p: any) => typeof p === 'string' || p?.Ref === 'AWS::Partition')) {
    return join[1].map((p: any) => typeof p === 'string' ? p : 'aws').join(join[0]);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPartition(v)]));
}

/** The statement with `sid`, or undefined. */
export function statementOf(entry: CatalogIdentity, sid: string): any {
  return statementsOf(entry).find(s => s.Sid === sid);
}

/** Every action the entry's role is allowed (as written, not expanded). */
export function actionsOf(entry: CatalogIdentity): string[] {
  return statementsOf(entry).flatMap(s => [s.Action].flat());
}
