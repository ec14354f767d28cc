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
});
