import { Arn, ArnFormat, Aws, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { regionPartition as partitionOfRegion } from '../region-partition';

/**
 * The partition of `scope`'s stack: its literal region's (as aws-cdk-lib's
 * region-info gives it), else `AWS::Partition`, which resolves in the stack that
 * deploys it. A role, and the IAM OIDC provider it trusts, live in their own
 * account's partition, whatever the cluster's.
 */
export function stackPartition(scope: IConstruct): string {
  return literalStackPartition(scope) ?? Aws.PARTITION;
}

/** The partition of `scope`'s stack's literal region, for people; undefined if the region is unknown. */
export function literalStackPartition(scope: IConstruct): string | undefined {
  const region = Stack.of(scope).region;
  return !Token.isUnresolved(region) ? partitionOfRegion(region).partition : undefined;
}

/**
 * Throws unless a literal cluster ARN's partition is its region's and its
 * handle's stack's: an account id belongs to one partition, so an ARN that
 * names another is a copy-paste slip (`arn:aws:` for a GovCloud or China
 * cluster) that every ARN derived from it would repeat.
 */
export function assertClusterArnPartition(scope: IConstruct, clusterArn: string, clusterName: string): void {
  if (Token.isUnresolved(clusterArn)) { return; }
  const { partition, region } = Arn.split(clusterArn, ArnFormat.SLASH_RESOURCE_NAME);
  const regionPartition = region && !Token.isUnresolved(region) ? partitionOfRegion(region).partition : undefined;
  if (regionPartition !== undefined && partition !== regionPartition) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' has clusterArn '${clusterArn}' in partition ${partition}, but its region ${region} is in partition ${regionPartition}. ` +
      `Pass the ARN EKS gives the cluster (arn:${regionPartition}:eks:${region}:<account>:cluster/${clusterName}), or leave clusterArn out.`, scope.node.path);
  }
  const stack = Stack.of(scope);
  const stackRegionPartition = literalStackPartition(scope);
  if (stackRegionPartition !== undefined && partition !== stackRegionPartition) {
    throw new WorkloadIdentityError(
      `Cluster '${clusterName}' has clusterArn '${clusterArn}' in partition ${partition}, but it is declared in stack '${stack.stackName}' ` +
      `(region ${stack.region}, partition ${stackRegionPartition}): accounts, roles and OIDC providers do not cross partitions. ` +
      `Declare the cluster in a stack of partition ${partition}, or pass its ARN in partition ${stackRegionPartition}.`, scope.node.path);
  }
}
