import { Token } from 'aws-cdk-lib';
import { OidcIssuer } from '../../core/oidc-issuer';
import { WorkloadIdentityError } from '../../core/validation-error';
import { AppState } from '../app-state';
import { differ, referencedResource } from '../cluster/cluster-environment';
import { clusterDisplayName, IWorkloadCluster } from '../cluster/i-workload-cluster';

/**
 * Records the cluster a handle states an OIDC issuer for, and throws if
 * another cluster of the app was declared with that issuer: an issuer is one
 * cluster's (its ServiceAccount tokens' `iss`), so the IRSA trust of a
 * ServiceAccount declared on either would admit the same name on both. Two
 * handles of one cluster (same name; same account and region where both are
 * known) may state it; an issuer known only at deployment cannot be compared.
 */
export function claimIssuer(handle: IWorkloadCluster): void {
  const url = handle.oidcIssuerUrl;
  if (!url || Token.isUnresolved(url)) { return; }
  const issuer = OidcIssuer.conditionKeyPrefix(url);
  const claims = AppState.of(handle).issuers;
  const first = claims.get(issuer) as IWorkloadCluster | undefined;
  if (!first) { claims.set(issuer, handle); return; }
  if (sameCluster(first, handle)) { return; }
  const name = clusterDisplayName(handle);
  throw new WorkloadIdentityError(
    `Cluster ${describe(handle)} is declared with OIDC issuer '${url}', which cluster ${describe(first)} already has: an issuer belongs to one cluster, ` +
    `so the IRSA trust of a ServiceAccount declared on either would admit the same ServiceAccount on both. Pass cluster '${name}''s own issuer ` +
    `(aws eks describe-cluster --name ${name} --query cluster.identity.oidc.issuer --output text).`, handle.node.path);
}

/** Whether two handles adapt one cluster: the same name (or created resource), and no account or region known to differ. */
function sameCluster(a: IWorkloadCluster, b: IWorkloadCluster): boolean {
  const tokenA = Token.isUnresolved(a.clusterName);
  const tokenB = Token.isUnresolved(b.clusterName);
  if (tokenA || tokenB) {
    const resource = (c: IWorkloadCluster) => referencedResource(c.clusterName);
    return tokenA && tokenB && resource(a) !== undefined && resource(a) === resource(b);
  }
  if (a.clusterName !== b.clusterName) { return false; }
  const ea = a._clusterEnvironment;
  const eb = b._clusterEnvironment;
  return !differ(ea.account, eb.account) && !differ(ea.region, eb.region);
}

/** The cluster for the message: its name, where it is when known, and the handle that declares it. */
function describe(cluster: IWorkloadCluster): string {
  const env = cluster._clusterEnvironment;
  const where = env.account !== undefined || env.region !== undefined ? `account ${env.account ?? 'unknown'}, region ${env.region ?? 'unknown'}; ` : '';
  return `'${clusterDisplayName(cluster)}' (${where}handle '${cluster.node.path}')`;
}
