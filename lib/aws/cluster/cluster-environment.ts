import { Arn, ArnFormat, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';

/** What this module reads of a cluster handle (IWorkloadCluster has it; no import, no cycle). */
export interface ClusterHandle extends IConstruct {
  readonly clusterName: string;
  readonly clusterArn?: string;
}

/** Where a cluster is: its account and region (either may be unknown at synth time). */
export interface ClusterEnvironment {
  readonly account?: string;
  readonly region?: string;
}

/**
 * The account and region of the cluster itself: from its literal ARN, else
 * from the stack of the resource its name refers to (a cluster created in the
 * app), else from the stack its handle is declared in.
 */
export function clusterEnvironment(cluster: ClusterHandle): ClusterEnvironment {
  const arn = cluster.clusterArn;
  if (arn && !Token.isUnresolved(arn)) {
    const parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
    return { account: parts.account, region: parts.region };
  }
  const stack = Stack.of(referencedResource(cluster.clusterName) ?? cluster);
  return { account: literal(stack.account), region: literal(stack.region) };
}

/** The construct a token refers to (a created cluster's `Ref`), if it refers to one. */
export function referencedResource(value: string): IConstruct | undefined {
  if (!Token.isUnresolved(value)) { return undefined; }
  const token = Tokenization.reverseString(value).firstToken as { target?: unknown } | undefined;
  const target = token?.target;
  return target && typeof target === 'object' && 'node' in target ? target as IConstruct : undefined;
}

/** Whether two environments are known to differ (an unknown account or region differs from nothing). */
function differ(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

/**
 * EKS Pod Identity needs the association in the cluster's account and region,
 * naming a role of the cluster's account (EKS passes the role; see the EKS user
 * guide, "Access AWS Resources using EKS Pod Identity Target IAM Roles"). The
 * identity creates its associations and role in its own stack: throws unless
 * that stack can hold them.
 */
export function assertPodIdentityReachable(identity: Construct, cluster: ClusterHandle, where: string): void {
  const c = clusterEnvironment(cluster);
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

/**
 * Throws unless the cluster's agent add-on, created in `scope`'s stack, would
 * land in the cluster's own account and region.
 */
export function assertAgentInClusterEnvironment(scope: Construct, cluster: ClusterHandle, clusterName: string): void {
  const c = clusterEnvironment(cluster);
  const stack = Stack.of(scope);
  if (differ(c.account, literal(stack.account)) || differ(c.region, literal(stack.region))) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' (account ${c.account}, region ${c.region}) is declared in stack '${stack.stackName}' ` +
      `(account ${literal(stack.account)}, region ${literal(stack.region)}), where its '${'eks-pod-identity-agent'}' add-on would target another cluster, or none. ` +
      'Declare the cluster in a stack of its own account and region, or pass installPodIdentityAgent: false if the add-on is installed elsewhere.',
      scope.node.path);
  }
}

function literal(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}
