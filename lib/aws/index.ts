export * from './workload-cluster';
export * from './workload-identity';
export * from './guardrails';
