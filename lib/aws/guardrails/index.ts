export { WorkloadIdentityGuardrails, WorkloadIdentityGuardrailsProps } from './workload-identity-guardrails';
