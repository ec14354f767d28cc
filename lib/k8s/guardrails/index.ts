export { KubernetesGuardrails, KubernetesGuardrailsOptions } from './kubernetes-guardrails';
