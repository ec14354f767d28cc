import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The finding ids cdk-nag's AwsSolutions-IAM5 reports for a policy document
 * (`Action::<action>` and `Resource::<flattened resource>` for each wildcard
 * of an Allow statement). cdk-nag 3 matches acknowledgements by exact id and
 * is no runtime dependency of this library, so its flattening of references
 * (`<LogicalId.Attr>`, `<AWS::Partition>`) is restated here.
 */
export function wildcardFindings(stack: Stack, document: iam.PolicyDocument): string[] {
  const resolved = stack.resolve(document.toJSON()) ?? {};
  const findings = new Set<string>();
  for (const statement of resolved.Statement ?? []) {
    if (statement.Effect !== 'Allow') { continue; }
    for (const action of [statement.Action].flat()) {
      if (typeof action === 'string' && action.includes('*')) { findings.add(`Action::${action}`); }
    }
    for (const resource of [statement.Resource].flat().map(flatten)) {
      if (resource.includes('*')) { findings.add(`Resource::${resource}`); }
    }
  }
  return [...findings];
}

/** The id cdk-nag's AwsSolutions-IAM4 reports for an attached managed policy ARN. */
export function managedPolicyFinding(stack: Stack, policyArn: string): string {
  return `Policy::${flatten(stack.resolve(policyArn))}`;
}

function flatten(node: any): string {
  if (node === undefined) { return ''; }
  if (typeof node === 'string') { return node.replace(/\${/g, '<').replace(/}/g, '>'); }
  if (node['Fn::Join']) { const [delimiter, items] = node['Fn::Join']; return items.map(flatten).join(delimiter); }
  if (node['Fn::Sub']) { return flatten(node['Fn::Sub']); }
  if (node['Fn::GetAtt']) { const [resource, attribute] = node['Fn::GetAtt']; return `<${flatten(resource)}.${flatten(attribute)}>`; }
  if (node['Fn::ImportValue']) { return flatten(node['Fn::ImportValue']); }
  if (node.Ref) { return `<${flatten(node.Ref)}>`; }
  return JSON.stringify(node);
}
