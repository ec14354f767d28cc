/**
 * Pods in the generated layouts (issue 25 §2, a leftover of issue 18): the layout draws Deployments and bare Pods of
 * its subjects' ServiceAccounts. Where a cluster has Fargate profile selectors, they sit in the namespaces the
 * selectors match and in others, with labels that match a selector's, near misses, or none. Each pod also asks for a
 * placement: the pod network, the node's network (`hostNetwork: true`), or nodes by the operating system labels a
 * kubelet sets on every node (`kubernetes.io/os`, `beta.kubernetes.io/os`), by node selector or required node
 * affinity, or by the pod's own OS (`spec.os.name`, the pod label `kubernetes.io/os`), with near misses.
 * What each pod may use is decided here, never from lib/:
 *
 * - on Fargate: the EKS User Guide ("AWS Fargate profile": a pod runs on Fargate when its namespace matches a
 *   selector's and it carries every label of that selector; namespaces, label keys and values take the wildcards
 *   `*` and `?`) and "EKS Pod Identity restrictions" (Pods on Fargate aren't supported);
 * - on Windows nodes: the same restrictions ("Pods that run on Windows Amazon EC2 instances aren't supported"); a pod
 *   runs only on Windows nodes when no Linux node will run it and a Windows node will: the scheduler places it by
 *   the Kubernetes scheduler's rules for `nodeSelector` (every label) and required node affinity (any one term, every
 *   expression of it), read here on the OS labels only, which the kubelet sets both to its OS (kubelet_node_status.go
 *   initialNode: `v1.LabelOSStable` and `kubeletapis.LabelOS`, "beta.kubernetes.io/os", to `goruntime.GOOS`); the
 *   kubelet then admits it only where its `spec.os.name` and its own `kubernetes.io/os` label, when set, are the node's
 *   OS (Kubernetes "Well-Known Labels, Annotations and Taints", kubernetes.io/os: "the kubelet refuses to run a Pod
 *   where you have specified a Pod OS, if this isn't the same as the operating system for the node"; kubelet
 *   predicate.go rejectPodAdmissionBasedOnOSField / rejectPodAdmissionBasedOnOSSelector; e2e PodOSRejection);
 * - on the node's network: aws/eks-pod-identity-agent issue #139 (2026-03-18, open): a `hostNetwork` pod gets the
 *   Pod Identity variables injected, but its credential requests are refused ("EKS does not have permissions to
 *   assume the associated role"), the same workload with `hostNetwork: false` works.
 *
 * So a pod whose ServiceAccount its identity binds by Pod Identity (alone or with IRSA) in one of those places gets
 * no Pod Identity credentials: the app must be refused, naming the pod (WI-K8S-7); every other pod is accepted (by
 * IRSA there, or anywhere on Linux EC2 nodes on the pod network).
 */
import * as cdk8s from 'cdk8s';
import * as fc from 'fast-check';
import { FargateSelectorSpec, fargatePatternMatches } from './layout-fargate';

/** One pod (or Deployment) of subject `subject` of identity `identity`, with these labels. */
export interface PodDrawSpec {
  readonly identity: number;
  readonly subject: number;
  readonly kind: 'Deployment' | 'Pod';
  readonly labels: { readonly [key: string]: string };
  /** Where the pod asks to run (PLACEMENTS; none: the pod network, no node constraint). */
  readonly placement?: PodPlacement;
}

/** The OS label every kubelet sets on its node (Kubernetes "Well-Known Labels"): `linux` or `windows`. */
export const OS_LABEL = 'kubernetes.io/os';
/** The deprecated OS label the kubelet sets beside it, to the same value (kubelet_node_status.go initialNode). */
export const BETA_OS_LABEL = 'beta.kubernetes.io/os';

/** A node selector requirement on an OS label (Kubernetes NodeSelectorRequirement; `kubernetes.io/os` unless `label`). */
export interface OsRequirement {
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: string[];
  readonly label?: string;
}

/** A pod's placement: its network and the node constraints it sets. */
export interface PodPlacement {
  readonly name: string;
  readonly hostNetwork?: boolean;
  readonly nodeSelector?: { readonly [key: string]: string };
  /** The pod's OS, `spec.os.name`. */
  readonly os?: 'linux' | 'windows';
  /** The pod's own `kubernetes.io/os` label. */
  readonly osLabel?: string;
  /** Required node affinity's terms (any one must match), each the OS requirements of the term (all must), and maybe an instance type. */
  readonly affinity?: { readonly os: OsRequirement[]; readonly instanceType?: boolean }[];
}

/** Placements pods ask for: the pod network, the node's, Windows-only ones and near misses that a Linux node can still take. */
export const PLACEMENTS: PodPlacement[] = [
  { name: 'pod network' },
  { name: 'host network', hostNetwork: true },
  { name: 'host network false', hostNetwork: false },
  { name: 'node selector windows', nodeSelector: { [OS_LABEL]: 'windows' } },
  { name: 'node selector linux', nodeSelector: { [OS_LABEL]: 'linux', 'node.kubernetes.io/instance-type': 'm7i.large' } },
  { name: 'affinity In windows', affinity: [{ os: [{ operator: 'In', values: ['windows'] }] }] },
  { name: 'affinity In windows, with an instance type', affinity: [{ os: [{ operator: 'In', values: ['windows'] }], instanceType: true }] },
  { name: 'affinity NotIn linux', affinity: [{ os: [{ operator: 'NotIn', values: ['linux'] }] }] },
  { name: 'affinity In windows or In linux', affinity: [{ os: [{ operator: 'In', values: ['windows'] }] }, { os: [{ operator: 'In', values: ['linux'] }] }] },
  { name: 'affinity In linux, windows', affinity: [{ os: [{ operator: 'In', values: ['linux', 'windows'] }] }] },
  { name: 'affinity Exists', affinity: [{ os: [{ operator: 'Exists' }] }] },
  { name: 'affinity In windows or an instance type', affinity: [{ os: [{ operator: 'In', values: ['windows'] }] }, { os: [], instanceType: true }] },
  // The pod's own OS: Windows-only, Linux, and none (a Windows pod on a Linux node selector: no kubelet admits it).
  { name: 'os.name windows', os: 'windows' },
  { name: 'os.name windows, node selector windows', os: 'windows', nodeSelector: { [OS_LABEL]: 'windows' } },
  { name: 'os.name linux', os: 'linux' },
  { name: 'os.name windows, node selector linux', os: 'windows', nodeSelector: { [OS_LABEL]: 'linux' } },
  { name: 'pod label windows', osLabel: 'windows' },
  { name: 'pod label linux', osLabel: 'linux' },
  // The deprecated node label: Windows-only by it, and the two labels asked for different OSes (no node).
  { name: 'node selector beta windows', nodeSelector: { [BETA_OS_LABEL]: 'windows' } },
  { name: 'affinity NotIn linux on the beta label', affinity: [{ os: [{ operator: 'NotIn', values: ['linux'], label: BETA_OS_LABEL }] }] },
  // (keys in the order cdk8s renders them, which the layout check compares)
  { name: 'node selectors windows and beta linux', nodeSelector: { [BETA_OS_LABEL]: 'linux', [OS_LABEL]: 'windows' } },
];

/** Whether the scheduler may place a pod of this placement on a node of this OS (both OS labels `<os>`, any other labels as the pod wants). */
export function schedulableOnOs(placement: PodPlacement | undefined, os: string): boolean {
  for (const label of [OS_LABEL, BETA_OS_LABEL]) {
    const selected = placement?.nodeSelector?.[label];
    if (selected !== undefined && selected !== os) { return false; }
  }
  const terms = placement?.affinity;
  if (!terms || terms.length === 0) { return true; }
  const meets = (r: OsRequirement): boolean => {
    switch (r.operator) {
      case 'In': return (r.values ?? []).includes(os);
      case 'NotIn': return !(r.values ?? []).includes(os);
      case 'Exists': return true;
      case 'DoesNotExist': return false;
    }
  };
  return terms.some(t => t.os.every(meets));
}

/** Whether a node of this OS runs a pod of this placement: the scheduler may place it there and the kubelet admits it. */
export function runsOnOs(placement: PodPlacement | undefined, os: string): boolean {
  return schedulableOnOs(placement, os) && (placement?.os === undefined || placement.os === os) &&
    (placement?.osLabel === undefined || placement.osLabel === os);
}

/** Why a pod of this placement gets no Pod Identity credentials off Fargate (none: it can get them). */
export function noPodIdentityCredentials(placement: PodPlacement | undefined): string | undefined {
  if (placement?.hostNetwork === true) { return 'hostNetwork'; }
  if (!runsOnOs(placement, 'linux') && runsOnOs(placement, 'windows')) { return 'Windows nodes only'; }
  return undefined;
}

/**
 * Labels around the selectors' (layout-fargate.ts: `compute: fargate`, `team*: b?`): matches, near misses
 * (`compute: ec2`, `team: b`: `b?` needs one more character) and none.
 */
const POD_LABELS: { [key: string]: string }[] = [{}, {}, { compute: 'fargate' }, { compute: 'ec2' }, { 'team-a': 'bb' }, { team: 'b' }, { compute: 'fargate', 'teams': 'bx' }];

/** A subject pods may be drawn for, and labels its pods may carry besides POD_LABELS (e.g. a selector's, made literal). */
export interface PodSubject {
  readonly at: [number, number];
  readonly labels: { readonly [key: string]: string }[];
}

/** Up to three pods of the given subjects (identity, subject). */
export function podsArb(subjects: readonly PodSubject[]): fc.Arbitrary<PodDrawSpec[]> {
  if (subjects.length === 0) { return fc.constant([]); }
  return fc.array(fc.constantFrom(...subjects).chain(x => fc.record({
    kind: fc.constantFrom<'Deployment' | 'Pod'>('Deployment', 'Pod'),
    labels: fc.constantFrom(...POD_LABELS, ...x.labels),
    // Three in four on the pod network without node constraints, as most pods are.
    placement: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...PLACEMENTS) }),
  }).map(({ placement, ...p }) => ({ identity: x.at[0], subject: x.at[1], ...p, ...placement ? { placement } : {} }))), { maxLength: 3 });
}

/** Labels that a selector's labels select, made literal (`*` none, `?` one `x`). */
export function literalLabels(selector: FargateSelectorSpec): { [key: string]: string } {
  const literal = (p: string) => p.replace(/\*/g, '').replace(/\?/g, 'x');
  return Object.fromEntries(Object.entries(selector.labels ?? {}).map(([k, v]) => [literal(k), literal(v)]));
}

/** The EKS User Guide's rule: the namespace matches and every label of the selector is matched by one of the pod's (wildcards on both). */
export function fargateSelectsPod(selector: FargateSelectorSpec, namespace: string, labels: { readonly [key: string]: string }): boolean {
  return fargatePatternMatches(selector.namespace, namespace) &&
    Object.entries(selector.labels ?? {}).every(([k, v]) => Object.entries(labels).some(([pk, pv]) => fargatePatternMatches(k, pk) && fargatePatternMatches(v, pv)));
}

/** The name of pod p of the layout (Kubernetes names: lower case, digits, dashes). */
export const podName = (p: number) => `pod-${p}`;

/** Renders pod p into `chart`: a Deployment or a bare Pod of the ServiceAccount, in its namespace, with its labels. */
export function renderPod(chart: cdk8s.Chart, p: number, spec: PodDrawSpec, namespace: string, serviceAccountName: string): void {
  const name = podName(p);
  const labels = { ...spec.labels, ...placementLabels(spec.placement) };
  const podSpec = {
    serviceAccountName,
    automountServiceAccountToken: false,
    containers: [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:1.36', command: ['sleep', '3600'] }],
    ...placementSpec(spec.placement),
  };
  if (spec.kind === 'Pod') {
    new cdk8s.ApiObject(chart, name, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: podSpec });
    return;
  }
  new cdk8s.ApiObject(chart, name, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...labels } }, spec: podSpec } },
  });
}

/** The pod spec fields of a placement, as Kubernetes reads them. */
export function placementSpec(placement: PodPlacement | undefined): { [key: string]: any } {
  if (!placement) { return {}; }
  const terms = placement.affinity?.map(t => ({
    matchExpressions: [
      ...t.os.map(r => ({ key: r.label ?? OS_LABEL, operator: r.operator, ...r.values ? { values: [...r.values] } : {} })),
      ...t.instanceType ? [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m7i.large', 'm7i.xlarge'] }] : [],
    ],
  }));
  return {
    ...placement.hostNetwork !== undefined ? { hostNetwork: placement.hostNetwork } : {},
    ...placement.os ? { os: { name: placement.os } } : {},
    ...placement.nodeSelector ? { nodeSelector: { ...placement.nodeSelector } } : {},
    ...terms ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } : {},
  };
}

/** The labels a placement puts on the pod (its own `kubernetes.io/os`). */
export function placementLabels(placement: PodPlacement | undefined): { [key: string]: string } {
  return placement?.osLabel !== undefined ? { [OS_LABEL]: placement.osLabel } : {};
}
