export * from './workload-cluster';
export * from './workload-identity';
export * from './guardrails';
export * from './workload-stacks';
export * from './catalog';
