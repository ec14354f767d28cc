import { App, Stack } from 'aws-cdk-lib';
import { IpFamily, VpcCniIdentity } from '../../../lib';
import { ACCOUNT, REGION, platformCluster } from './catalog-app';
import { actionsOf, statementOf } from './entry-statements';

describe('VpcCniIdentity', () => {
  test('IPv6 grants upstream\'s IPv6 policy and nothing beyond: no ModifyNetworkInterfaceAttribute on every interface', () => {
    // GIVEN the IPv6 entry
    const stack = new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
    const e = new VpcCniIdentity(stack, 'VpcCni', { cluster: platformCluster(stack), ipFamily: IpFamily.IPV6 });
    // THEN the writes are AssignIpv6Addresses and CreateTags on network interfaces only
    expect(actionsOf(e).sort()).toEqual([
      'ec2:AssignIpv6Addresses', 'ec2:CreateTags', 'ec2:DescribeInstanceTypes', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeTags',
    ]);
    expect(statementOf(e, 'AssignIpv6')).toMatchObject({ Action: 'ec2:AssignIpv6Addresses', Resource: '*' });
  });
});
