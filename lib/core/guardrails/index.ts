export { GuardrailLevel, GuardrailRule, GuardrailFinding } from './guardrail-level';
export { WorkloadRuntime } from './workload-runtime';
