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
 * `aws-for-fluent-bit`, `amazon-cloudwatch/fluent-bit`). Follows the
 * permissions fluent-bit's docs give its `cloudwatch_logs` output
 * (CreateLogStream, PutLogEvents), on one existing log group instead of
 * every group of the account, without CreateLogGroup or PutRetentionPolicy.
 */
export class FluentBitIdentity extends HelmIdentity {
  private readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: FluentBitIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-for-fluent-bit', version: '0.2.0' },
      defaultNamespace: 'amazon-cloudwatch',
      defaultServiceAccountName: 'fluent-bit',
      upstream: {
        name: 'fluent-bit docs pipeline/outputs/cloudwatch.md (Permissions)',
        url: 'https://github.com/fluent/fluent-bit-docs/blob/f92ae08/pipeline/outputs/cloudwatch.md',
        version: 'f92ae08',
        repository: 'fluent/fluent-bit-docs',
        path: 'pipeline/outputs/cloudwatch.md',
        ref: 'f92ae08',
        date: '2026-08-20',
        omitted: [
          {
            actions: ['logs:CreateLogGroup'],
            reason: 'The entry writes to the log group you pass, which exists: the values set autoCreateGroup false.',
            feature: 'auto_create_group (log groups created by Fluent Bit)',
          },
          {
            actions: ['logs:PutRetentionPolicy'],
            reason: 'The plugin sets retention only on groups it creates (log_retention_days with auto_create_group); set retention on your log group instead.',
            feature: 'log_retention_days',
          },
        ],
        narrowings: [
          'CreateLogStream and PutLogEvents only in the given log group; upstream: every log group.',
        ],
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
