import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, KubernetesGuardrails, WorkloadBinding, WorkloadRuntime, WorkloadServiceAccount } from '../../../lib';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

const binding = (mechanism: IdentityMechanism): WorkloadBinding => ({
  clusterName: 'campus', namespace: 'batch', serviceAccountName: 'job', mechanism,
  ...mechanism !== IdentityMechanism.POD_IDENTITY
    ? { roleArn: 'arn:aws:iam::123456789012:role/job' }
    : {},
});

function job(mechanism: IdentityMechanism, spec: Partial<kplus.DeploymentProps> = {}) {
  const chart = newChart();
  const serviceAccount = new WorkloadServiceAccount(chart, 'sa', { binding: binding(mechanism) });
  const deployment = new kplus.Deployment(chart, 'job', { metadata: { name: 'job', namespace: 'batch' }, serviceAccount, containers: [{ image: 'job:1' }], ...spec });
  return { chart, deployment };
}

describe('WI-K8S-7 pod-identity-unsupported-pod', () => {
  test('a hostNetwork pod on Pod Identity is an error', () => {
    const { chart } = job(IdentityMechanism.POD_IDENTITY, { hostNetwork: true });
    expect(open(k8sFindings(chart), 'WI-K8S-7')).toEqual([
      "WI-K8S-7 Deployment 'batch/job' uses Pod Identity through ServiceAccount 'batch/job' but it sets hostNetwork: true (EKS gives hostNetwork pods no Pod Identity credentials).",
    ]);
  });

  test.each([
    ['a node selector', (d: kplus.Deployment) => ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { 'kubernetes.io/os': 'windows' }))],
    ['a required node affinity', (d: kplus.Deployment) => d.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/os', 'windows')))],
    // Only a node whose OS is not linux can take it: on EKS, a Windows node.
    ['a required node affinity NotIn linux', (d: kplus.Deployment) => d.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.notIn('kubernetes.io/os', ['linux'])))],
    ['a required node affinity with two terms, both Windows', (d: kplus.Deployment) => ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
        { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['windows'] }, { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m7i.large'] }] },
        { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['linux'] }] },
      ] } },
    }))],
  ])('a pod selecting Windows nodes by %s on Pod Identity (BOTH here) is an error', (_, selectWindows) => {
    const { chart, deployment } = job(IdentityMechanism.BOTH);
    selectWindows(deployment);
    expect(open(k8sFindings(chart), 'WI-K8S-7')).toEqual([
      "WI-K8S-7 Deployment 'batch/job' uses Pod Identity through ServiceAccount 'batch/job' but it selects Windows nodes (the Pod Identity agent runs on Linux only).",
    ]);
  });

  test.each([
    ['Linux by node selector, with another label', { nodeSelector: { 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm7i.large' } }],
    ['Windows or Linux by two affinity terms', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['windows'] }] },
      { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] },
    ] } } } }],
    ['Windows, or any OS of an instance type', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['windows'] }] },
      { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m7i.large'] }] },
    ] } } } }],
    ['Linux or Windows by one requirement', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux', 'windows'] }] },
    ] } } } }],
    // No node can take it: unschedulable, not a credentials problem.
    ['no node: an OS label that does not exist', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'DoesNotExist' }] },
    ] } } } }],
  ])('a pod a Linux node can take (%s) on Pod Identity is fine', (_, placement) => {
    const { chart, deployment } = job(IdentityMechanism.POD_IDENTITY);
    for (const [key, value] of Object.entries(placement)) {
      ApiObject.of(deployment).addJsonPatch(JsonPatch.add(`/spec/template/spec/${key}`, value));
    }
    expect(open(k8sFindings(chart), 'WI-K8S-7')).toEqual([]);
  });

  test('a pod marked FARGATE on Pod Identity is an error', () => {
    const { chart, deployment } = job(IdentityMechanism.POD_IDENTITY);
    KubernetesGuardrails.markRuntime(deployment, WorkloadRuntime.FARGATE);
    expect(open(k8sFindings(chart), 'WI-K8S-7')).toEqual([
      "WI-K8S-7 Deployment 'batch/job' uses Pod Identity through ServiceAccount 'batch/job' but it is marked FARGATE (no DaemonSets on Fargate, so no Pod Identity agent).",
    ]);
  });

  test('the same pods on IRSA are fine', () => {
    const { chart, deployment } = job(IdentityMechanism.IRSA, { hostNetwork: true });
    KubernetesGuardrails.markRuntime(deployment, WorkloadRuntime.FARGATE);
    expect(open(k8sFindings(chart))).toEqual([]);
  });
});

describe('WI-K8S-7 and the Fargate selectors a binding carries', () => {
  const labelled = { profileName: 'web', namespace: 'we?', labels: { 'compute*': 'fargate' } };

  function web(mechanism: IdentityMechanism, podLabels: { [key: string]: string }, fargateSelectors = [labelled]) {
    const chart = newChart();
    const serviceAccount = new WorkloadServiceAccount(chart, 'sa', {
      binding: { ...binding(mechanism), namespace: 'web', serviceAccountName: 'api', fargateSelectors },
    });
    new kplus.Deployment(chart, 'api', { metadata: { name: 'api', namespace: 'web' }, podMetadata: { labels: podLabels }, serviceAccount, containers: [{ image: 'api:1' }] });
    return chart;
  }

  test('a pod a labelled selector sends to Fargate, on Pod Identity, is an error naming the pod, namespace, selector and fix', () => {
    expect(open(k8sFindings(web(IdentityMechanism.POD_IDENTITY, { 'compute-type': 'fargate' })), 'WI-K8S-7')).toEqual([
      "WI-K8S-7 Deployment 'web/api' uses Pod Identity through ServiceAccount 'web/api' but Fargate profile 'web' (namespace 'we?', labels compute*=fargate) " +
      'runs it on Fargate (no DaemonSets on Fargate, so no Pod Identity agent). Remove the labels that selector matches from the pod, or give the ServiceAccount IRSA ' +
      '(drop its declared mechanism: the cluster picks IRSA where Fargate selects pods).',
    ]);
  });

  test('a pod without the labels stays on nodes: fine; the same labelled pod on IRSA: fine', () => {
    expect(open(k8sFindings(web(IdentityMechanism.POD_IDENTITY, { 'compute-type': 'ec2' })))).toEqual([]);
    expect(open(k8sFindings(web(IdentityMechanism.IRSA, { 'compute-type': 'fargate' })))).toEqual([]);
  });

  test('the ServiceAccount carries the reason as an annotation', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'sa', { binding: { ...binding(IdentityMechanism.IRSA), mechanismReason: 'IRSA: Fargate profile \'batch\' runs every pod' } });
    expect(chart.toJson()[0].metadata.annotations['cdk-eks-workload-identity/mechanism-reason']).toBe('IRSA: Fargate profile \'batch\' runs every pod');
  });
});
