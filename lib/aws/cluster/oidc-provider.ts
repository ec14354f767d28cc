import { Arn, Lazy, Token } from 'aws-cdk-lib';
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
 * the provider: if they name different issuers, no token can assume the role.
 */
export function assertProviderMatchesIssuer(scope: Construct, clusterName: string, issuerUrl: string, provider?: iam.IOpenIdConnectProvider): void {
  const arn = provider?.openIdConnectProviderArn;
  if (!arn || Token.isUnresolved(arn)) { return; }
  const registered = Arn.extractResourceName(arn, 'oidc-provider');
  if (registered !== OidcIssuer.conditionKeyPrefix(issuerUrl)) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' has oidcIssuerUrl '${issuerUrl}' but openIdConnectProvider '${arn}' registers issuer '${registered}': ` +
      'no token could assume its roles. Pass the provider of that issuer, or leave out oidcIssuerUrl.', scope.node.path);
  }
}
