/**
 * aws-node (amazon-vpc-cni-k8s v1.23.0, pkg/awsutils/awsutils.go) with
 * CLUSTER_NAME set, as upstream's scope-down requires: at start ipamd tags
 * every ENI of the node, the primary included, with the node and cluster tags
 * (TagENI -> CreateTags); AllocENI creates an ENI in a subnet of the cluster's
 * VPC, tagged at creation (buildENITags), attaches it to the node, sets
 * DeleteOnTermination (ModifyNetworkInterfaceAttribute); IPs and prefixes are
 * assigned and freed on cluster-tagged ENIs; freed ENIs are detached and
 * deleted.
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const ec2 = (type: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${type}`;
const eni = ec2('network-interface/eni-0123456789abcdef0');
const clusterEni = { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': 'platform' };
const clusterNode = { 'aws:ResourceTag/kubernetes.io/cluster/platform': 'owned' };
const eniTags = (cluster: string) => ({
  'aws:RequestTag/cluster.k8s.amazonaws.com/name': cluster,
  'aws:RequestTag/node.k8s.amazonaws.com/instance_id': 'i-0123456789abcdef0',
  'aws:TagKeys': ['node.k8s.amazonaws.com/instance_id', 'cluster.k8s.amazonaws.com/name', 'node.k8s.amazonaws.com/createdAt'],
});
const inVpc = (vpc: string) => ({ 'ec2:Vpc': ec2(`vpc/${vpc}`) });

export const calls: ControllerCalls = () => [
  {
    call: 'Describe: DescribeInstances, DescribeInstanceTypes, DescribeNetworkInterfaces, DescribeSubnets, DescribeTags',
    expect: 'Allowed',
    requests: ['DescribeInstances', 'DescribeInstanceTypes', 'DescribeNetworkInterfaces', 'DescribeSubnets', 'DescribeTags'].map(a => ({ action: `ec2:${a}`, resource: '*' })),
  },
  { call: 'ipamd init: TagENI tags the node\'s ENIs (the primary too) with the cluster', expect: 'Allowed', requests: [{ action: 'ec2:CreateTags', resource: eni, context: eniTags('platform') }] },
  {
    call: 'AllocENI: CreateNetworkInterface in the cluster\'s VPC, tagged at creation',
    expect: 'Allowed',
    requests: [
      { action: 'ec2:CreateNetworkInterface', resource: ec2('network-interface/*'), context: eniTags('platform') },
      { action: 'ec2:CreateNetworkInterface', resource: ec2('subnet/subnet-0123456789abcdef0'), context: inVpc(R.vpc) },
      { action: 'ec2:CreateNetworkInterface', resource: ec2('security-group/sg-0123456789abcdef0'), context: inVpc(R.vpc) },
      { action: 'ec2:CreateTags', resource: ec2('network-interface/*'), context: { ...eniTags('platform'), 'ec2:CreateAction': 'CreateNetworkInterface' } },
    ],
  },
  {
    call: 'AllocENI: AttachNetworkInterface to the node, ModifyNetworkInterfaceAttribute DeleteOnTermination',
    expect: 'Allowed',
    requests: [
      { action: 'ec2:AttachNetworkInterface', resource: eni, context: clusterEni },
      { action: 'ec2:AttachNetworkInterface', resource: ec2('instance/i-0123456789abcdef0'), context: clusterNode },
      { action: 'ec2:ModifyNetworkInterfaceAttribute', resource: eni, context: clusterEni },
    ],
  },
  {
    call: 'AssignPrivateIpAddresses and UnassignPrivateIpAddresses (IPs or /28 prefixes) on a cluster ENI',
    expect: 'Allowed',
    requests: [{ action: 'ec2:AssignPrivateIpAddresses', resource: eni, context: clusterEni }, { action: 'ec2:UnassignPrivateIpAddresses', resource: eni, context: clusterEni }],
  },
  {
    call: 'freeENI: DetachNetworkInterface and DeleteNetworkInterface',
    expect: 'Allowed',
    requests: [
      { action: 'ec2:DetachNetworkInterface', resource: eni, context: clusterEni },
      { action: 'ec2:DetachNetworkInterface', resource: ec2('instance/i-0123456789abcdef0'), context: clusterNode },
      { action: 'ec2:DeleteNetworkInterface', resource: eni, context: clusterEni },
    ],
  },
  { call: 'CreateNetworkInterface tagged for another cluster', expect: 'Denied', requests: [{ action: 'ec2:CreateNetworkInterface', resource: ec2('network-interface/*'), context: eniTags('other-cluster') }] },
  { call: 'CreateNetworkInterface in another VPC\'s subnet', expect: 'Denied', requests: [{ action: 'ec2:CreateNetworkInterface', resource: ec2('subnet/subnet-0fffffffffffffff0'), context: inVpc(R.otherVpc) }] },
  { call: 'DeleteNetworkInterface of another cluster\'s ENI', expect: 'Denied', requests: [{ action: 'ec2:DeleteNetworkInterface', resource: eni, context: { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': 'other-cluster' } }] },
  { call: 'AttachNetworkInterface to another cluster\'s instance', expect: 'Denied', requests: [{ action: 'ec2:AttachNetworkInterface', resource: ec2('instance/i-0fffffffffffffff0'), context: { 'aws:ResourceTag/kubernetes.io/cluster/other-cluster': 'owned' } }] },
  { call: 'TerminateInstances', expect: 'Denied', requests: [{ action: 'ec2:TerminateInstances', resource: ec2('instance/i-0123456789abcdef0') }] },
];
