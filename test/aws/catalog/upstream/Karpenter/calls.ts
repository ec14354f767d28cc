/**
 * Karpenter v1.14.1 in normal operation (aws/karpenter-provider-aws at the tag):
 * - pkg/providers/launchtemplate/types.go: CreateLaunchTemplate, tagging the
 *   launch template, and (in its data) network interfaces and, for spot, spot
 *   instance requests, with the NodeClaim's tags;
 * - pkg/providers/instance/types.go: CreateFleet (spot and on-demand) with
 *   the launch template, tagging instance, volume and fleet;
 * - pkg/controllers/nodeclaim/tagging/controller.go: CreateTags on the
 *   launched instance (Name, karpenter.sh/nodeclaim, eks:eks-cluster-name);
 * - pkg/providers/instanceprofile/instanceprofile.go: Create/Tag/AddRole/
 *   Get/List/Delete instance profiles; interruption queue; zonal shift;
 *   discovery (Describe*, SSM AMI parameters, pricing).
 * The tags Karpenter puts on what it creates (pkg/providers/instance, pkg/utils):
 * kubernetes.io/cluster/<cluster>=owned, eks:eks-cluster-name=<cluster>,
 * karpenter.sh/nodepool, karpenter.k8s.aws/ec2nodeclass.
 */
import { ACCOUNT, CLUSTER, R, REGION } from '../../catalog-app';
import { AuthorizationRequest, ControllerCall, ControllerCalls } from '../controller-calls';

const OTHER = 'other-cluster';
const ec2 = (resource: string, account = ACCOUNT, region = REGION) => `arn:aws:ec2:${region}:${account}:${resource}`;
const instanceProfile = (name: string) => `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`;

function tags(cluster: string): Record<string, string> {
  return {
    [`kubernetes.io/cluster/${cluster}`]: 'owned', 'eks:eks-cluster-name': cluster,
    'karpenter.sh/nodepool': 'default', 'karpenter.k8s.aws/ec2nodeclass': 'default',
  };
}
const requestTags = (cluster: string, extra: Record<string, string | string[]> = {}) => ({
  ...Object.fromEntries(Object.entries(tags(cluster)).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  'aws:TagKeys': Object.keys(tags(cluster)), ...extra,
});
const resourceTags = (cluster: string) => Object.fromEntries(Object.entries(tags(cluster)).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

/**
 * CreateFleet as AWS authorizes it (the service authorization reference, as
 * iam-simulate holds it): the fleet, instances and volumes it creates (request
 * tags), the launch template (its tags), subnet and image; then tag-on-create
 * for each resource the fleet and its launch template tag (network
 * interfaces, and for spot the spot instance requests).
 */
function createFleet(spot: boolean, cluster = CLUSTER, launchTemplateCluster = CLUSTER, region = REGION): ControllerCall['requests'] {
  const created = ['fleet/*', 'instance/*', 'volume/*'];
  const tagged = [...created, 'network-interface/*', ...(spot ? ['spot-instances-request/*'] : [])];
  return [
    ...created.map(r => ({ action: 'ec2:CreateFleet', resource: ec2(r, ACCOUNT, region), context: { ...requestTags(cluster), 'aws:RequestedRegion': region } })),
    { action: 'ec2:CreateFleet', resource: ec2('launch-template/lt-0123456789abcdef0', ACCOUNT, region), context: { ...resourceTags(launchTemplateCluster), 'aws:RequestedRegion': region } },
    { action: 'ec2:CreateFleet', resource: ec2('subnet/subnet-1', ACCOUNT, region), context: { 'aws:RequestedRegion': region } },
    { action: 'ec2:CreateFleet', resource: `arn:aws:ec2:${region}::image/ami-0123456789abcdef0`, context: { 'aws:RequestedRegion': region } },
    ...tagged.map(r => ({ action: 'ec2:CreateTags', resource: ec2(r, ACCOUNT, region), context: { ...requestTags(cluster), 'ec2:CreateAction': 'CreateFleet', 'aws:RequestedRegion': region } })),
  ];
}

export const calls: ControllerCalls = () => [
  {
    call: 'launchtemplate: CreateLaunchTemplate with the NodeClaim tags (launch template, network interface and spot request tag specifications)',
    expect: 'Allowed',
    requests: [
      { action: 'ec2:CreateLaunchTemplate', resource: ec2('launch-template/*'), context: requestTags(CLUSTER) },
      { action: 'ec2:CreateTags', resource: ec2('launch-template/*'), context: requestTags(CLUSTER, { 'ec2:CreateAction': 'CreateLaunchTemplate' }) },
    ],
  },
  { call: 'instance: CreateFleet, on-demand', expect: 'Allowed', requests: createFleet(false) },
  { call: 'instance: CreateFleet, spot (tags the spot instance request at creation)', expect: 'Allowed', requests: createFleet(true) },
  {
    call: 'tagging controller: CreateTags Name, karpenter.sh/nodeclaim, eks:eks-cluster-name on the launched instance',
    expect: 'Allowed',
    requests: [{
      action: 'ec2:CreateTags', resource: ec2('instance/i-0123456789abcdef0'),
      context: { ...resourceTags(CLUSTER), 'aws:RequestTag/Name': 'ip-10-0-0-1', 'aws:RequestTag/karpenter.sh/nodeclaim': 'default-abcde', 'aws:RequestTag/eks:eks-cluster-name': CLUSTER, 'aws:TagKeys': ['Name', 'karpenter.sh/nodeclaim', 'eks:eks-cluster-name'] },
    }],
  },
  { call: 'garbage collection: TerminateInstances, DeleteLaunchTemplate', expect: 'Allowed', requests: [
    { action: 'ec2:TerminateInstances', resource: ec2('instance/i-0123456789abcdef0'), context: resourceTags(CLUSTER) },
    { action: 'ec2:DeleteLaunchTemplate', resource: ec2('launch-template/lt-0123456789abcdef0'), context: resourceTags(CLUSTER) },
  ] },
  {
    call: 'instanceprofile: Create, Tag, AddRole, Get, List (v1.7+ garbage collection), Delete, with PassRole of the node role',
    expect: 'Allowed',
    requests: <AuthorizationRequest[]>[
      { action: 'iam:CreateInstanceProfile', resource: instanceProfile('platform_123'), context: requestTags(CLUSTER, { 'aws:RequestTag/topology.kubernetes.io/region': REGION }) },
      { action: 'iam:TagInstanceProfile', resource: instanceProfile('platform_123'), context: { ...resourceTags(CLUSTER), 'aws:ResourceTag/topology.kubernetes.io/region': REGION, ...requestTags(CLUSTER, { 'aws:RequestTag/topology.kubernetes.io/region': REGION }) } },
      { action: 'iam:AddRoleToInstanceProfile', resource: instanceProfile('platform_123'), context: { ...resourceTags(CLUSTER), 'aws:ResourceTag/topology.kubernetes.io/region': REGION } },
      { action: 'iam:PassRole', resource: R.nodeRole, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      { action: 'iam:GetInstanceProfile', resource: instanceProfile('platform_123') },
      { action: 'iam:ListInstanceProfiles', resource: '*' },
      { action: 'iam:DeleteInstanceProfile', resource: instanceProfile('platform_123'), context: { ...resourceTags(CLUSTER), 'aws:ResourceTag/topology.kubernetes.io/region': REGION } },
    ],
  },
  { call: 'interruption: ReceiveMessage, DeleteMessage, GetQueueUrl on the queue', expect: 'Allowed', requests: [
    { action: 'sqs:ReceiveMessage', resource: R.queue }, { action: 'sqs:DeleteMessage', resource: R.queue }, { action: 'sqs:GetQueueUrl', resource: R.queue },
  ] },
  { call: 'operator: DescribeCluster (API server endpoint), zonal shift status', expect: 'Allowed', requests: [
    { action: 'eks:DescribeCluster', resource: R.clusterArn },
    { action: 'arc-zonal-shift:GetManagedResource', resource: '*', context: { 'arc-zonal-shift:ResourceIdentifier': R.clusterArn } },
  ] },
  { call: 'discovery: instance types, subnets, images, prices', expect: 'Allowed', requests: [
    ...['DescribeInstanceTypes', 'DescribeInstanceTypeOfferings', 'DescribeSubnets', 'DescribeSecurityGroups', 'DescribeImages', 'DescribeLaunchTemplates',
      'DescribeCapacityReservations', 'DescribeSpotPriceHistory', 'DescribeInstances', 'DescribeInstanceStatus', 'DescribePlacementGroups']
      .map(a => ({ action: `ec2:${a}`, resource: '*', context: { 'aws:RequestedRegion': REGION } })),
    // (ssm:GetParameter on the public arn:aws:ssm:<region>::parameter/aws/service/... : iam-simulate's reference has no
    // SSM parameter ARN without an account, so the AMI lookup is not evaluated; the statement equals upstream's.)
    { action: 'pricing:GetProducts', resource: '*' },
  ] },
  // Out of scope.
  { call: 'CreateFleet from another cluster\'s launch template', expect: 'Denied', requests: createFleet(false, CLUSTER, OTHER) },
  { call: 'CreateFleet tagging the instances for another cluster', expect: 'Denied', requests: createFleet(true, OTHER, OTHER) },
  { call: 'CreateFleet in another region', expect: 'Denied', requests: createFleet(false, CLUSTER, CLUSTER, 'us-east-1') },
  { call: 'TerminateInstances of another cluster\'s node', expect: 'Denied', requests: [{ action: 'ec2:TerminateInstances', resource: ec2('instance/i-1'), context: resourceTags(OTHER) }] },
  { call: 'CreateTags with another key on a node', expect: 'Denied', requests: [{ action: 'ec2:CreateTags', resource: ec2('instance/i-1'), context: { ...resourceTags(CLUSTER), [`aws:RequestTag/kubernetes.io/cluster/${OTHER}`]: 'owned', 'aws:TagKeys': [`kubernetes.io/cluster/${OTHER}`] } }] },
  { call: 'AddRoleToInstanceProfile of another cluster', expect: 'Denied', requests: [{ action: 'iam:AddRoleToInstanceProfile', resource: instanceProfile('other_1'), context: { ...resourceTags(OTHER), 'aws:ResourceTag/topology.kubernetes.io/region': REGION } }] },
  { call: 'PassRole of another role', expect: 'Denied', requests: [{ action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/admin`, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } }] },
  { call: 'PassRole of the node role to another service', expect: 'Denied', requests: [{ action: 'iam:PassRole', resource: R.nodeRole, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } }] },
  { call: 'ReceiveMessage on another queue', expect: 'Denied', requests: [{ action: 'sqs:ReceiveMessage', resource: R.otherQueue }] },
  { call: 'DescribeCluster of another cluster', expect: 'Denied', requests: [{ action: 'eks:DescribeCluster', resource: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${OTHER}` }] },
];
