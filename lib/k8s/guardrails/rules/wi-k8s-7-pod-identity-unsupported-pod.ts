import { describeFargateSelector, selectorMatchesPod } from '../../../core/fargate-selector';
import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { POD_IDENTITY_UNSUPPORTED_BECAUSE as BECAUSE, WorkloadRuntime } from '../../../core/guardrails/workload-runtime';
import { PodSpecFacts } from '../manifest-model';
import { K8sRule } from './k8s-rule';


/**
 * WI-K8S-7 pod-identity-unsupported-pod: a pod whose ServiceAccount uses Pod
 * Identity, but that sets `hostNetwork: true`, only Windows nodes can run
 * (by `os.name: windows`, its own `kubernetes.io/os: windows` label, or node
 * selector or required node affinity on the nodes' OS labels), is selected by
 * a Fargate profile selector its binding carries (namespace and labels, with
 * EKS's wildcards), or is marked FARGATE, WINDOWS_NODE or HOST_NETWORK with
 * `markRuntime`.
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
    const windows = windowsOnly(p.spec, p.labels);
    if (windows.length > 0) { why.push(`it ${windows.join(' and ')} (${BECAUSE[WorkloadRuntime.WINDOWS_NODE]})`); }
    const runtime = context.runtimeOf(p.manifest);
    if (runtime && BECAUSE[runtime] && !(runtime === WorkloadRuntime.HOST_NETWORK && p.spec.hostNetwork === true)) { why.push(`it is marked ${runtime} (${BECAUSE[runtime]})`); }
    return why.map(w => context.finding(podIdentityUnsupportedPod,
      `${p.manifest.display} uses Pod Identity through ServiceAccount '${p.manifest.namespace}/${p.serviceAccountName}' but ${w}.`, p.manifest));
  }),
};

/** The label every kubelet sets to its node's operating system (Kubernetes "Well-Known Labels"): linux or windows. */
const OS_LABEL = 'kubernetes.io/os';
/**
 * The deprecated label the kubelet still sets beside it, to the same value (kubelet_node_status.go initialNode:
 * `kubeletapis.LabelOS: goruntime.GOOS`, k8s.io/kubelet pkg/apis LabelOS = "beta.kubernetes.io/os"): a node
 * selector on it picks nodes by OS just the same.
 */
const BETA_OS_LABEL = 'beta.kubernetes.io/os';
const NODE_OS_LABELS = [OS_LABEL, BETA_OS_LABEL];

/**
 * What keeps every Linux node from running the pod while a Windows node can
 * (none: a Linux node can run it, or no node can, which is not a credentials
 * problem). The scheduler places a pod by its node selector and required node
 * affinity, and the kubelet admits it only where its `os.name` and its own
 * `kubernetes.io/os` label, when set, are the node's OS (Kubernetes "Well-Known
 * Labels, Annotations and Taints", kubernetes.io/os; the kubelet's
 * rejectPodAdmissionBasedOnOSField and rejectPodAdmissionBasedOnOSSelector).
 */
function windowsOnly(spec: PodSpecFacts, labels: { readonly [key: string]: string }): string[] {
  if (runsOn(spec, labels, 'linux') || !runsOn(spec, labels, 'windows')) { return []; }
  return [
    ...spec.os?.name === 'windows' ? ['sets os.name: windows'] : [],
    ...labels[OS_LABEL] === 'windows' ? [`carries the label ${OS_LABEL}: windows`] : [],
    ...nodeOsCanTake(spec, 'linux') ? [] : ['selects Windows nodes'],
  ];
}

function runsOn(spec: PodSpecFacts, labels: { readonly [key: string]: string }, os: string): boolean {
  return nodeOsCanTake(spec, os) && (spec.os == null || spec.os.name === os) && (labels[OS_LABEL] === undefined || labels[OS_LABEL] === os);
}

/**
 * Whether the scheduler may place the pod on a node of this OS (both OS labels
 * set to it): every label of `nodeSelector`; any one of the required node
 * affinity's terms, every requirement of that term. Requirements on other
 * labels are taken as met.
 */
function nodeOsCanTake(spec: PodSpecFacts, os: string): boolean {
  if (NODE_OS_LABELS.some(label => spec.nodeSelector?.[label] !== undefined && spec.nodeSelector[label] !== os)) { return false; }
  const terms: any[] = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) { return true; }
  // A term without requirements matches no node.
  return terms.some(t => (t.matchExpressions ?? []).length + (t.matchFields ?? []).length > 0 &&
    (t.matchExpressions ?? []).every((e: any) => !NODE_OS_LABELS.includes(e.key) || osMeets(e, os)));
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
