import { IpFamily, VpcCniIdentity } from '../../../../../lib';
import { UpstreamCase } from '../upstream-diff';

/** IPv6 mode: no scoping input, no option. */
export const upstreamCase: UpstreamCase = {
  key: 'VpcCniIpv6',
  build: (stack, cluster) => new VpcCniIdentity(stack, 'VpcCniIpv6', { cluster, ipFamily: IpFamily.IPV6 }),
  placeholderValues: {},
};
