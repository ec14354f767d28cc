import { Annotations, Arn, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { OidcIssuer } from '../../core/oidc-issuer';
import { DEFAULT_AUDIENCE } from '../../core/service-account-annotations';
import { WorkloadIdentityError } from '../../core/validation-error';
import { clusterDisplayName, IrsaTrust, IWorkloadCluster } from '../cluster/i-workload-cluster';
import { stackPartition } from '../stacks/partition';
import { splittableIn } from '../stacks/splittable-reference';

/**
 * The IAM OIDC provider a cluster handle's IRSA roles trust: the one the
 * cluster's owner declares (a native `AWS::IAM::OIDCProvider`, no Lambda,
 * listing every audience identities ask for) or holds (handed in, or a
 * created cluster's own), else, in each role's account, the one IAM registers
 * for the issuer, referenced by ARN (a note on the handle says it must exist).
 */
export class IssuerProvider {
  /** The provider the owner declares (createOpenIdConnectProvider), listing these audiences. */
  private declared?: iam.IOpenIdConnectProvider;
  private readonly audiences: string[] = [DEFAULT_AUDIENCE];
  /** The handed-in or created cluster's provider, once read. */
  private held?: iam.IOpenIdConnectProvider;
  /** The providers referenced by ARN, per role account. */
  private readonly referenced = new Map<string, iam.IOpenIdConnectProvider>();

  /**
   * @param handle the cluster handle: the scope of what is declared or referenced, and of the notes
   * @param holds the provider the cluster already has (handed in, or a created cluster's own), read when first needed
   */
  constructor(private readonly handle: IWorkloadCluster & Construct, private readonly holds: () => iam.IOpenIdConnectProvider | undefined) {}

  /** Declares the provider the owner owns (createOpenIdConnectProvider), for the cluster's issuer, now. */
  public declare(issuerUrl: string | undefined): void {
    if (!issuerUrl) {
      throw new WorkloadIdentityError(
        `WorkloadCluster '${this.handle.node.path}' has createOpenIdConnectProvider: true but no oidcIssuerUrl: the provider it owns must register the cluster's issuer. ` +
        `Pass oidcIssuerUrl (aws eks describe-cluster --name ${clusterDisplayName(this.handle)} --query cluster.identity.oidc.issuer --output text), ` +
        'or drop createOpenIdConnectProvider.', this.handle.node.path);
    }
    this.declared = new iam.OidcProviderNative(this.handle, 'OidcProvider', { url: issuerUrl, clientIds: Lazy.list({ produce: () => this.audiences }) });
  }

  /**
   * The provider a role of `account` trusts: the owner's (`owner`, the
   * owner's IssuerProvider, if the cluster has an owner in the app), else the
   * one referenced by ARN in that account and `partition`: an account is in
   * one partition, so the first role of the account names it for all.
   */
  public providerFor(owner: IssuerProvider | undefined, account: string, partition: () => string = () => stackPartition(this.handle)): iam.IOpenIdConnectProvider {
    const owned = owner && (owner.declared ?? (owner.held ??= owner.holds()));
    if (owned) { return owned; }
    let provider = this.referenced.get(account);
    if (!provider) {
      const id = account === Stack.of(this.handle).account ? 'OidcProvider' : `OidcProvider${Token.isUnresolved(account) ? this.referenced.size : account}`;
      provider = referencedIssuerProvider(this.handle, id, this.handle.oidcIssuerUrl, account, partition());
      this.referenced.set(account, provider);
    }
    return provider;
  }

  /**
   * What the IRSA trust of a role in `role`'s stack reads: the provider of
   * the role's account (refused if it is another account's), made to list
   * `audience` (one the app declares gets it added; for one owned elsewhere a
   * note on the handle says which provider must list it), and the prefix of
   * the condition keys.
   */
  public irsaTrust(owner: IssuerProvider | undefined, audience: string, role: IConstruct): IrsaTrust {
    const account = Stack.of(role).account;
    // The partition names only providers referenced by ARN (and their notes).
    const partition = () => stackPartition(role);
    const provider = this.providerFor(owner, account, partition);
    if (owner && provider === owner.declared) {
      if (!owner.audiences.includes(audience)) { owner.audiences.push(audience); }
    } else if (REFERENCED_ACCOUNTS.has(provider)) {
      noteProviderOwnedElsewhere(this.handle, this.handle.oidcIssuerUrl!, account, partition(), audience);
    } else {
      acceptAudience(provider, audience);
    }
    const conditionKeyPrefix = conditionKeyPrefixOf(this.handle.oidcIssuerUrl, provider, role);
    assertProviderInAccount(this.handle, provider, account, role);
    return { provider, conditionKeyPrefix };
  }
}

/** The prefix of the IRSA condition keys: the issuer without https://, split (where a token) out of a value the role's stack may split. */
function conditionKeyPrefixOf(issuer: string | undefined, provider: iam.IOpenIdConnectProvider, role: IConstruct): string {
  if (issuer && !Token.isUnresolved(issuer)) { return OidcIssuer.conditionKeyPrefix(issuer); }
  // A referenced provider's ARN is built from the issuer, so the keys come from the issuer too.
  if (REFERENCED_ACCOUNTS.has(provider) && issuer) { return Fn.select(1, Fn.split('https://', issuer)); }
  // A provider declared in the app with a literal URL names its issuer: the keys need no split of its ARN, which in a
  // stack of another region (or with weak cross-stack references) arrives as Fn::GetStackOutput, not accepted inside Fn::Split.
  const declared = declaredIssuerUrl(provider);
  if (declared !== undefined) { return OidcIssuer.conditionKeyPrefix(declared); }
  // A provider of another stack of the role's account and region (a created cluster's, say): split its ARN
  // imported strongly, as aws-cdk-lib's providers split theirs (Arn.extractResourceName).
  const arn = splittableIn(role, provider.openIdConnectProviderArn);
  return arn === provider.openIdConnectProviderArn ? provider.openIdConnectProviderIssuer : Arn.extractResourceName(arn, 'oidc-provider');
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
function referencedIssuerProvider(cluster: IWorkloadCluster & Construct, id: string, issuerUrl: string | undefined, account: string,
  partition: string): iam.IOpenIdConnectProvider {
  const url = requireIssuer(cluster, clusterDisplayName(cluster), issuerUrl);
  const issuer = Token.isUnresolved(url) ? Fn.select(1, Fn.split('https://', url)) : OidcIssuer.conditionKeyPrefix(url);
  const provider = iam.OidcProviderNative.fromOidcProviderArn(cluster, id, `arn:${partition}:iam::${account}:oidc-provider/${issuer}`);
  REFERENCED_ACCOUNTS.set(provider, account);
  return provider;
}

/** The accounts referenced providers were built for: their ARN may be a token that does not say. */
const REFERENCED_ACCOUNTS = new WeakMap<iam.IOpenIdConnectProvider, string>();

/**
 * Each provider's account, found on the first IRSA trust through it: every role
 * of a cluster asks for the same provider, whose ARN (a readonly property, a
 * token string made on each read for a declared provider), stack and
 * referenced account never change.
 */
const PROVIDER_ACCOUNTS = new WeakMap<iam.IOpenIdConnectProvider, { readonly account: string | undefined }>();

function providerAccountOf(provider: iam.IOpenIdConnectProvider): string | undefined {
  let known = PROVIDER_ACCOUNTS.get(provider);
  if (known === undefined) {
    const arn = provider.openIdConnectProviderArn;
    // A token ARN (imported from another stack or a parameter) is taken to be in the account of the stack importing it;
    // a provider referenced by ARN for this role is in the account it was built for.
    known = { account: REFERENCED_ACCOUNTS.get(provider) ?? (!Token.isUnresolved(arn) ? arn.split(':')[4] : Stack.of(provider).account) };
    PROVIDER_ACCOUNTS.set(provider, known);
  }
  return known.account;
}

/**
 * Notes (info, on the handle, now) that IRSA trusts a provider the app does
 * not declare, for a role of `account`: which one, the client id it must list,
 * how to check and create it, and how to have the app own it instead. Said
 * once per handle, account and audience (equal notes on one construct are one).
 */
function noteProviderOwnedElsewhere(cluster: IWorkloadCluster, issuerUrl: string, account: string, partition: string, audience: string): void {
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
function declaredIssuerUrl(provider: iam.IOpenIdConnectProvider): string | undefined {
  const cfn = provider.node.defaultChild;
  return cfn instanceof iam.CfnOIDCProvider && typeof cfn.url === 'string' && !Token.isUnresolved(cfn.url) ? cfn.url : undefined;
}

/**
 * A native provider declared in this app with a literal client id list (such
 * as an aws-eks-v2 cluster's own, which lists only sts.amazonaws.com) gets the
 * audience added; otherwise STS would reject the tokens the trust admits.
 * Ours lists its audiences lazily; an imported one is left as is.
 */
function acceptAudience(provider: iam.IOpenIdConnectProvider, audience: string): void {
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
function assertProviderInAccount(cluster: IWorkloadCluster, provider: iam.IOpenIdConnectProvider, roleAccount: string, role: IConstruct): void {
  const providerAccount = providerAccountOf(provider);
  if (providerAccount === undefined || Token.isUnresolved(providerAccount) || Token.isUnresolved(roleAccount) || providerAccount === roleAccount) { return; }
  const arn = provider.openIdConnectProviderArn;
  const described = Token.isUnresolved(arn) ? provider.node.path : arn;
  throw new WorkloadIdentityError(
    `Cluster '${clusterDisplayName(cluster)}' has its OIDC provider '${described}' in account ${providerAccount}, but the role of ` +
    `'${role.node.path}' is in account ${roleAccount}: STS accepts a web identity only through a provider in the role's own account. ` +
    `Register the cluster's issuer in account ${roleAccount} (pass that provider as openIdConnectProvider, or adapt the cluster in a stack of account ${roleAccount}).`,
    role.node.path);
}
