import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, WorkloadBinding, WorkloadServiceAccount } from '../../../lib';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

const ROLE = 'arn:aws:iam::123456789012:role/report';
const binding: WorkloadBinding = {
  clusterName: 'campus', namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA,
  roleArn: ROLE,
};

describe('WI-K8S-5 unbacked-role-arn', () => {
  test('a hand-annotated ServiceAccount is an error', () => {
    const chart = newChart();
    new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'report', namespace: 'reporting', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } });
    expect(open(k8sFindings(chart), 'WI-K8S-5')).toEqual([
      `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which no declared identity backs.`,
    ]);
  });

  test('the same annotation backed by a declared binding is fine', () => {
    const chart = newChart();
    new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'report', namespace: 'reporting', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } });
    expect(open(k8sFindings(chart, { bindings: [binding] }), 'WI-K8S-5')).toEqual([]);
  });

  test('a WorkloadServiceAccount is backed by its binding', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'sa', { binding });
    expect(open(k8sFindings(chart))).toEqual([]);
  });

  describe('a binding of another cluster backs nothing (issue 18)', () => {
    const annotated = (chart: ReturnType<typeof newChart>) =>
      new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'report', namespace: 'reporting', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } });

    test('GIVEN an app of cluster campus WHEN a hand-annotated ServiceAccount is backed only by a binding of cluster edge THEN it is an error naming both', () => {
      // GIVEN the app renders campus (a WorkloadServiceAccount says so) and declares edge's binding
      const chart = newChart();
      new WorkloadServiceAccount(chart, 'upload', { binding: { clusterName: 'campus', namespace: 'uploads', serviceAccountName: 'upload', mechanism: IdentityMechanism.POD_IDENTITY } });
      annotated(chart);

      // WHEN
      const findings = open(k8sFindings(chart, { bindings: [{ ...binding, clusterName: 'edge' }] }), 'WI-K8S-5');

      // THEN
      expect(findings).toEqual([
        `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which only a binding of cluster 'edge' backs, not of cluster 'campus' that this app renders.`,
      ]);
    });

    test('GIVEN a same-named cluster of another account WHEN its binding is the only backing THEN it is an error', () => {
      const chart = newChart();
      annotated(chart);
      const other = { ...binding, clusterArn: 'arn:aws:eks:eu-west-1:210987654321:cluster/campus' };

      expect(open(k8sFindings(chart, { bindings: [other], clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/campus' }), 'WI-K8S-5')).toEqual([
        `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which only a binding of cluster 'campus' (arn:aws:eks:eu-west-1:210987654321:cluster/campus) backs, ` +
        "not of cluster 'campus' (arn:aws:eks:eu-west-1:123456789012:cluster/campus) that this app renders.",
      ]);
    });

    test('GIVEN bindings of two clusters and no cluster named WHEN checked THEN neither backs it, and the fix is to name the cluster', () => {
      const chart = newChart();
      annotated(chart);

      expect(open(k8sFindings(chart, { bindings: [binding, { ...binding, clusterName: 'edge' }] }), 'WI-K8S-5')).toEqual([
        `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which bindings of clusters 'campus', 'edge' back; ` +
        'say which cluster this app renders (KubernetesGuardrails.of(app, { clusterName, clusterArn })).',
      ]);
      expect(open(k8sFindings(chart, { clusterName: 'campus' }), 'WI-K8S-5')).toEqual([]);
    });
  });
});
