import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { AddonIdentity, AddonIdentityProps } from './addon-identity';
import { allow } from './statement';

/** Props of `CloudWatchObservabilityIdentity`. */
export interface CloudWatchObservabilityIdentityProps extends AddonIdentityProps {
  /**
   * Attach the AWS managed `CloudWatchAgentServerPolicy` and `AWSXrayWriteOnlyAccess`
   * (what AWS recommends) instead of the scoped document.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
}

/**
 * The CloudWatch agent of Container Insights (`amazon-cloudwatch-observability`
 * add-on, `amazon-cloudwatch/cloudwatch-agent`). AWS recommends
 * `CloudWatchAgentServerPolicy` and `AWSXrayWriteOnlyAccess` (as
 * terraform-aws-eks-pod-identity attaches them); the scoped alternative
 * writes only this cluster's `/aws/containerinsights/<cluster>/` log groups,
 * Application Signals' `/aws/application-signals/data`, and the Container
 * Insights and Application Signals metric namespaces.
 */
export class CloudWatchObservabilityIdentity extends AddonIdentity {
  constructor(scope: Construct, id: string, props: CloudWatchObservabilityIdentityProps) {
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, props, {
      addonName: 'amazon-cloudwatch-observability',
      defaultNamespace: 'amazon-cloudwatch',
      defaultServiceAccountName: 'cloudwatch-agent',
      upstream: {
        name: 'AWS managed policies CloudWatchAgentServerPolicy + AWSXrayWriteOnlyAccess',
        url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudWatchAgentServerPolicy.html',
        version: 'CloudWatchAgentServerPolicy-v3',
        repository: 'AWS managed policy',
        path: 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
        ref: 'v3',
        date: '2024-02-06',
        awsManagedPolicyNames: ['CloudWatchAgentServerPolicy', 'AWSXrayWriteOnlyAccess'],
        narrowings: [
          'cloudwatch:PutMetricData only in the ContainerInsights and ApplicationSignals namespaces; upstream: any namespace.',
          'Log groups only /aws/containerinsights/<cluster>/* and /aws/application-signals/data (the add-on\'s Container Insights, Fluent Bit and Application Signals groups); upstream: every log group of every account and region.',
          'ssm:GetParameter on AmazonCloudWatch-* parameters of the stack\'s account and region; upstream: any account and region.',
        ],
      },
      useAwsManagedPolicy: managed,
    });
    if (managed) { return; }
    const clusterName = this.literalClusterName(props.cluster, 'its log groups');
    if (clusterName.includes('*')) { throw new WorkloadIdentityError(`Invalid cluster name '${clusterName}'.`, this.node.path); }
    const groups = this.arn('logs', `log-group:/aws/containerinsights/${clusterName}/*`);
    // Application Signals, on by default in the add-on (chart values applicationSignals.enabled), sends its EMF
    // metrics to this account-wide group.
    const appSignals = this.arn('logs', 'log-group:/aws/application-signals/data');
    this.addStatements(
      allow('Metrics', ['cloudwatch:PutMetricData'], ['*'], { StringEquals: { 'cloudwatch:namespace': ['ContainerInsights', 'ApplicationSignals'] } }),
      allow('Describe', ['ec2:DescribeVolumes', 'ec2:DescribeTags', 'logs:DescribeLogGroups'], ['*']),
      allow('ClusterLogGroups', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutRetentionPolicy'], [groups, appSignals, `${appSignals}:*`]),
      allow('ClusterLogEvents', ['logs:PutLogEvents'], [`${groups}:log-stream:*`, `${appSignals}:log-stream:*`]),
      allow('AgentConfig', ['ssm:GetParameter'], [this.arn('ssm', 'parameter/AmazonCloudWatch-*')]),
      allow('XrayReads', ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'], ['*']),
    );
    this.addWildcardWriteStatement(allow('XrayWrites', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
      'X-Ray trace and telemetry writes have no resource-level permissions (AWSXrayWriteOnlyAccess grants them on *).');
    this.acknowledgeWildcards('CloudWatch metrics and X-Ray have no resource-level permissions (metrics limited by namespace condition); logs are limited to this cluster\'s Container Insights groups.');
  }
}
