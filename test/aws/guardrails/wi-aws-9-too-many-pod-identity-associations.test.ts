import { WorkloadIdentity } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';

function podIdentities(n: number) {
  const stack = reportingStack();
  const cluster = eksCluster(stack);
  for (let i = 0; i < n; i++) { new WorkloadIdentity(stack, `W${i}`, { cluster, namespace: 'apps', serviceAccountName: `app-${i}` }); }
  return stack;
}

describe('WI-AWS-9 too-many-pod-identity-associations', () => {
  test('more associations on one cluster than the quota is an error', () => {
    expect(open(awsFindings(podIdentities(3), { maxPodIdentityAssociationsPerCluster: 2 }), 'WI-AWS-9')).toEqual([
      "WI-AWS-9 Cluster 'campus' has 3 pod identity associations in this app; the EKS quota is 2 per cluster.",
    ]);
  });

  test('within the EKS quota (5,000 by default) is fine', () => {
    expect(open(awsFindings(podIdentities(3)))).toEqual([]);
  });
});
