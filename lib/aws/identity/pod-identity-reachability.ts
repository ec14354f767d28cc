import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { WorkloadIdentityError } from '../../core/validation-error';
import { ClusterEnvironment, differ, literal } from '../cluster/cluster-environment';

/**
 * EKS Pod Identity needs the association in the cluster's account and region,
 * naming a role of the cluster's account (EKS passes the role; see the EKS user
 * guide, "Access AWS Resources using EKS Pod Identity Target IAM Roles"). The
 * identity creates its associations and role in its own stack: throws unless
 * that stack can hold them, or unless the cluster has Pod Identity at all
 * (`what`: the mechanism or migration that would use it, for the message).
 */
export function assertPodIdentityReachable(identity: Construct, cluster: { readonly kind: ClusterKind; readonly _clusterEnvironment: ClusterEnvironment }, where: string, what: string): void {
  if (cluster.kind === ClusterKind.NOT_EKS) {
    throw new WorkloadIdentityError(
      `${where} cannot use ${what}: the cluster is ${cluster.kind} (self-managed, EKS Anywhere or another distribution), ` +
      'where EKS Pod Identity does not exist. Use IdentityMechanism.IRSA with the cluster\'s oidcIssuerUrl.', identity.node.path);
  }
  const c = cluster._clusterEnvironment;
  const stack = Stack.of(identity);
  const here = { account: literal(stack.account), region: literal(stack.region) };
  if (differ(c.account, here.account)) {
    throw new WorkloadIdentityError(
      `${where} cannot use Pod Identity from stack '${stack.stackName}' (account ${here.account}): the cluster is in account ${c.account}, ` +
      'and EKS Pod Identity takes a role of the cluster\'s own account (EKS passes it to the association). ' +
      `Declare this WorkloadIdentity in a stack of account ${c.account}, or use IdentityMechanism.IRSA.`, identity.node.path);
  }
  if (differ(c.region, here.region)) {
    throw new WorkloadIdentityError(
      `${where} cannot use Pod Identity from stack '${stack.stackName}' (region ${here.region}): the cluster is in region ${c.region}, ` +
      'and its pod identity association must be created there; from this stack it would target a cluster of that name in another region, or none. ' +
      `Declare this WorkloadIdentity in a stack of account ${c.account ?? here.account}, region ${c.region}, or use IdentityMechanism.IRSA.`, identity.node.path);
  }
}
