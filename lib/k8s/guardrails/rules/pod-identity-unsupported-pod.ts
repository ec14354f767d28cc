import { GuardrailFinding } from '../../../core/guardrails/guardrail-level';
import { runtimeOf } from '../../../core/guardrails/guardrails';
import { K8S_RULES, MESSAGES } from '../../../core/guardrails/messages';
import { WorkloadRuntime } from '../../../core/guardrails/workload-runtime';
import { K8sRuleContext } from '../manifest-model';

const MARKED: { [runtime: string]: string } = {
  [WorkloadRuntime.FARGATE]: 'it is marked FARGATE (no DaemonSets on Fargate, so no Pod Identity agent)',
  [WorkloadRuntime.WINDOWS_NODE]: 'it is marked WINDOWS_NODE (the Pod Identity agent runs on Linux only)',
  [WorkloadRuntime.HOST_NETWORK]: 'it is marked HOST_NETWORK (EKS gives hostNetwork pods no Pod Identity credentials)',
};

/**
 * WI-K8S-7: a pod whose ServiceAccount uses Pod Identity, but that sets
 * `hostNetwork: true`, selects Windows nodes (`kubernetes.io/os: windows`, by node selector or required affinity),
 * or is marked FARGATE, WINDOWS_NODE or HOST_NETWORK with `Guardrails.markRuntime`.
 */
export function podIdentityUnsupportedPod(context: K8sRuleContext): GuardrailFinding[] {
  return context.pods.filter(p => context.usesPodIdentity(p.manifest.namespace, p.serviceAccountName)).flatMap(p => {
    const why: string[] = [];
    if (p.spec.hostNetwork === true) { why.push('it sets hostNetwork: true (EKS gives hostNetwork pods no Pod Identity credentials)'); }
    if (selectsWindows(p.spec)) { why.push('it selects Windows nodes (the Pod Identity agent runs on Linux only)'); }
    const runtime = runtimeOf(p.manifest.construct);
    if (runtime && MARKED[runtime] && !(runtime === WorkloadRuntime.HOST_NETWORK && p.spec.hostNetwork === true)) { why.push(MARKED[runtime]); }
    return why.map(w => context.finding(K8S_RULES.podIdentityUnsupportedPod,
      MESSAGES.podIdentityUnsupportedPod(p.manifest.display, `${p.manifest.namespace}/${p.serviceAccountName}`, w), p.manifest));
  });
}

/** A node selector or required node affinity on `kubernetes.io/os: windows`. */
function selectsWindows(spec: any): boolean {
  if (spec.nodeSelector?.['kubernetes.io/os'] === 'windows') { return true; }
  const terms: any[] = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.length > 0 && terms.every(t => (t.matchExpressions ?? []).some((e: any) =>
    e.key === 'kubernetes.io/os' && e.operator === 'In' && (e.values ?? []).every((v: string) => v === 'windows')));
}
