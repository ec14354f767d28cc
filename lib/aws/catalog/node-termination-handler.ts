import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { literalQueueUrl } from './literal-values';
import { allow } from './statement';

/** Props of `NodeTerminationHandlerIdentity`. */
export interface NodeTerminationHandlerIdentityProps extends CatalogIdentityProps {
  /** The queue the EventBridge rules send interruption events to (Queue Processor mode). */
  readonly queue: sqs.IQueue;

  /**
   * Send lifecycle heartbeats while draining, at this interval (the chart's
   * `heartbeatInterval`, 30 seconds to 1 hour): extends a termination
   * lifecycle hook beyond its heartbeat timeout, up to 48 hours. Grants
   * `autoscaling:RecordLifecycleActionHeartbeat`.
   *
   * @default - no heartbeats (the chart's default)
   */
  readonly heartbeatInterval?: Duration;
}

/**
 * The AWS Node Termination Handler in Queue Processor mode (Helm chart
 * `aws-node-termination-handler`, `kube-system/aws-node-termination-handler`;
 * IMDS mode needs no AWS identity). Follows NTH's README "Create an IAM role
 * for the pods": messages of the one queue, lifecycle actions of the
 * account's groups.
 */
export class NodeTerminationHandlerIdentity extends HelmIdentity {
  private readonly queueUrl: string;
  private readonly heartbeatSeconds?: number;

  constructor(scope: Construct, id: string, props: NodeTerminationHandlerIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'oci://public.ecr.aws/aws-ec2/helm', chart: 'aws-node-termination-handler', version: '0.27.6' },
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'aws-node-termination-handler',
      upstream: {
        name: 'aws/aws-node-termination-handler README.md (Queue Processor: Create an IAM Role for the Pods)',
        url: 'https://github.com/aws/aws-node-termination-handler/blob/v1.25.6/README.md#5-create-an-iam-role-for-the-pods',
        version: 'v1.25.6',
        repository: 'aws/aws-node-termination-handler',
        path: 'README.md',
        ref: 'v1.25.6',
        date: '2026-04-02',
        additions: [
          { actions: ['autoscaling:RecordLifecycleActionHeartbeat'], reason: 'Lifecycle heartbeats (README "Issuing Lifecycle Heartbeats", chart heartbeatInterval, pkg/monitor/sqsevent) renew the termination hook while draining; upstream\'s policy predates them. Only with heartbeatInterval.' },
          { actions: ['kms:Decrypt'], reason: 'A queue encrypted with a customer managed key: ReceiveMessage decrypts with the caller\'s KMS permission; granted only on the queue\'s key.' },
        ],
        narrowings: [
          'sqs:ReceiveMessage and DeleteMessage only on the given queue; upstream: every queue.',
          'CompleteLifecycleAction only on Auto Scaling groups of the stack\'s account and region; upstream: any.',
        ],
      },
    });
    this.queueUrl = literalQueueUrl(props.queue);
    if (props.heartbeatInterval !== undefined) {
      const seconds = props.heartbeatInterval.toSeconds();
      if (seconds < 30 || seconds > 3600) {
        throw new WorkloadIdentityError(`Invalid heartbeatInterval of NodeTerminationHandlerIdentity '${this.node.path}': ${seconds} seconds; the handler accepts 30 to 3600 seconds.`, this.node.path);
      }
      this.heartbeatSeconds = seconds;
    }
    const lifecycle = ['autoscaling:CompleteLifecycleAction', ...(this.heartbeatSeconds !== undefined ? ['autoscaling:RecordLifecycleActionHeartbeat'] : [])];
    this.addStatements(
      allow('Describe', ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeTags', 'ec2:DescribeInstances'], ['*']),
      allow('CompleteLifecycleActions', lifecycle, [this.arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')]),
      allow('ConsumeQueue', ['sqs:DeleteMessage', 'sqs:ReceiveMessage'], [props.queue.queueArn]),
    );
    if (props.queue.encryptionMasterKey) { this.addStatements(allow('QueueKey', ['kms:Decrypt'], [props.queue.encryptionMasterKey.keyArn])); }
    this.acknowledgeWildcards('Upstream NTH policy: Describe* has no resource-level permissions; lifecycle actions on the account and region\'s Auto Scaling groups, whose names are not known here.');
  }

  /** Queue Processor mode with the queue URL and the ServiceAccount, for the `aws-node-termination-handler` chart. */
  protected chartValues(): { [key: string]: any } {
    return {
      enableSqsTerminationDraining: true,
      queueURL: this.queueUrl,
      ...(this.heartbeatSeconds !== undefined ? { heartbeatInterval: this.heartbeatSeconds } : {}),
      serviceAccount: this.serviceAccountValues(),
    };
  }
}
