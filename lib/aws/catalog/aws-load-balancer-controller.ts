import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow, Conditions, conditions } from './statement';

/** Props of `AwsLoadBalancerControllerIdentity`. */
export interface AwsLoadBalancerControllerIdentityProps extends CatalogIdentityProps {
  /**
   * Keep upstream's tag conditions as published: any load balancer, target
   * group or security group tagged `elbv2.k8s.aws/cluster` by ANY cluster's
   * controller. By default the tag must name this cluster.
   *
   * @default false
   */
  readonly anyClusterTag?: boolean;

  /**
   * The cluster's VPC, rendered as the chart's `vpcId` (with `region`), so the
   * controller needs no instance metadata (which WI-AWS-11 asks to lock down).
   *
   * @default - no `vpcId` value: the controller reads the VPC from the node's instance metadata
   */
  readonly vpc?: ec2.IVpc;
}

/**
 * The AWS Load Balancer Controller (Helm chart `aws-load-balancer-controller`,
 * `kube-system/aws-load-balancer-controller`). Follows the controller's
 * `docs/install/iam_policy.json` at v3.5.0, with its tag conditions narrowed from
 * "tagged by a controller" (`Null: false`) to "tagged by this cluster's
 * controller" (`StringEquals elbv2.k8s.aws/cluster = <cluster>`), and the
 * listener, rule and target group ARNs to the stack's account and region.
 */
export class AwsLoadBalancerControllerIdentity extends HelmIdentity {
  private readonly clusterName: string;
  private readonly vpcId?: string;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '3.5.0' },
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'aws-load-balancer-controller',
      autoModeBuiltIn: 'load balancing (the load balancer controller)',
      upstream: {
        name: 'aws-load-balancer-controller docs/install/iam_policy.json',
        url: 'https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/install/iam_policy.json',
        version: 'v3.5.0',
        repository: 'kubernetes-sigs/aws-load-balancer-controller',
        path: 'docs/install/iam_policy.json',
        ref: 'v3.5.0',
        date: '2026-08-03',
        narrowings: [
          'Load balancers, target groups and security groups: the elbv2.k8s.aws/cluster tag must name this cluster (upstream: any value, i.e. any cluster\'s); anyClusterTag restores upstream\'s.',
          'Listeners, rules and target groups: ARNs of the stack\'s account and region (upstream: any); CreateListener/CreateRule/DeleteListener/DeleteRule on those ARNs (upstream: *).',
        ],
      },
    });
    this.clusterName = this.literalClusterName(props.cluster, 'load balancers, target groups and security groups');
    this.vpcId = props.vpc?.vpcId;
    const TAG = 'elbv2.k8s.aws/cluster';
    const requestTagged: Conditions = props.anyClusterTag ? { Null: { [`aws:RequestTag/${TAG}`]: 'false' } } : { StringEquals: { [`aws:RequestTag/${TAG}`]: this.clusterName } };
    const resourceTagged: Conditions = props.anyClusterTag ? { Null: { [`aws:ResourceTag/${TAG}`]: 'false' } } : { StringEquals: { [`aws:ResourceTag/${TAG}`]: this.clusterName } };
    // Changing tags on an existing resource: the request must not set the cluster tag, the resource must carry ours.
    const retagOwn = conditions({ Null: { [`aws:RequestTag/${TAG}`]: 'true' } }, resourceTagged);
    const elb = (resource: string) => this.arn('elasticloadbalancing', resource);
    const loadBalancers = [elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
    const targetGroups = [elb('targetgroup/*/*')];
    const listeners = [elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')];
    const securityGroups = [this.arnIn('ec2', '*', '*', 'security-group/*')];

    this.addStatements(
      allow('ElbServiceLinkedRole', ['iam:CreateServiceLinkedRole'], ['*'], { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } }),
      allow('Describe', [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
        // v2.12+ security group reconciliation, IPAM pools, v2.13+ subnet discovery by route tables.
        'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
        'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate',
        'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource',
        'shield:GetSubscriptionState', 'shield:DescribeProtection',
      ], ['*']),
    );
    this.addWildcardWriteStatement(allow('WafAndShield', [
      'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
      'shield:CreateProtection', 'shield:DeleteProtection',
    ], ['*']), 'Upstream grants these on *: the Web ACL and Shield protection are the ones an Ingress annotation names, chosen by cluster users, not tagged by the controller.');
    this.addWildcardWriteStatement(allow('NodeSecurityGroupIngress', ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:CreateSecurityGroup'], ['*']),
      'Upstream grants these on *: the controller opens the nodes\' and pods\' security groups (which it does not create or tag) to its load balancers, and creates security groups that the TagOnCreate statement forces to carry the cluster tag.');
    this.addStatements(
      allow('TagSecurityGroupOnCreate', ['ec2:CreateTags'], securityGroups, conditions({ StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' } }, requestTagged)),
      allow('RetagOwnSecurityGroups', ['ec2:CreateTags', 'ec2:DeleteTags'], securityGroups, retagOwn),
      allow('ManageOwnSecurityGroups', ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], ['*'], resourceTagged),
      allow('CreateTaggedLoadBalancers', ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], ['*'], requestTagged),
      allow('Listeners', ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule'], [...loadBalancers, ...listeners]),
      allow('RetagOwnLoadBalancers', ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], [...targetGroups, ...loadBalancers], retagOwn),
      allow('TagListeners', ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], listeners),
      allow('ManageOwnLoadBalancers', ['elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools'], ['*'], resourceTagged),
      allow('TagOnCreate', ['elasticloadbalancing:AddTags'], [...targetGroups, ...loadBalancers],
        conditions({ StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] } }, requestTagged)),
      allow('Targets', ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], targetGroups),
      allow('ListenerSettings', ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'], [...loadBalancers, ...listeners]),
    );
    this.acknowledgeWildcards('Upstream iam_policy.json: load balancers, target groups and security groups are scoped by the controller\'s cluster tag (conditions), listeners and rules to the account and region; Describe/Get have no resource-level permissions.');
  }

  /**
   * `clusterName` (the tag its scoping names), `region` and, with `vpc`,
   * `vpcId` (so the controller needs no instance metadata), and the
   * ServiceAccount, for the `aws-load-balancer-controller` chart.
   */
  protected chartValues(): { [key: string]: any } {
    return {
      clusterName: this.clusterName,
      region: Stack.of(this).region,
      ...(this.vpcId ? { vpcId: this.vpcId } : {}),
      serviceAccount: this.serviceAccountValues(),
    };
  }
}
