import * as eks from 'aws-cdk-lib/aws-eks';
import { WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { CLUSTER_ARN, eksCluster, REGION } from '../../fixtures';
import { awsFindings, open, reportingApp, reportingStack } from '../../guardrails/helpers';

describe('WI-AWS-10 duplicate-pod-identity-agent', () => {
  test('two stacks that each install the agent on one cluster is an error', () => {
    // GIVEN two stacks of one app using Pod Identity on the same existing cluster: the owner's stack declares the
    // add-on, and the other declares its own (an L1: a second owning handle is refused since issue 20)
    const app = reportingApp();
    const payments = reportingStack('Payments', REGION, app);
    const owner = eksCluster(payments);
    new WorkloadIdentity(payments, 'Workload', { cluster: owner, namespace: 'payments', serviceAccountName: 'app' });
    const reports = reportingStack('Reports', REGION, app);
    const cluster = WorkloadCluster.fromClusterAttributes(reports, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, owner });
    new eks.CfnAddon(cluster, 'PodIdentityAgent', { clusterName: 'campus', addonName: 'eks-pod-identity-agent' });
    new WorkloadIdentity(reports, 'Workload', { cluster, namespace: 'reports', serviceAccountName: 'app' });
    // THEN each stack declared its own add-on, which the per-stack check cannot see
    expect(open(awsFindings(app), 'WI-AWS-10')).toEqual([
      "WI-AWS-10 Cluster 'campus' has 2 eks-pod-identity-agent add-ons (Payments/Cluster/PodIdentityAgent, Reports/Cluster/PodIdentityAgent).",
    ]);
  });

  test('one agent, the other stack\'s handle handed the owner, is fine', () => {
    const app = reportingApp();
    const first = reportingStack('Payments', REGION, app);
    const owner = eksCluster(first);
    new WorkloadIdentity(first, 'Workload', { cluster: owner, namespace: 'payments', serviceAccountName: 'app' });
    const second = reportingStack('Reports', REGION, app);
    const cluster = WorkloadCluster.fromClusterAttributes(second, 'Cluster', { clusterName: 'campus', clusterArn: CLUSTER_ARN, owner });
    new WorkloadIdentity(second, 'Workload', { cluster, namespace: 'reports', serviceAccountName: 'app' });
    expect(open(awsFindings(app))).toEqual([]);
  });
});
