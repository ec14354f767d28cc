// Explicit: only the public API (internal helpers of these files, such as the cluster annotation, stay internal).
export { WorkloadServiceAccount, WorkloadServiceAccountOptions, WorkloadServiceAccountProps } from './workload-service-account';
export { WorkloadServiceAccountsChart, WorkloadServiceAccountsChartProps } from './workload-service-accounts-chart';
export { WorkloadChart, WorkloadChartProps } from './workload-chart';
export { WorkloadNamespaces } from './workload-namespaces';
export { BindingsFileOutput, HelmValuesOutput, IssuerFilesOutput, WorkloadOutputs, WorkloadOutputsProps } from './workload-outputs';
export { KubernetesGuardrails, KubernetesGuardrailsOptions } from './guardrails';
export { PodIdentityWebhookChart, PodIdentityWebhookChartProps } from './pod-identity-webhook-chart';
export { DeployTimeConfigMap, DeployTimeConfigMapProps } from './deploy-time-config-map';
