import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { WorkloadRuntime } from '../../../core/guardrails/workload-runtime';
import { K8sRule } from './k8s-rule';

const MARKED: { [runtime: string]: string } = {
  [WorkloadRuntime.FARGATE]: 'it is marked FARGATE (no DaemonSets on Fargate, so no Pod Identity agent)',
  [WorkloadRuntime.WINDOWS_NODE]: 'it is marked WINDOWS_NODE (the Pod Identity agent runs on Linux only)',
  [WorkloadRuntime.HOST_NETWORK]: 'it is marked HOST_NETWORK (EKS gives hostNetwork pods no Pod Identity credentials)',
};

/**
 * WI-K8S-7 pod-identity-unsupported-pod: a pod whose ServiceAccount uses Pod
 * Identity, but that sets `hostNetwork: true`, selects Windows nodes
 * (`kubernetes.io/os: windows`, by node selector or required affinity), or
 * is marked FARGATE, WINDOWS_NODE or HOST_NETWORK with `markRuntime`.
 */
export const podIdentityUnsupportedPod: K8sRule = {
  id: 'WI-K8S-7',
  name: 'pod-identity-unsupported-pod',
  level: GuardrailLevel.ERROR,
  explanation: 'EKS Pod Identity needs a Linux pod on an EC2 node, on the pod network; Fargate, Windows and hostNetwork pods get no credentials.',
  fix: 'Use IdentityMechanism.IRSA for this ServiceAccount, or run the pod on Linux EC2 nodes without hostNetwork.',
  check: context => context.pods.filter(p => context.usesPodIdentity(p)).flatMap(p => {
    const why: string[] = [];
    if (p.spec.hostNetwork === true) { why.push('it sets hostNetwork: true (EKS gives hostNetwork pods no Pod Identity credentials)'); }
    if (selectsWindows(p.spec)) { why.push('it selects Windows nodes (the Pod Identity agent runs on Linux only)'); }
    const runtime = context.runtimeOf(p.manifest);
    if (runtime && MARKED[runtime] && !(runtime === WorkloadRuntime.HOST_NETWORK && p.spec.hostNetwork === true)) { why.push(MARKED[runtime]); }
    return why.map(w => context.finding(podIdentityUnsupportedPod,
      `${p.manifest.display} uses Pod Identity through ServiceAccount '${p.manifest.namespace}/${p.serviceAccountName}' but ${w}.`, p.manifest));
  }),
};

/** A node selector or required node affinity on `kubernetes.io/os: windows`. */
function selectsWindows(spec: any): boolean {
  if (spec.nodeSelector?.['kubernetes.io/os'] === 'windows') { return true; }
  const terms: any[] = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.length > 0 && terms.every(t => (t.matchExpressions ?? []).some((e: any) =>
    e.key === 'kubernetes.io/os' && e.operator === 'In' && (e.values ?? []).every((v: string) => v === 'windows')));
}
