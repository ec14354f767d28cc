import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { VpcCniIdentity } from '../../../../../lib';
import { CLUSTER, R, REGION } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** IPv4, the per-cluster scope-down: the VPC is required, there is no option. */
export const upstreamCase: UpstreamCase = {
  key: 'VpcCni',
  build: (stack, cluster) => new VpcCniIdentity(stack, 'VpcCni', {
    cluster, vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: R.vpc, availabilityZones: [`${REGION}a`] }),
  }),
  placeholderValues: { '${CLUSTER_NAME}': CLUSTER, '${VPC_ID}': R.vpc },
};
