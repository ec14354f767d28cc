/**
 * Pods in the generated layouts (issue 25 §2, a leftover of issue 18): where a cluster has Fargate profile
 * selectors, the layout draws Deployments and bare Pods of its subjects' ServiceAccounts, in the namespaces the
 * selectors match and in others, with labels that match a selector's, near misses, or none. Where each pod runs is
 * decided here from the EKS User Guide ("AWS Fargate profile": a pod runs on Fargate when its namespace matches a
 * selector's and it carries every label of that selector; namespaces, label keys and values take the wildcards
 * `*` and `?`), and what it may use from "EKS Pod Identity" (not available on Fargate), never from lib/:
 *
 * - a pod on Fargate whose ServiceAccount its identity binds by Pod Identity (alone or with IRSA) gets no Pod
 *   Identity credentials: the app must be refused, naming the pod and the selector (WI-K8S-7);
 * - every other pod is accepted: on Fargate by IRSA, or on EC2 nodes by either mechanism.
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
  }).map(p => ({ identity: x.at[0], subject: x.at[1], ...p }))), { maxLength: 3 });
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
  const podSpec = {
    serviceAccountName,
    automountServiceAccountToken: false,
    containers: [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:1.36', command: ['sleep', '3600'] }],
  };
  if (spec.kind === 'Pod') {
    new cdk8s.ApiObject(chart, name, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { ...spec.labels } }, spec: podSpec });
    return;
  }
  new cdk8s.ApiObject(chart, name, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...spec.labels } }, spec: podSpec } },
  });
}
