import { WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { CLUSTER_ARN, eksCluster, REGION } from '../../fixtures';
import { awsFindings, open, reportingApp, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-10 duplicate-pod-identity-agent', () => {
  test('two stacks that each install the agent on one cluster is an error', () => {
    // GIVEN two stacks of one app using Pod Identity on the same existing cluster
    const app = reportingApp();
    for (const id of ['Payments', 'Reports']) {
      const stack = reportingStack(id, REGION, app);
      new WorkloadIdentity(stack, 'Workload', { cluster: eksCluster(stack), namespace: id.toLowerCase(), serviceAccountName: 'app' });
    }
    // THEN each stack declared its own add-on, which the per-stack check cannot see
    expect(open(awsFindings(app), 'WI-AWS-10')).toEqual([
      "WI-AWS-10 Cluster 'campus' has 2 eks-pod-identity-agent add-ons (Payments/Cluster/PodIdentityAgent, Reports/Cluster/PodIdentityAgent).",
    ]);
  });

  test('one agent, the other stack told it is installed elsewhere, is fine', () => {
    const app = reportingApp();
    const first = reportingStack('Payments', REGION, app);
    new WorkloadIdentity(first, 'Workload', { cluster: eksCluster(first), namespace: 'payments', serviceAccountName: 'app' });
    const second = reportingStack('Reports', REGION, app);
    const cluster = WorkloadCluster.fromClusterAttributes(second, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, installPodIdentityAgent: false });
    new WorkloadIdentity(second, 'Workload', { cluster, namespace: 'reports', serviceAccountName: 'app' });
    expect(open(awsFindings(app))).toEqual([]);
  });
});
