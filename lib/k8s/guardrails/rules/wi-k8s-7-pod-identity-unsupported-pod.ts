import { describeFargateSelector, selectorMatchesPod } from '../../../core/fargate-selector';
import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { POD_IDENTITY_UNSUPPORTED_BECAUSE as BECAUSE, WorkloadRuntime } from '../../../core/guardrails/workload-runtime';
import { K8sRule } from './k8s-rule';


/**
 * WI-K8S-7 pod-identity-unsupported-pod: a pod whose ServiceAccount uses Pod
 * Identity, but that sets `hostNetwork: true`, only Windows nodes can take
 * (by node selector or required node affinity on `kubernetes.io/os`), is
 * selected by a Fargate profile selector its binding carries (namespace and
 * labels, with EKS's wildcards), or is marked FARGATE, WINDOWS_NODE or
 * HOST_NETWORK with `markRuntime`.
 */
export const podIdentityUnsupportedPod: K8sRule = {
  id: 'WI-K8S-7',
  name: 'pod-identity-unsupported-pod',
  level: GuardrailLevel.ERROR,
  explanation: 'EKS Pod Identity needs a Linux pod on an EC2 node, on the pod network; Fargate, Windows and hostNetwork pods get no credentials.',
  fix: 'Use IdentityMechanism.IRSA for this ServiceAccount, or run the pod on Linux EC2 nodes without hostNetwork.',
  check: context => context.pods.flatMap(p => ({ p, bindings: context.podIdentityBindings(p) })).filter(x => x.bindings.length > 0).flatMap(({ p, bindings }) => {
    const why: string[] = [];
    const selector = bindings.flatMap(b => b.fargateSelectors ?? []).find(s => selectorMatchesPod(s, p.manifest.namespace, p.labels));
    if (selector) {
      const labelled = Object.keys(selector.labels ?? {}).length > 0;
      why.push(`${describeFargateSelector(selector)} runs it on Fargate (${BECAUSE[WorkloadRuntime.FARGATE]}). ` +
        `${labelled ? 'Remove the labels that selector matches from the pod, or give' : 'Give'} the ServiceAccount IRSA (drop its declared mechanism: the cluster picks IRSA where Fargate selects pods)`);
    }
    if (p.spec.hostNetwork === true) { why.push(`it sets hostNetwork: true (${BECAUSE[WorkloadRuntime.HOST_NETWORK]})`); }
    if (selectsWindows(p.spec)) { why.push(`it selects Windows nodes (${BECAUSE[WorkloadRuntime.WINDOWS_NODE]})`); }
    const runtime = context.runtimeOf(p.manifest);
    if (runtime && BECAUSE[runtime] && !(runtime === WorkloadRuntime.HOST_NETWORK && p.spec.hostNetwork === true)) { why.push(`it is marked ${runtime} (${BECAUSE[runtime]})`); }
    return why.map(w => context.finding(podIdentityUnsupportedPod,
      `${p.manifest.display} uses Pod Identity through ServiceAccount '${p.manifest.namespace}/${p.serviceAccountName}' but ${w}.`, p.manifest));
  }),
};

/** The label every kubelet sets to its node's operating system (Kubernetes "Well-Known Labels"): linux or windows. */
const OS_LABEL = 'kubernetes.io/os';

/**
 * Whether only Windows nodes can take the pod: a Linux node cannot, by its
 * node selector or required node affinity on the OS label, and a Windows node
 * can (a pod no node can take is not a credentials problem). The scheduler's
 * rules: every label of `nodeSelector`; any one of the affinity's terms, every
 * requirement of that term. Requirements on other labels are taken as met.
 */
function selectsWindows(spec: any): boolean {
  return !nodeOsCanTake(spec, 'linux') && nodeOsCanTake(spec, 'windows');
}

function nodeOsCanTake(spec: any, os: string): boolean {
  const selected = spec.nodeSelector?.[OS_LABEL];
  if (selected !== undefined && selected !== os) { return false; }
  const terms: any[] = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) { return true; }
  // A term without requirements matches no node.
  return terms.some(t => (t.matchExpressions ?? []).length + (t.matchFields ?? []).length > 0 &&
    (t.matchExpressions ?? []).every((e: any) => e.key !== OS_LABEL || osMeets(e, os)));
}

function osMeets(requirement: any, os: string): boolean {
  const values: string[] = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In': return values.includes(os);
    case 'NotIn': return !values.includes(os);
    case 'Exists': return true;
    // DoesNotExist: every node has the label; Gt and Lt compare integers, which an OS name is not.
    default: return false;
  }
}
