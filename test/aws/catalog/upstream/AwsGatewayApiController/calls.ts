/**
 * aws-application-networking-k8s v2.1.3, with access logs to one bucket as
 * the evaluation app configures it: it finds the Lattice resources it manages
 * by tag (pkg/aws/services/tagging.go GetResources), creates services,
 * listeners, rules and target groups, tags them through the tagging API
 * (TagResources, which also needs the service's TagResource), discovers
 * listener certificates (cert_discovery.go ListCertificates), describes the
 * VPC, and for an AccessLogPolicy creates the log delivery (CloudWatch Logs)
 * or the bucket policy (S3).
 */
import { ACCOUNT, R, REGION } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

const lattice = (resource: string) => `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:${resource}`;
const slr = (service: string, name: string) => `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${name}`;

export const calls: ControllerCalls = () => [
  { call: 'find managed resources: tag:GetResources', expect: 'Allowed', requests: [{ action: 'tag:GetResources', resource: '*' }] },
  {
    call: 'HTTPRoute: CreateService and CreateTargetGroup, tagged',
    expect: 'Allowed',
    requests: [{ action: 'vpc-lattice:CreateService', resource: lattice('service/*') }, { action: 'vpc-lattice:CreateTargetGroup', resource: lattice('targetgroup/*') }],
  },
  { call: 'tag through the tagging API: TagResources and the service\'s TagResource', expect: 'Allowed', requests: [{ action: 'tag:TagResources', resource: '*' }, { action: 'vpc-lattice:TagResource', resource: lattice('service/svc-0123456789abcdef0') }] },
  { call: 'certificate discovery: acm:ListCertificates', expect: 'Allowed', requests: [{ action: 'acm:ListCertificates', resource: '*' }] },
  { call: 'VPC discovery: DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, DescribeTags', expect: 'Allowed', requests: ['DescribeVpcs', 'DescribeSubnets', 'DescribeSecurityGroups', 'DescribeTags'].map(a => ({ action: `ec2:${a}`, resource: '*' })) },
  { call: 'first use: the VPC Lattice service-linked role', expect: 'Allowed', requests: [{ action: 'iam:CreateServiceLinkedRole', resource: slr('vpc-lattice.amazonaws.com', 'AWSServiceRoleForVpcLattice'), context: { 'iam:AWSServiceName': 'vpc-lattice.amazonaws.com' } }] },
  {
    call: 'AccessLogPolicy to CloudWatch Logs: log delivery and the logs resource policy',
    expect: 'Allowed',
    requests: [
      { action: 'vpc-lattice:CreateAccessLogSubscription', resource: lattice('accesslogsubscription/*') },
      { action: 'logs:CreateLogDelivery', resource: '*' }, { action: 'logs:DescribeResourcePolicies', resource: '*' },
      { action: 'logs:PutResourcePolicy', resource: '*' }, { action: 'logs:DescribeLogGroups', resource: '*' },
    ],
  },
  { call: 'AccessLogPolicy to S3: the access log bucket\'s policy', expect: 'Allowed', requests: [{ action: 's3:GetBucketPolicy', resource: `arn:aws:s3:::${R.bucket}` }, { action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::${R.bucket}` }] },
  { call: 'PutBucketPolicy on another bucket', expect: 'Denied', upstream: 'Allowed', requests: [{ action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::${R.otherBucket}` }] },
  { call: 'a service-linked role for another service', expect: 'Denied', requests: [{ action: 'iam:CreateServiceLinkedRole', resource: slr('ecs.amazonaws.com', 'AWSServiceRoleForECS'), context: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } }] },
  { call: 'ec2:CreateVpc', expect: 'Denied', requests: [{ action: 'ec2:CreateVpc', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/*` }] },
];
