import { Arn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { OidcIssuer } from '../../core/oidc-issuer';
import { WorkloadIdentityError } from '../../core/validation-error';

/**
 * A native `AWS::IAM::OIDCProvider` (no Lambda) for the cluster's issuer,
 * listing the audiences identities ask for, lazily.
 */
export function newIssuerProvider(cluster: Construct, clusterName: string, issuerUrl: string | undefined, audiences: string[]): iam.IOpenIdConnectProvider {
  if (!issuerUrl) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' has no OIDC issuer, so IRSA cannot be used on it. ` +
      'Pass oidcIssuerUrl (aws eks describe-cluster --query cluster.identity.oidc.issuer) or openIdConnectProvider, ' +
      'or use IdentityMechanism.POD_IDENTITY on an EKS cluster.', cluster.node.path);
  }
  return new iam.OidcProviderNative(cluster, 'OidcProvider', {
    url: issuerUrl,
    clientIds: Lazy.list({ produce: () => audiences }),
  });
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
