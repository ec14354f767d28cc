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

  // The kubelet admits a pod only where its os.name, and its own kubernetes.io/os label, are the node's OS
  // (Kubernetes "Well-Known Labels, Annotations and Taints", kubernetes.io/os; kubelet
  // rejectPodAdmissionBasedOnOSField and rejectPodAdmissionBasedOnOSSelector): such a pod runs on Windows nodes only.
  /** Sets these fields of the Deployment's pod spec and these labels of its pods. */
  const patchPod = (deployment: kplus.Deployment, spec: object, labels: { [key: string]: string }) => {
    for (const [key, value] of Object.entries(spec)) {
      ApiObject.of(deployment).addJsonPatch(JsonPatch.add(`/spec/template/spec/${key}`, value));
    }
    for (const [key, value] of Object.entries(labels)) {
      ApiObject.of(deployment).addJsonPatch(JsonPatch.add(`/spec/template/metadata/labels/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value));
    }
  };
  const PI_WINDOWS = "WI-K8S-7 Deployment 'batch/job' uses Pod Identity through ServiceAccount 'batch/job' but it";
  const AGENT = '(the Pod Identity agent runs on Linux only).';

  test.each([
    ['os.name: windows', { os: { name: 'windows' } }, {}, `${PI_WINDOWS} sets os.name: windows ${AGENT}`],
    ['the pod label kubernetes.io/os: windows', {}, { 'kubernetes.io/os': 'windows' }, `${PI_WINDOWS} carries the label kubernetes.io/os: windows ${AGENT}`],
    ['os.name: windows and a Windows node selector, as Kubernetes advises',
      { os: { name: 'windows' }, nodeSelector: { 'kubernetes.io/os': 'windows' } }, {}, `${PI_WINDOWS} sets os.name: windows and selects Windows nodes ${AGENT}`],
    // The kubelet still sets the deprecated beta.kubernetes.io/os label on its node, to the same value.
    ['a node selector on beta.kubernetes.io/os', { nodeSelector: { 'beta.kubernetes.io/os': 'windows' } }, {}, `${PI_WINDOWS} selects Windows nodes ${AGENT}`],
    ['a required node affinity NotIn linux on beta.kubernetes.io/os', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'beta.kubernetes.io/os', operator: 'NotIn', values: ['linux'] }] },
    ] } } } }, {}, `${PI_WINDOWS} selects Windows nodes ${AGENT}`],
  ])('a pod only Windows nodes admit, by %s, on Pod Identity is an error', (_, spec, labels, message) => {
    // GIVEN a Pod Identity Deployment whose pod template sets these fields and labels
    const { chart, deployment } = job(IdentityMechanism.POD_IDENTITY);
    patchPod(deployment, spec, labels);
    // WHEN the guardrails run THEN it is refused once, naming what keeps Linux nodes from running it
    expect(open(k8sFindings(chart), 'WI-K8S-7')).toEqual([message]);
  });

  test.each([
    ['os.name: linux', { os: { name: 'linux' } }, {}],
    ['the pod label kubernetes.io/os: linux', {}, { 'kubernetes.io/os': 'linux' }],
    ['a node selector on beta.kubernetes.io/os: linux', { nodeSelector: { 'beta.kubernetes.io/os': 'linux' } }, {}],
    // No node admits these: unschedulable or refused by every kubelet, not a credentials problem.
    ['no node: os.name windows on a Linux node selector', { os: { name: 'windows' }, nodeSelector: { 'kubernetes.io/os': 'linux' } }, {}],
    ['no node: os.name windows, pod label linux', { os: { name: 'windows' } }, { 'kubernetes.io/os': 'linux' }],
    ['no node: the two OS labels disagree', { nodeSelector: { 'kubernetes.io/os': 'windows', 'beta.kubernetes.io/os': 'linux' } }, {}],
  ])('a pod a Linux node admits, or none does (%s), on Pod Identity is fine', (_, spec, labels) => {
    // GIVEN a Pod Identity Deployment whose pod template sets these fields and labels
    const { chart, deployment } = job(IdentityMechanism.POD_IDENTITY);
    patchPod(deployment, spec, labels);
    // WHEN the guardrails run THEN WI-K8S-7 has nothing to say
    expect(open(k8sFindings(chart), 'WI-K8S-7')).toEqual([]);
  });

  test('a pod with os.name: windows on IRSA is fine', () => {
    // GIVEN an IRSA Deployment whose pods run on Windows nodes only
    const { chart, deployment } = job(IdentityMechanism.IRSA);
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/os', { name: 'windows' }));
    // WHEN the guardrails run THEN nothing is refused: IRSA works on Windows nodes
    expect(open(k8sFindings(chart))).toEqual([]);
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
