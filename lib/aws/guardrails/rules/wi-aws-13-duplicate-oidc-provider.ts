import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { StackTemplate, TemplateResource } from '../template-model';
import { AwsRule } from './aws-rule';

/**
 * WI-AWS-13 duplicate-oidc-provider: two `AWS::IAM::OIDCProvider` resources
 * for one issuer URL in one account, in any stacks of the app. A provider
 * referenced by ARN (a cluster owned elsewhere) is no resource, so never one.
 * URLs known only at deployment (a created cluster's issuer) are skipped:
 * they cannot be compared.
 */
export const duplicateOidcProvider: AwsRule = {
  id: 'WI-AWS-13',
  name: 'duplicate-oidc-provider',
  level: GuardrailLevel.ERROR,
  picksFromGroup: true,
  explanation: 'IAM accepts one OIDC provider per issuer URL in an account; the second AWS::IAM::OIDCProvider fails to create at deployment.',
  fix: 'Keep one provider per issuer and account: the stack that owns the cluster owns it. Set createOpenIdConnectProvider: true on one handle only ' +
    '(a handle of WorkloadCluster.fromClusterAttributes references the existing provider by ARN unless asked), pass a provider declared elsewhere as openIdConnectProvider ' +
    '(iam.OidcProviderNative.fromOidcProviderArn(scope, id, arn)), or remove the extra one.',
  check: context => {
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
    return [...groups.values()].filter(g => g.resources.length > 1).map(({ url, account, resources }) => context.finding(duplicateOidcProvider,
      `Issuer '${url}' has ${resources.length} AWS::IAM::OIDCProvider resources in ${account ? `account ${account}` : 'one account'} (${resources.map(r => context.nameOf(r)).join(', ')}).`,
      resources[1]));
  },
};

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
