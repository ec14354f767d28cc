/**
 * aws-node (amazon-vpc-cni-k8s v1.23.0) in IPv6 mode: it assigns a /80
 * prefix to the node's primary ENI (AssignIpv6Addresses), tags the ENI
 * (TagENI) and describes; it creates no ENI. RefreshSGIDs would also call
 * ModifyNetworkInterfaceAttribute when the node's security groups change,
 * which upstream's IPv6 policy does not grant (nor does the entry).
 */
import { ACCOUNT, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const eni = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;

export const calls: ControllerCalls = () => [
  {
    call: 'Describe: DescribeInstances, DescribeInstanceTypes, DescribeNetworkInterfaces, DescribeSubnets, DescribeSecurityGroups, DescribeTags',
    expect: 'Allowed',
    requests: ['DescribeInstances', 'DescribeInstanceTypes', 'DescribeNetworkInterfaces', 'DescribeSubnets', 'DescribeSecurityGroups', 'DescribeTags'].map(a => ({ action: `ec2:${a}`, resource: '*' })),
  },
  { call: 'AssignIpv6Addresses: a /80 prefix on the primary ENI', expect: 'Allowed', requests: [{ action: 'ec2:AssignIpv6Addresses', resource: eni }] },
  { call: 'ipamd init: TagENI', expect: 'Allowed', requests: [{ action: 'ec2:CreateTags', resource: eni, context: { 'aws:RequestTag/node.k8s.amazonaws.com/instance_id': 'i-0123456789abcdef0' } }] },
  { call: 'ModifyNetworkInterfaceAttribute (security groups of any interface)', expect: 'Denied', requests: [{ action: 'ec2:ModifyNetworkInterfaceAttribute', resource: eni }] },
  { call: 'AssignPrivateIpAddresses', expect: 'Denied', requests: [{ action: 'ec2:AssignPrivateIpAddresses', resource: eni }] },
  { call: 'DeleteNetworkInterface', expect: 'Denied', requests: [{ action: 'ec2:DeleteNetworkInterface', resource: eni }] },
];
