export { GuardrailLevel, GuardrailRule, GuardrailFinding } from './guardrail-level';
export { Guardrails } from './guardrails';
export { WorkloadRuntime } from './workload-runtime';
