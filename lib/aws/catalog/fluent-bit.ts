import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow } from './statement';

/** Props of `FluentBitIdentity`. */
export interface FluentBitIdentityProps extends CatalogIdentityProps {
  /** The log group Fluent Bit writes to (`cloudWatchLogs.logGroupName`; `auto_create_group` off). */
  readonly logGroup: logs.ILogGroup;
}

/**
 * Fluent Bit shipping container logs to CloudWatch Logs (Helm chart
 * `aws-for-fluent-bit`, `amazon-cloudwatch/fluent-bit`). Follows
 * aws-ia/terraform-aws-eks-blueprints' `aws-for-fluentbit` policy
 * (CreateLogStream, DescribeLogStreams, PutLogEvents), on one log group
 * instead of every group of the account, and without CreateLogGroup.
 */
export class FluentBitIdentity extends HelmIdentity {
  private readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: FluentBitIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-for-fluent-bit' },
      defaultNamespace: 'amazon-cloudwatch',
      defaultServiceAccountName: 'fluent-bit',
      upstream: {
        name: 'aws-ia/terraform-aws-eks-blueprints modules/kubernetes-addons/aws-for-fluentbit/data.tf',
        url: 'https://github.com/aws-ia/terraform-aws-eks-blueprints/blob/v4.32.1/modules/kubernetes-addons/aws-for-fluentbit/data.tf',
        version: 'v4 (the aws-for-fluent-bit add-on of EKS Blueprints)',
      },
    });
    this.logGroupName = props.logGroup.logGroupName;
    this.addStatements(
      allow('Streams', ['logs:CreateLogStream'], [props.logGroup.logGroupArn]),
      allow('PutLogEvents', ['logs:PutLogEvents'], [`${props.logGroup.logGroupArn.replace(/:\*$/, '')}:log-stream:*`]),
    );
    this.acknowledgeWildcards('Log streams are named per pod at runtime: streams of one log group need a wildcard.');
  }

  /** The log group, region and ServiceAccount, for the `aws-for-fluent-bit` chart. */
  protected chartValues(): { [key: string]: any } {
    return {
      cloudWatchLogs: { enabled: true, region: Stack.of(this).region, logGroupName: this.logGroupName, autoCreateGroup: false },
      serviceAccount: this.serviceAccountValues(),
    };
  }
}
