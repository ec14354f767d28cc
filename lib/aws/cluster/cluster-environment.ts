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
 * app), else from the stack its handle is declared in. Read once per handle
 * (`_clusterEnvironment`).
 */
export function clusterEnvironment(cluster: ClusterHandle): ClusterEnvironment {
  const arn = cluster.clusterArn;
  if (arn && !Token.isUnresolved(arn)) {
    const parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
    return Object.freeze({ account: parts.account, region: parts.region });
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
export function differ(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

/**
 * Throws unless the cluster's agent add-on, created in `scope`'s stack, would
 * land in the cluster's own account and region.
 */
export function assertAgentInClusterEnvironment(scope: Construct, c: ClusterEnvironment, clusterName: string): void {
  const stack = Stack.of(scope);
  if (differ(c.account, literal(stack.account)) || differ(c.region, literal(stack.region))) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' (account ${c.account}, region ${c.region}) is declared in stack '${stack.stackName}' ` +
      `(account ${literal(stack.account)}, region ${literal(stack.region)}), where its '${'eks-pod-identity-agent'}' add-on would target another cluster, or none. ` +
      'Declare the cluster in a stack of its own account and region, or pass installPodIdentityAgent: false if the add-on is installed elsewhere.',
      scope.node.path);
  }
}

/** A literal account or region, else undefined. */
export function literal(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}
