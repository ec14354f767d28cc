import { createHash } from 'crypto';
import { App, Stack } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { ClusterKind, IWorkloadCluster, WorkloadCluster, WorkloadClusterAttributes } from '../lib';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const ISSUER_KEY = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/campus`;
/** The IAM OIDC provider IAM registers for ISSUER in ACCOUNT: what a cluster owned elsewhere is trusted through. */
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_KEY}`;

/**
 * The OIDC issuer of cluster `clusterName` in the fixtures: ISSUER for 'campus',
 * another for each other name (an issuer is one cluster's; the library refuses
 * a second cluster declared with it).
 */
export function issuerOf(clusterName: string): string {
  if (clusterName === 'campus') { return ISSUER; }
  const id = createHash('md5').update(clusterName).digest('hex').toUpperCase();
  return `https://oidc.eks.${REGION}.amazonaws.com/id/${id}`;
}

/** A stack with a concrete environment, as IRSA needs. */
export function newStack(id = 'Test'): Stack {
  return new Stack(new App(), id, { env: { account: ACCOUNT, region: REGION } });
}

/**
 * An existing EKS cluster with a literal ARN and issuer (its own: issuerOf), whose agent add-on
 * this stack owns; its OIDC provider exists (referenced by PROVIDER_ARN) unless
 * `more` says createOpenIdConnectProvider.
 */
export function eksCluster(stack: Stack, id = 'Cluster', clusterName = 'campus', more: Partial<WorkloadClusterAttributes> = {}): IWorkloadCluster {
  return WorkloadCluster.fromClusterAttributes(stack, id, {
    clusterName,
    installPodIdentityAgent: true,
    clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${clusterName}`,
    oidcIssuerUrl: issuerOf(clusterName),
    ...more,
  });
}

/** A self-managed cluster known only by its issuer. */
export function selfManagedCluster(stack: Stack, id = 'SelfManaged'): IWorkloadCluster {
  return WorkloadCluster.fromClusterAttributes(stack, id, {
    clusterName: 'edge',
    kind: ClusterKind.NOT_EKS,
    oidcIssuerUrl: 'https://oidc.edge.example.com',
  });
}

/** A chart to render Kubernetes objects into. */
export function newChart(): cdk8s.Chart {
  return new cdk8s.Chart(cdk8s.Testing.app(), 'test');
}
