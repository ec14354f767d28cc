import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow } from './statement';

/**
 * The AWS Gateway API Controller for VPC Lattice (Helm chart
 * `aws-gateway-controller-chart`, `aws-application-networking-system/gateway-api-controller`).
 * Follows the controller's `files/controller-installation/recommended-inline-policy.json`.
 */
export class AwsGatewayApiControllerIdentity extends HelmIdentity {
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: CatalogIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'oci://public.ecr.aws/aws-application-networking-k8s', chart: 'aws-gateway-controller-chart' },
      defaultNamespace: 'aws-application-networking-system',
      defaultServiceAccountName: 'gateway-api-controller',
      upstream: {
        name: 'aws/aws-application-networking-k8s recommended-inline-policy.json',
        url: 'https://github.com/aws/aws-application-networking-k8s/blob/v1.0.1/examples/recommended-inline-policy.json',
        version: 'v1.0.1, as mirrored by terraform-aws-modules/terraform-aws-eks-pod-identity aws_gateway_controller.tf @ 40a789e',
      },
    });
    this.clusterName = props.cluster.clusterName;
    const account = Stack.of(this).account;
    this.addStatements(
      allow('Describe', ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeTags', 'ec2:DescribeSecurityGroups',
        'logs:GetLogDelivery', 'logs:ListLogDeliveries', 'tags:GetResources'], ['*']),
      allow('LatticeServiceLinkedRole', ['iam:CreateServiceLinkedRole'],
        [this.arnIn('iam', '', account, 'role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice')],
        { StringLike: { 'iam:AWSServiceName': 'vpc-lattice.amazonaws.com' } }),
      allow('LogDeliveryServiceLinkedRole', ['iam:CreateServiceLinkedRole'],
        [this.arnIn('iam', '', account, 'role/aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery')],
        { StringLike: { 'iam:AWSServiceName': 'delivery.logs.amazonaws.com' } }),
    );
    this.addWildcardWriteStatement(allow('VpcLattice', ['vpc-lattice:*', 'logs:CreateLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery'], ['*']),
      'Upstream grants vpc-lattice:* on *: the controller creates and deletes service networks, services, listeners, rules and target groups named from Gateway and HTTPRoute objects, and their access log deliveries; upstream publishes no tag-scoped variant.');
    this.acknowledgeWildcards('Upstream recommended-inline-policy.json grants vpc-lattice:* on *; no tag-scoped variant is published.');
  }

  /** `clusterName` and the ServiceAccount, for the `aws-gateway-controller-chart`. */
  protected chartValues(): { [key: string]: any } {
    return { clusterName: this.clusterName, serviceAccount: this.serviceAccountValues() };
  }
}
