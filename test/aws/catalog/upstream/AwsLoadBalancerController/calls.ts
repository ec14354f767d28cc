/**
 * AWS Load Balancer Controller v3.5.0 in normal operation
 * (kubernetes-sigs/aws-load-balancer-controller at the tag): an Ingress (ALB)
 * and a Service of type LoadBalancer (NLB). pkg/deploy/elbv2: CreateLoadBalancer,
 * CreateTargetGroup with the tags elbv2.k8s.aws/cluster=<cluster> and the
 * stack tags, tagged at creation; CreateListener, CreateRule, ModifyRule,
 * SetRulePriorities (rule reordering, v2.12+); RegisterTargets;
 * Modify*Attributes on its own resources; pkg/deploy/ec2: CreateSecurityGroup
 * tagged at creation, AuthorizeSecurityGroupIngress on the nodes' security
 * groups; pkg/networking: DescribeRouteTables (subnet discovery, v2.13+),
 * GetSecurityGroupsForVpc; pkg/deploy/wafv2, shield.
 */
import { ACCOUNT, CLUSTER, REGION } from '../../catalog-app';
import { AuthorizationRequest, ControllerCalls } from '../controller-calls';

const OTHER = 'other-cluster';
const OTHER_ACCOUNT = '210987654321';
const elb = (resource: string, account = ACCOUNT) => `arn:aws:elasticloadbalancing:${REGION}:${account}:${resource}`;
const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;
const TAG = 'elbv2.k8s.aws/cluster';
const stackTags = (cluster: string) => ({ [`aws:RequestTag/${TAG}`]: cluster, 'aws:RequestTag/ingress.k8s.aws/stack': 'shop/web', 'aws:TagKeys': [TAG, 'ingress.k8s.aws/stack', 'ingress.k8s.aws/resource'] });
const own = (cluster = CLUSTER) => ({ [`aws:ResourceTag/${TAG}`]: cluster });

function loadBalancer(kind: 'app' | 'net', cluster = CLUSTER): AuthorizationRequest[] {
  const lb = elb(`loadbalancer/${kind}/k8s-shop-web-1234567890/50dc6c495c0c9188`);
  const listener = elb(`listener/${kind}/k8s-shop-web-1234567890/50dc6c495c0c9188/f2f7dc8efc522ab2`);
  const tg = elb('targetgroup/k8s-shop-web-abcdef0123/73e2d6bc24d8a067');
  return [
    { action: 'elasticloadbalancing:CreateLoadBalancer', resource: lb, context: stackTags(cluster) },
    { action: 'elasticloadbalancing:AddTags', resource: lb, context: { ...stackTags(cluster), 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer' } },
    { action: 'elasticloadbalancing:CreateTargetGroup', resource: tg, context: stackTags(cluster) },
    // (AddTags on the new target group: iam-simulate's reference lists no target group resource for AddTags, so it is not evaluated.)
    { action: 'elasticloadbalancing:CreateListener', resource: lb },
    { action: 'elasticloadbalancing:RegisterTargets', resource: tg },
    { action: 'elasticloadbalancing:ModifyLoadBalancerAttributes', resource: lb, context: own(cluster) },
    { action: 'elasticloadbalancing:ModifyTargetGroupAttributes', resource: tg, context: own(cluster) },
    { action: 'elasticloadbalancing:ModifyListener', resource: listener },
  ];
}

export const calls: ControllerCalls = () => [
  { call: 'discovery: subnets by route tables (v2.13+), security groups of the VPC, describes', expect: 'Allowed', requests: [
    'ec2:DescribeRouteTables', 'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
    'ec2:DescribeIpamPools', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeCapacityReservation',
    'elasticloadbalancing:DescribeListenerAttributes', 'acm:ListCertificates', 'wafv2:GetWebACLForResource', 'shield:GetSubscriptionState',
  ].map(action => ({ action, resource: '*' })) },
  { call: 'Ingress: ALB, target group, listener, tagged with this cluster', expect: 'Allowed', requests: loadBalancer('app') },
  { call: 'Ingress: rules created, modified and reordered (SetRulePriorities, v2.12+)', expect: 'Allowed', requests: [
    { action: 'elasticloadbalancing:CreateRule', resource: elb('listener/app/k8s-shop-web-1234567890/50dc6c495c0c9188/f2f7dc8efc522ab2') },
    { action: 'elasticloadbalancing:ModifyRule', resource: elb('listener-rule/app/k8s-shop-web-1234567890/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee') },
    { action: 'elasticloadbalancing:SetRulePriorities', resource: elb('listener-rule/app/k8s-shop-web-1234567890/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee') },
    { action: 'elasticloadbalancing:DeleteRule', resource: elb('listener-rule/app/k8s-shop-web-1234567890/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee') },
  ] },
  { call: 'Ingress: WAFv2 Web ACL and Shield protection from annotations', expect: 'Allowed', requests: [
    { action: 'wafv2:AssociateWebACL', resource: '*' }, { action: 'shield:CreateProtection', resource: '*' },
  ] },
  { call: 'Service: NLB, target group, listener, tagged with this cluster', expect: 'Allowed', requests: loadBalancer('net') },
  { call: 'security groups: create its own tagged, open the nodes\' to it', expect: 'Allowed', requests: [
    { action: 'ec2:CreateSecurityGroup', resource: ec2('security-group/*'), context: stackTags(CLUSTER) },
    { action: 'ec2:CreateSecurityGroup', resource: ec2('vpc/vpc-0123456789abcdef0') },
    { action: 'ec2:CreateTags', resource: ec2('security-group/*'), context: { ...stackTags(CLUSTER), 'ec2:CreateAction': 'CreateSecurityGroup' } },
    { action: 'ec2:AuthorizeSecurityGroupIngress', resource: ec2('security-group/sg-0node') },
    { action: 'ec2:DeleteSecurityGroup', resource: ec2('security-group/sg-0lb'), context: own() },
  ] },
  { call: 'deletion: its load balancer and target group', expect: 'Allowed', requests: [
    { action: 'elasticloadbalancing:DeleteLoadBalancer', resource: elb('loadbalancer/app/k8s-shop-web-1234567890/50dc6c495c0c9188'), context: own() },
    { action: 'elasticloadbalancing:DeleteTargetGroup', resource: elb('targetgroup/k8s-shop-web-abcdef0123/73e2d6bc24d8a067'), context: own() },
  ] },
  { call: 'service-linked role of Elastic Load Balancing', expect: 'Allowed', requests: [{ action: 'iam:CreateServiceLinkedRole', resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`, context: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } }] },
  // Out of scope.
  { call: 'create a load balancer tagged for another cluster', expect: 'Denied', upstream: 'Allowed', requests: loadBalancer('app', OTHER) },
  { call: 'delete another cluster\'s load balancer', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'elasticloadbalancing:DeleteLoadBalancer', resource: elb('loadbalancer/app/k8s-other/1'), context: own(OTHER) }] },
  { call: 'delete another cluster\'s security group', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 'ec2:DeleteSecurityGroup', resource: ec2('security-group/sg-1'), context: own(OTHER) }] },
  { call: 'delete an untagged load balancer', expect: 'Denied', requests: [{ action: 'elasticloadbalancing:DeleteLoadBalancer', resource: elb('loadbalancer/app/payments/1'), context: { 'aws:ResourceTag/team': 'payments' } }] },
  { call: 'register targets in another account\'s target group', expect: 'Denied', requests: [{ action: 'elasticloadbalancing:RegisterTargets', resource: elb('targetgroup/k8s-shop/1', OTHER_ACCOUNT) }] },
  { call: 'another service\'s service-linked role', expect: 'Denied', requests: [{ action: 'iam:CreateServiceLinkedRole', resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`, context: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } }] },
  { call: 'terminate an instance', expect: 'Denied', requests: [{ action: 'ec2:TerminateInstances', resource: ec2('instance/i-1') }] },
];
