import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { IWorkloadCluster } from '../cluster/i-workload-cluster';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow } from './statement';

/** Props of `AwsGatewayApiControllerIdentity`. */
export interface AwsGatewayApiControllerIdentityProps extends CatalogIdentityProps {
  /**
   * Let the controller create access log subscriptions (`AccessLogPolicy`
   * resources): CloudWatch Logs log deliveries and their resource policy,
   * and tags on Firehose delivery streams. Log groups and streams are named
   * by cluster users, so these are on `*`.
   *
   * @default false
   */
  readonly accessLogs?: boolean;

  /**
   * S3 buckets access logs are delivered to: the controller may read and
   * set their bucket policies (needs `accessLogs`). Upstream grants this on
   * every bucket of the account.
   *
   * @default - none: no bucket policy permission
   */
  readonly accessLogBuckets?: s3.IBucket[];

  /**
   * The cluster's VPC, rendered as the chart's `clusterVpcId` (with
   * `awsRegion` and `awsAccountId`), so the controller needs no instance
   * metadata (which WI-AWS-11 asks to lock down).
   *
   * @default - no `clusterVpcId` value: the controller reads the VPC from the node's instance metadata
   */
  readonly vpc?: ec2.IVpc;
}

/**
 * The AWS Gateway API Controller for VPC Lattice (Helm chart
 * `aws-gateway-controller-chart`, `aws-application-networking-system/gateway-api-controller`).
 * Follows the controller's `files/controller-installation/recommended-inline-policy.json`,
 * with access logs opt-in and bucket policies only on the buckets given.
 */
export class AwsGatewayApiControllerIdentity extends HelmIdentity {
  private readonly cluster: IWorkloadCluster;
  private readonly vpcId?: string;

  constructor(scope: Construct, id: string, props: AwsGatewayApiControllerIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'oci://public.ecr.aws/aws-application-networking-k8s', chart: 'aws-gateway-controller-chart', version: 'v2.1.3' },
      defaultNamespace: 'aws-application-networking-system',
      defaultServiceAccountName: 'gateway-api-controller',
      upstream: {
        name: 'aws/aws-application-networking-k8s files/controller-installation/recommended-inline-policy.json',
        url: 'https://github.com/aws/aws-application-networking-k8s/blob/v2.1.3/files/controller-installation/recommended-inline-policy.json',
        version: 'v2.1.3',
        repository: 'aws/aws-application-networking-k8s',
        path: 'files/controller-installation/recommended-inline-policy.json',
        ref: 'v2.1.3',
        date: '2026-08-14',
        omitted: [
          {
            actions: ['logs:CreateLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:PutResourcePolicy', 'firehose:TagDeliveryStream'],
            reason: 'They create log deliveries and rewrite the account\'s CloudWatch Logs resource policy; only a cluster that uses AccessLogPolicy needs them.',
            feature: 'access log subscriptions (AccessLogPolicy)',
            option: 'accessLogs',
          },
          {
            actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'],
            reason: 'Upstream lets the controller rewrite the policy of every bucket of the account; granted only on the buckets access logs go to.',
            feature: 'access logs delivered to S3 buckets',
            option: 'accessLogBuckets',
          },
        ],
        narrowings: [
          'The service-linked roles only in the stack\'s account (upstream: any account).',
          's3:GetBucketPolicy and PutBucketPolicy only on accessLogBuckets (upstream: every bucket).',
        ],
      },
    });
    if (props.accessLogBuckets?.length && !props.accessLogs) {
      throw new WorkloadIdentityError(
        `AwsGatewayApiControllerIdentity '${this.node.path}' has accessLogBuckets but not accessLogs: set accessLogs to true to let the controller create access log subscriptions.`, this.node.path);
    }
    this.cluster = props.cluster;
    this.vpcId = props.vpc?.vpcId;
    const account = Stack.of(this).account;
    this.addStatements(
      // tag:GetResources finds the Lattice resources the controller manages (pkg/aws/services/tagging.go);
      // acm:ListCertificates discovers listener certificates (cert_discovery.go).
      allow('Describe', ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeTags', 'ec2:DescribeSecurityGroups',
        'logs:GetLogDelivery', 'logs:ListLogDeliveries', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies',
        'tag:GetResources', 'acm:ListCertificates'], ['*']),
      allow('LatticeServiceLinkedRole', ['iam:CreateServiceLinkedRole'],
        [this.arnIn('iam', '', account, 'role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice')],
        { StringLike: { 'iam:AWSServiceName': 'vpc-lattice.amazonaws.com' } }),
      allow('LogDeliveryServiceLinkedRole', ['iam:CreateServiceLinkedRole'],
        [this.arnIn('iam', '', account, 'role/aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery')],
        { StringLike: { 'iam:AWSServiceName': 'delivery.logs.amazonaws.com' } }),
    );
    this.addWildcardWriteStatement(allow('VpcLattice', ['vpc-lattice:*', 'tag:TagResources', 'tag:UntagResources'], ['*']),
      'Upstream grants vpc-lattice:* on *: the controller creates and deletes service networks, services, listeners, rules and target groups named from ' +
      'Gateway and HTTPRoute objects; upstream publishes no tag-scoped variant. tag:TagResources/UntagResources tag them through the tagging API, ' +
      'which also requires vpc-lattice:TagResource/UntagResource on each resource.');
    if (props.accessLogs) {
      this.addWildcardWriteStatement(allow('AccessLogDeliveries', ['logs:CreateLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
        'logs:PutResourcePolicy', 'firehose:TagDeliveryStream'], ['*']),
      'Access log subscriptions (AccessLogPolicy) deliver to destinations cluster users name: CloudWatch Logs log deliveries and the account\'s ' +
        'logs resource policy have no resource-level permissions, and the delivery stream is chosen per policy.');
      const buckets = (props.accessLogBuckets ?? []).map(b => b.bucketArn);
      if (buckets.length > 0) { this.addStatements(allow('AccessLogBucketPolicies', ['s3:GetBucketPolicy', 's3:PutBucketPolicy'], buckets)); }
    }
    this.acknowledgeWildcards('Upstream recommended-inline-policy.json grants vpc-lattice:* on *; no tag-scoped variant is published.');
  }

  /**
   * `clusterName`, `awsRegion`, `awsAccountId` and, with `vpc`,
   * `clusterVpcId` (so the controller needs no instance metadata), and the
   * ServiceAccount, for the `aws-gateway-controller-chart`.
   */
  protected chartValues(): { [key: string]: any } {
    const stack = Stack.of(this);
    return {
      clusterName: this.literalClusterName(this.cluster, 'its Helm values'),
      awsRegion: stack.region,
      awsAccountId: stack.account,
      ...(this.vpcId ? { clusterVpcId: this.vpcId } : {}),
      serviceAccount: this.serviceAccountValues(),
    };
  }
}
