import { Token } from 'aws-cdk-lib';
import { IdentityMechanism, usesIrsa, usesPodIdentity } from '../core/identity-mechanism';
import { KubernetesNames } from '../core/kubernetes-names';
import { POD_IDENTITY_ACTIONS, POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TAG_KEYS } from '../core/pod-identity';
import { IWorkloadCluster } from './cluster/i-workload-cluster';
import { AddedConditions, describeAddedConditions } from './fleet/trust-conditions';

/**
 * The trust a role the library did not build must have for one subject, in
 * words: the warning on an existing role (or a precreated one's later subjects).
 */
export function requiredTrust(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string,
  mechanism: IdentityMechanism, audience: string, restrictTrust: boolean, added: { irsa?: AddedConditions; podIdentity?: AddedConditions } = {}): string {
  const needs: string[] = [];
  const irsaAdded = describeAddedConditions(added.irsa);
  const podIdentityAdded = describeAddedConditions(added.podIdentity);
  if (usesIrsa(mechanism)) {
    const prefix = Token.isUnresolved(cluster.oidcIssuerUrl ?? '') || !cluster.oidcIssuerUrl ? '<issuer>' : cluster.oidcIssuerUrl.replace(/^https:\/\//, '');
    needs.push(`sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider with StringEquals ${prefix}:sub = ` +
      `${KubernetesNames.serviceAccountSubject(namespace, serviceAccountName)} and ${prefix}:aud = ${audience}` +
      (irsaAdded ? ` and ${irsaAdded}` : ''));
  }
  if (usesPodIdentity(mechanism)) {
    needs.push(`${POD_IDENTITY_ACTIONS.join(' and ')} from ${POD_IDENTITY_PRINCIPAL}` +
      (restrictTrust ? ` with StringEquals ${POD_IDENTITY_TAG_KEYS.namespace} = ${namespace}, ${POD_IDENTITY_TAG_KEYS.serviceAccount} = ${serviceAccountName} and ${POD_IDENTITY_TAG_KEYS.clusterArn} = the cluster's ARN` : '') +
      (podIdentityAdded ? `${restrictTrust ? ' and' : ' with'} ${podIdentityAdded}` : ''));
  }
  return `The existing role is used as is: its trust policy must allow ${needs.join('; and ')}. ` +
    'Without it the pods of that ServiceAccount get no credentials.';
}
