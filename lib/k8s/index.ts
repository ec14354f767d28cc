export * from './workload-service-account';
export * from './workload-service-accounts-chart';
export * from './workload-chart';
export * from './workload-namespaces';
export * from './workload-outputs';
export * from './guardrails';
export { PodIdentityWebhookChart, PodIdentityWebhookChartProps } from './pod-identity-webhook-chart';
export * from './deploy-time-config-map';
