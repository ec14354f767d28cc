import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsLoadBalancerControllerIdentity } from '../../../../../lib';
import { R, REGION } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** No option adds or removes actions: minimal and full differ only by the VPC (Helm values). */
export const upstreamCase: UpstreamCase = {
  key: 'AwsLoadBalancerController',
  build: (stack, cluster, configuration) => new AwsLoadBalancerControllerIdentity(stack, 'AwsLoadBalancerController', {
    cluster,
    vpc: configuration === 'full' ? ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: R.vpc, availabilityZones: [`${REGION}a`] }) : undefined,
  }),
  placeholderValues: {},
};
