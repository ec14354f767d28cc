import { Annotations, Arn, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { OidcIssuer } from '../../core/oidc-issuer';
import { DEFAULT_AUDIENCE } from '../../core/service-account-annotations';
import { WorkloadIdentityError } from '../../core/validation-error';
import { clusterDisplayName, IWorkloadCluster } from './i-workload-cluster';

/**
 * A native `AWS::IAM::OIDCProvider` (no Lambda) for the cluster's issuer,
 * listing the audiences identities ask for, lazily.
 */
export function newIssuerProvider(cluster: Construct, clusterName: string, issuerUrl: string | undefined, audiences: string[]): iam.IOpenIdConnectProvider {
  return new iam.OidcProviderNative(cluster, 'OidcProvider', {
    url: requireIssuer(cluster, clusterName, issuerUrl),
    clientIds: Lazy.list({ produce: () => audiences }),
  });
}

/**
 * The IAM OIDC provider of a cluster owned outside the app, referenced by the
 * ARN IAM gives it (no resource, no custom resource), as terraform's
 * iam-role-for-service-accounts takes `provider_arn` and aws-eks-v2's imported
 * clusters take `openIdConnectProvider`:
 * `arn:<partition>:iam::<account>:oidc-provider/<issuer without https://>`.
 * `account` and `partition` are the role's stack's (a GovCloud role trusts an
 * `arn:aws-us-gov:` provider, whatever the cluster's partition): STS takes a web identity only through a
 * provider in the role's own account, which for a cluster of another account
 * is one registered there from the cluster's issuer (for a role in the
 * handle's stack, the ARN a provider this handle owned would have). In an
 * environment-agnostic stack it is `AWS::AccountId`, the role stack's account.
 */
export function referencedIssuerProvider(cluster: IWorkloadCluster & Construct, id: string, issuerUrl: string | undefined, account: string,
  partition: string): iam.IOpenIdConnectProvider {
  const url = requireIssuer(cluster, clusterDisplayName(cluster), issuerUrl);
  const issuer = Token.isUnresolved(url) ? Fn.select(1, Fn.split('https://', url)) : OidcIssuer.conditionKeyPrefix(url);
  const provider = iam.OidcProviderNative.fromOidcProviderArn(cluster, id, `arn:${partition}:iam::${account}:oidc-provider/${issuer}`);
  REFERENCED_ACCOUNTS.set(provider, account);
  return provider;
}

/** The accounts referenced providers were built for: their ARN may be a token that does not say. */
const REFERENCED_ACCOUNTS = new WeakMap<iam.IOpenIdConnectProvider, string>();

/** The account a provider referenced by ARN for a role was built in (the role's), if `provider` is one. */
export function referencedProviderAccount(provider: iam.IOpenIdConnectProvider): string | undefined {
  return REFERENCED_ACCOUNTS.get(provider);
}

/**
 * Notes (info, on the handle, now) that IRSA trusts a provider the app does
 * not declare, for a role of `account`: which one, the client id it must list,
 * how to check and create it, and how to have the app own it instead. Said
 * once per handle, account and audience (equal notes on one construct are one).
 */
export function noteProviderOwnedElsewhere(cluster: IWorkloadCluster, issuerUrl: string, account: string, partition: string, audience: string): void {
  const name = clusterDisplayName(cluster);
  const arn = describeReferencedArn(issuerUrl, account, partition);
  const create = cluster.kind === ClusterKind.NOT_EKS
    ? `aws iam create-open-id-connect-provider --url ${Token.isUnresolved(issuerUrl) ? '<issuer URL>' : issuerUrl} --client-id-list ${audience}`
    : `eksctl utils associate-iam-oidc-provider --cluster ${name} --approve` + (audience === DEFAULT_AUDIENCE ? '' :
      ` (it lists ${DEFAULT_AUDIENCE} only; add ${audience} with: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id ${audience})`);
  Annotations.of(cluster).addInfoV2(PROVIDER_OWNED_ELSEWHERE,
    `The IAM OIDC provider of cluster '${name}' is owned outside this app: IRSA roles trust the existing provider ${arn}, which must list client id ${audience}. ` +
    `Check it with: aws iam get-open-id-connect-provider --open-id-connect-provider-arn ${arn}. ` +
    `Create it with: ${create}. ` +
    'To have this app own it, set createOpenIdConnectProvider: true on the handle that owns the cluster (its stack then holds the provider).');
}

/** The id the note is acknowledged by: `Annotations.of(scope).acknowledgeInfo(id, why)`. */
export const PROVIDER_OWNED_ELSEWHERE = 'cdk-eks-workload-identity:oidc-provider-owned-elsewhere';

/** The referenced ARN for people: literal parts as they are (the partition of the role's stack's literal region), placeholders for the rest. */
function describeReferencedArn(issuerUrl: string, account: string, partition: string): string {
  const shownPartition = !Token.isUnresolved(partition) ? partition : '<partition>';
  const shownAccount = !Token.isUnresolved(account) ? account : '<account>';
  const issuer = Token.isUnresolved(issuerUrl) ? '<issuer without https://>' : OidcIssuer.conditionKeyPrefix(issuerUrl);
  return `arn:${shownPartition}:iam::${shownAccount}:oidc-provider/${issuer}`;
}

/** The issuer URL IRSA needs; throws naming where to find it when the cluster has none. */
function requireIssuer(scope: Construct, clusterName: string, issuerUrl: string | undefined): string {
  if (!issuerUrl) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' has no OIDC issuer, so IRSA cannot be used on it. ` +
      'Pass oidcIssuerUrl (aws eks describe-cluster --query cluster.identity.oidc.issuer) or openIdConnectProvider, ' +
      'or use IdentityMechanism.POD_IDENTITY on an EKS cluster.', scope.node.path);
  }
  return issuerUrl;
}

/** The literal issuer URL of a provider declared in this app (an `AWS::IAM::OIDCProvider`), if it has one. */
export function declaredIssuerUrl(provider: iam.IOpenIdConnectProvider): string | undefined {
  const cfn = provider.node.defaultChild;
  return cfn instanceof iam.CfnOIDCProvider && typeof cfn.url === 'string' && !Token.isUnresolved(cfn.url) ? cfn.url : undefined;
}

/**
 * A native provider declared in this app with a literal client id list (such
 * as an aws-eks-v2 cluster's own, which lists only sts.amazonaws.com) gets the
 * audience added; otherwise STS would reject the tokens the trust admits.
 * Ours lists its audiences lazily; an imported one is left as is.
 */
export function acceptAudience(provider: iam.IOpenIdConnectProvider, audience: string): void {
  const cfn = provider.node.defaultChild;
  if (cfn instanceof iam.CfnOIDCProvider && Array.isArray(cfn.clientIdList) && !Token.isUnresolved(cfn.clientIdList) &&
    !cfn.clientIdList.includes(audience)) {
    cfn.clientIdList = [...cfn.clientIdList, audience];
  }
}

/**
 * The condition keys come from the issuer URL and the Federated principal from
 * the provider: if they name different issuers, a ServiceAccount is written
 * under one cluster's keys and trusted through another's provider (admitted
 * where it was not declared, denied where it was). Proven from a literal
 * provider ARN, or from the URL of a provider declared in this app; a provider
 * known only by a token ARN cannot be proven, and is refused.
 */
export function assertProviderMatchesIssuer(scope: Construct, clusterName: string, issuerUrl: string, provider?: iam.IOpenIdConnectProvider): void {
  if (!provider) { return; }
  const fix = 'Pass the provider that registers the cluster\'s issuer, or leave out oidcIssuerUrl so the condition keys come from the provider.';
  const arn = provider.openIdConnectProviderArn;
  const issuer = Token.isUnresolved(issuerUrl) ? issuerUrl : OidcIssuer.conditionKeyPrefix(issuerUrl);
  if (!Token.isUnresolved(arn)) {
    const registered = Arn.extractResourceName(arn, 'oidc-provider');
    if (registered !== issuer) {
      throw new WorkloadIdentityError(
        `Cluster '${clusterName}' has oidcIssuerUrl '${issuerUrl}' but openIdConnectProvider '${arn}' registers issuer '${registered}': ` +
        `its ServiceAccounts would be trusted through another issuer's provider. ${fix}`, scope.node.path);
    }
    return;
  }
  const cfn = provider.node.defaultChild;
  if (cfn instanceof iam.CfnOIDCProvider && cfn.url !== undefined) {
    const stack = Stack.of(scope);
    if (JSON.stringify(stack.resolve(cfn.url)) === JSON.stringify(stack.resolve(issuerUrl))) { return; }
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' has oidcIssuerUrl '${issuerUrl}' but openIdConnectProvider '${provider.node.path}' registers ` +
      `'${Token.isUnresolved(cfn.url) ? 'another issuer' : cfn.url}': its ServiceAccounts would be trusted through another issuer's provider. ${fix}`, scope.node.path);
  }
  throw new WorkloadIdentityError(
    `Cluster '${clusterName}' has oidcIssuerUrl '${issuerUrl}' and an openIdConnectProvider whose ARN is a token ('${provider.node.path}'), ` +
    `so nothing shows it registers that issuer. Pass its literal ARN (arn:aws:iam::<account>:oidc-provider/${issuer}) or a provider declared in this app, ` +
    'or leave out oidcIssuerUrl so the condition keys come from the provider.', scope.node.path);
}

/** STS takes a web identity only through a provider in the role's own account: throws if `provider` is another account's. */
export function assertProviderInAccount(cluster: IWorkloadCluster, provider: iam.IOpenIdConnectProvider, roleAccount: string, role: IConstruct): void {
  const arn = provider.openIdConnectProviderArn;
  // A token ARN (imported from another stack or a parameter) is taken to be in the account of the stack importing it;
  // a provider referenced by ARN for this role is in the account it was built for.
  const providerAccount = referencedProviderAccount(provider) ?? (!Token.isUnresolved(arn) ? arn.split(':')[4] : Stack.of(provider).account);
  if (providerAccount === undefined || Token.isUnresolved(providerAccount) || Token.isUnresolved(roleAccount) || providerAccount === roleAccount) { return; }
  const described = Token.isUnresolved(arn) ? provider.node.path : arn;
  throw new WorkloadIdentityError(
    `Cluster '${clusterDisplayName(cluster)}' has its OIDC provider '${described}' in account ${providerAccount}, but the role of ` +
    `'${role.node.path}' is in account ${roleAccount}: STS accepts a web identity only through a provider in the role's own account. ` +
    `Register the cluster's issuer in account ${roleAccount} (pass that provider as openIdConnectProvider, or adapt the cluster in a stack of account ${roleAccount}).`,
    role.node.path);
}
