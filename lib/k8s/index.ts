export * from './workload-service-account';
export * from './workload-service-accounts-chart';
export * from './guardrails';
