import { AWS_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { AwsRuleContext, ResourceFinding, StackTemplate, TemplateResource } from '../template-model';

/**
 * WI-AWS-13: two `AWS::IAM::OIDCProvider` resources for one issuer URL in one
 * account, in any stacks of the app. URLs known only at deployment (a
 * created cluster's issuer) are skipped: they cannot be compared.
 */
export function duplicateOidcProvider(context: AwsRuleContext): ResourceFinding[] {
  const groups = new Map<string, { url: string; account?: string; resources: TemplateResource[] }>();
  for (const r of context.ofType('AWS::IAM::OIDCProvider')) {
    if (!knownBeforeDeployment(r.stack, r.properties.Url)) { continue; }
    const url = context.render(r.stack, r.properties.Url);
    if (typeof url !== 'string' || url.includes('?')) { continue; }
    // Accounts compare as written, as WI-AWS-10's clusters do: environment-agnostic stacks share one.
    const key = `${r.stack.account}|${url}`;
    const group = groups.get(key) ?? { url, account: r.stack.account, resources: [] };
    group.resources.push(r);
    groups.set(key, group);
  }
  return [...groups.values()].filter(g => g.resources.length > 1).map(({ url, account, resources }) =>
    context.finding(AWS_RULES.duplicateOidcProvider, MESSAGES.duplicateOidcProvider(url, account, resources.map(r => context.nameOf(r))), resources[1]));
}

/**
 * Whether `value` is a literal, or built only from pseudo parameters the
 * stack's environment fixes. Rendering alone is not enough: it stands in a
 * made-up issuer for a cluster's OpenIdConnectIssuerUrl.
 */
function knownBeforeDeployment(stack: StackTemplate, value: any): boolean {
  if (value === null || typeof value !== 'object') { return true; }
  if (Array.isArray(value)) { return value.every(v => knownBeforeDeployment(stack, v)); }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') { return pseudoParameterKnown(stack, value.Ref); }
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const arg = value['Fn::Sub'];
    return typeof arg === 'string' && [...arg.matchAll(/\$\{([^}!]+)\}/g)].every(m => pseudoParameterKnown(stack, m[1]));
  }
  if (keys.length === 1 && ['Fn::Join', 'Fn::Select', 'Fn::Split'].includes(keys[0])) { return knownBeforeDeployment(stack, value[keys[0]]); }
  return !keys.some(k => k === 'Ref' || k.startsWith('Fn::')) && keys.every(k => knownBeforeDeployment(stack, value[k]));
}

function pseudoParameterKnown(stack: StackTemplate, name: string): boolean {
  if (name === 'AWS::AccountId') { return stack.account !== undefined; }
  return ['AWS::Partition', 'AWS::Region', 'AWS::URLSuffix'].includes(name) && stack.region !== undefined;
}
