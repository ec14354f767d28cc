export { IWorkloadCluster } from './cluster/i-workload-cluster';
export { WorkloadCluster } from './cluster/workload-cluster';
export { WorkloadClusterAttributes } from './cluster/attributes-cluster';
export { EksClusterOptions } from './cluster/eks-cluster-adapter';
export * from './workload-identity-options';
export * from './workload-identity';
export * from './guardrails';
export * from './workload-stacks';
export * from './catalog';
