import { Token } from 'aws-cdk-lib';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { KubernetesNames } from '../../core/kubernetes-names';
import { MechanismMigration, MigrationPhase } from '../../core/migration-phase';
import { MechanismPlan, migrationLabel } from '../../core/migration-plan';
import { POD_IDENTITY_ACTIONS, POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TAG_KEYS } from '../../core/pod-identity';
import { IWorkloadCluster } from '../cluster/i-workload-cluster';
import { AddedConditions, describeAddedConditions } from './trust-conditions';

/**
 * The trust a role the library did not build must have for one subject, in
 * words: the warning on an existing role (or a precreated one's later
 * subjects). In a migration it also says which statement the phase adds or
 * lets go, since the library cannot change that role's trust.
 */
export function requiredTrust(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string,
  plan: MechanismPlan, audience: string, restrictTrust: boolean, added: { irsa?: AddedConditions; podIdentity?: AddedConditions } = {},
  migration?: MechanismMigration): string {
  const irsa = irsaStatement(cluster, namespace, serviceAccountName, audience, describeAddedConditions(added.irsa));
  const podIdentity = podIdentityStatement(namespace, serviceAccountName, restrictTrust, describeAddedConditions(added.podIdentity));
  const needs = [...plan.trustsIrsa ? [irsa] : [], ...plan.trustsPodIdentity ? [podIdentity] : []];
  return `The existing role is used as is: its trust policy must allow ${needs.join('; and ')}. ` +
    'Without it the pods of that ServiceAccount get no credentials.' + (migration ? ` ${migrationStep(migration)}` : '');
}

/** What the user changes on the role's trust in this phase. */
function migrationStep(migration: MechanismMigration): string {
  const [added, old] = migration.to === IdentityMechanism.POD_IDENTITY
    ? [`the ${POD_IDENTITY_PRINCIPAL} statement`, 'the sts:AssumeRoleWithWebIdentity statement']
    : ['the sts:AssumeRoleWithWebIdentity statement', `the ${POD_IDENTITY_PRINCIPAL} statement`];
  const step = {
    [MigrationPhase.PREPARED]: `add ${added} before deploying this phase, and keep ${old}: pods still use it`,
    [MigrationPhase.SWITCHED]: `keep both statements: ${old} is the way back`,
    [MigrationPhase.FINISHED]: `remove ${old}: once the pods were rolled after SWITCHED, nothing uses it`,
  }[migration.phase];
  return `Migration ${migrationLabel(migration)}: ${step}.`;
}

function irsaStatement(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string, audience: string, added?: string): string {
  const prefix = Token.isUnresolved(cluster.oidcIssuerUrl ?? '') || !cluster.oidcIssuerUrl ? '<issuer>' : cluster.oidcIssuerUrl.replace(/^https:\/\//, '');
  return `sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider with StringEquals ${prefix}:sub = ` +
    `${KubernetesNames.serviceAccountSubject(namespace, serviceAccountName)} and ${prefix}:aud = ${audience}` + (added ? ` and ${added}` : '');
}

function podIdentityStatement(namespace: string, serviceAccountName: string, restrictTrust: boolean, added?: string): string {
  return `${POD_IDENTITY_ACTIONS.join(' and ')} from ${POD_IDENTITY_PRINCIPAL}` +
    (restrictTrust ? ` with StringEquals ${POD_IDENTITY_TAG_KEYS.namespace} = ${namespace}, ${POD_IDENTITY_TAG_KEYS.serviceAccount} = ${serviceAccountName} and ${POD_IDENTITY_TAG_KEYS.clusterArn} = the cluster's ARN` : '') +
    (added ? `${restrictTrust ? ' and' : ' with'} ${added}` : '');
}
