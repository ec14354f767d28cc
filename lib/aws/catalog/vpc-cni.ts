import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { AddonIdentity, AddonIdentityProps } from './addon-identity';
import { allow } from './statement';

/** The IP family of the cluster's pods. */
export enum IpFamily {
  /** IPv4 pods. */
  IPV4 = 'IPV4',
  /** IPv6 pods. */
  IPV6 = 'IPV6',
}

/** Props of `VpcCniIdentity`. */
export interface VpcCniIdentityProps extends AddonIdentityProps {
  /**
   * The IP family of the cluster.
   *
   * @default IpFamily.IPV4
   */
  readonly ipFamily?: IpFamily;

  /**
   * The cluster's VPC. With it (IPv4), the policy is upstream's per-cluster
   * scope-down: network interfaces only in this VPC and tagged with the
   * cluster's name (`cluster.k8s.amazonaws.com/name`, which aws-node sets
   * when its `CLUSTER_NAME` is set, as the EKS add-on does).
   *
   * @default - required for IPv4 unless useAwsManagedPolicy
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Attach the AWS managed `AmazonEKS_CNI_Policy` (IPv4 only) instead of the
   * scoped document: network interfaces of any VPC and cluster of the account.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
}

/**
 * The Amazon VPC CNI (`vpc-cni` add-on, `kube-system/aws-node`). IPv4
 * follows upstream's `docs/iam-policy.md` "scope-down IAM policy per EKS
 * cluster" at v1.23.0, which needs aws-node's `CLUSTER_NAME` set to the
 * cluster's name; IPv6 follows its IPv6 policy (upstream publishes no
 * scope-down).
 */
export class VpcCniIdentity extends AddonIdentity {
  constructor(scope: Construct, id: string, props: VpcCniIdentityProps) {
    const family = props.ipFamily ?? IpFamily.IPV4;
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, props, {
      addonName: 'vpc-cni',
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'aws-node',
      autoModeBuiltIn: 'pod networking (the VPC CNI)',
      upstream: {
        name: `aws/amazon-vpc-cni-k8s docs/iam-policy.md (${family === IpFamily.IPV4 ? 'sample scope-down IAM policy for IPv4 mode' : 'IPv6 mode'})`,
        url: 'https://github.com/aws/amazon-vpc-cni-k8s/blob/v1.23.0/docs/iam-policy.md',
        version: 'v1.23.0',
        repository: 'aws/amazon-vpc-cni-k8s',
        path: 'docs/iam-policy.md',
        ref: 'v1.23.0',
        date: '2026-07-31',
        awsManagedPolicyNames: ['AmazonEKS_CNI_Policy'],
      },
      useAwsManagedPolicy: managed,
    });
    if (managed) {
      if (family === IpFamily.IPV6) {
        throw new WorkloadIdentityError(`VpcCniIdentity '${this.node.path}': AmazonEKS_CNI_Policy covers IPv4 only; for IPv6 remove useAwsManagedPolicy (the scoped IPv6 policy is used).`, this.node.path);
      }
      return;
    }
    const eni = this.arnIn('ec2', '*', '*', 'network-interface/*');
    if (family === IpFamily.IPV6) {
      this.addStatements(
        allow('Describe', ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeTags',
          'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstanceTypes'], ['*']),
        allow('TagInterfaces', ['ec2:CreateTags'], [eni]),
      );
      this.addWildcardWriteStatement(allow('AssignIpv6', ['ec2:AssignIpv6Addresses'], ['*']),
        'Upstream\'s IPv6 policy grants these on * and publishes no per-cluster scope-down for IPv6: aws-node assigns prefixes to the node\'s own interfaces.');
      this.acknowledgeWildcards('Upstream VPC CNI IPv6 policy (docs/iam-policy.md): no per-cluster scope-down is published for IPv6.');
      return;
    }
    if (!props.vpc) {
      throw new WorkloadIdentityError(
        `VpcCniIdentity '${this.node.path}' scopes network interfaces to the cluster's VPC: pass vpc (ec2.Vpc.fromLookup or fromVpcAttributes), ` +
        'or set useAwsManagedPolicy to true for AmazonEKS_CNI_Policy (every VPC of the account).', this.node.path);
    }
    const clusterName = this.literalClusterName(props.cluster, 'network interfaces and instances');
    const vpcArn = this.arnIn('ec2', '*', '*', `vpc/${props.vpc.vpcId}`);
    this.addStatements(
      allow('Describe', ['ec2:DescribeInstances', 'ec2:DescribeTags', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DescribeInstanceTypes'], ['*']),
      allow('TagInterfaces', ['ec2:CreateTags'], [eni]),
      allow('CreateClusterInterface', ['ec2:CreateNetworkInterface'], [eni], { StringEquals: { 'aws:RequestTag/cluster.k8s.amazonaws.com/name': clusterName } }),
      allow('CreateInClusterVpc', ['ec2:CreateNetworkInterface'], [this.arnIn('ec2', '*', '*', 'subnet/*'), this.arnIn('ec2', '*', '*', 'security-group/*')],
        { ArnEquals: { 'ec2:Vpc': vpcArn } }),
      allow('ManageClusterInterfaces', ['ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses', 'ec2:AssignPrivateIpAddresses',
        'ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute'], [eni],
      { StringEquals: { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': clusterName } }),
      allow('ClusterInstances', ['ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute'],
        [this.arnIn('ec2', '*', '*', 'instance/*')], { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned' } }),
      allow('SecurityGroups', ['ec2:ModifyNetworkInterfaceAttribute'], [this.arnIn('ec2', '*', '*', 'security-group/*')]),
    );
    this.acknowledgeWildcards('Upstream VPC CNI per-cluster scope-down (docs/iam-policy.md): interfaces are scoped by the cluster tag and VPC conditions; Describe* has no resource-level permissions.');
  }
}
