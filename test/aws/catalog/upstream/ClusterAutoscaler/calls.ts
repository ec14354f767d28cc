/**
 * cluster-autoscaler 1.36.1, AWS cloud provider
 * (cluster-autoscaler/cloudprovider/aws): auto-discovery filters
 * DescribeAutoScalingGroups by the cluster's tags; it reads scaling
 * activities, launch template versions, instance types (also from instance
 * requirements) and images, and for a managed node group at zero
 * eks:DescribeNodegroup; it scales with SetDesiredCapacity and removes nodes
 * with TerminateInstanceInAutoScalingGroup.
 */
import { ACCOUNT, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const asg = (account = ACCOUNT) => `arn:aws:autoscaling:${REGION}:${account}:autoScalingGroup:11111111-2222-3333-4444-555555555555:autoScalingGroupName/platform-ng`;
const ownGroup = { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/platform': 'owned' };

export const calls: ControllerCalls = () => [
  {
    call: 'discovery and templates: DescribeAutoScalingGroups, DescribeScalingActivities, DescribeLaunchTemplateVersions, DescribeInstanceTypes, GetInstanceTypesFromInstanceRequirements, DescribeImages',
    expect: 'Allowed',
    requests: [
      { action: 'autoscaling:DescribeAutoScalingGroups', resource: '*' }, { action: 'autoscaling:DescribeScalingActivities', resource: '*' },
      { action: 'ec2:DescribeLaunchTemplateVersions', resource: '*' }, { action: 'ec2:DescribeInstanceTypes', resource: '*' },
      { action: 'ec2:GetInstanceTypesFromInstanceRequirements', resource: '*' }, { action: 'ec2:DescribeImages', resource: '*' },
    ],
  },
  { call: 'managed node group at zero: eks:DescribeNodegroup', expect: 'Allowed', requests: [{ action: 'eks:DescribeNodegroup', resource: `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/platform/ng-1/11111111-2222-3333-4444-555555555555` }] },
  { call: 'scale up: SetDesiredCapacity of a group of this cluster', expect: 'Allowed', requests: [{ action: 'autoscaling:SetDesiredCapacity', resource: asg(), context: ownGroup }] },
  { call: 'scale down: TerminateInstanceInAutoScalingGroup in a group of this cluster', expect: 'Allowed', requests: [{ action: 'autoscaling:TerminateInstanceInAutoScalingGroup', resource: asg(), context: ownGroup }] },
  {
    call: 'SetDesiredCapacity of another cluster\'s group',
    expect: 'Denied', upstream: 'Allowed',
    requests: [{ action: 'autoscaling:SetDesiredCapacity', resource: asg(), context: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/other-cluster': 'owned' } }],
  },
  { call: 'TerminateInstanceInAutoScalingGroup in an untagged group', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'autoscaling:TerminateInstanceInAutoScalingGroup', resource: asg() }] },
  { call: 'eks:DescribeNodegroup of another cluster', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'eks:DescribeNodegroup', resource: `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/other-cluster/ng-1/11111111-2222-3333-4444-555555555555` }] },
  { call: 'DeleteAutoScalingGroup', expect: 'Denied', requests: [{ action: 'autoscaling:DeleteAutoScalingGroup', resource: asg(), context: ownGroup }] },
];
