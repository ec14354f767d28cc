import { App, Stack } from 'aws-cdk-lib';
import { ClusterAutoscalerIdentity } from '../../../lib';
import { ACCOUNT, REGION, platformCluster } from './catalog-app';
import { actionsOf, statementOf } from './entry-statements';

describe('ClusterAutoscalerIdentity', () => {
  const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
  const e = new ClusterAutoscalerIdentity(stack, 'ClusterAutoscaler', { cluster: platformCluster(stack) });

  test('grants the README\'s "Full Cluster Autoscaler Features Policy" actions of 1.36, and no autoscaling:DescribeTags (auto-discovery filters DescribeAutoScalingGroups)', () => {
    expect(actionsOf(e).sort()).toEqual([
      'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
      'autoscaling:DescribeScalingActivities', 'autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup',
      'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements',
      'eks:DescribeNodegroup',
    ]);
  });

  test('scales only the groups tagged for this cluster, as the README recommends', () => {
    expect(statementOf(e, 'ScaleOwnNodeGroups').Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/platform': 'owned' },
    });
  });
});
