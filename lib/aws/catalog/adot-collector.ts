import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { CatalogIdentity, CatalogIdentityProps } from './catalog-identity';
import { allow, validateWorkspaceArn } from './statement';

/** Props of `AdotCollectorIdentity`. */
export interface AdotCollectorIdentityProps extends CatalogIdentityProps {
  /**
   * ARN of the Amazon Managed Service for Prometheus workspace it remote-writes metrics to.
   *
   * @default - no metrics permission
   */
  readonly workspaceArn?: string;

  /**
   * Whether it exports traces to X-Ray.
   *
   * @default false
   */
  readonly traces?: boolean;

  /**
   * Attach the AWS managed `AmazonPrometheusRemoteWriteAccess` and `AWSXrayWriteOnlyAccess`
   * (what the ADOT add-on documentation lists) instead of the scoped document.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
}

/**
 * An AWS Distro for OpenTelemetry collector that the ADOT add-on's operator
 * runs from an `OpenTelemetryCollector` resource (default
 * `opentelemetry-operator-system/adot-collector`; set the resource's
 * `spec.serviceAccount` to `binding.serviceAccountName`). The collector is
 * not an EKS add-on itself, so a standalone association binds it. Follows
 * `AmazonPrometheusRemoteWriteAccess` and `AWSXrayWriteOnlyAccess`, on one workspace.
 */
export class AdotCollectorIdentity extends CatalogIdentity {
  constructor(scope: Construct, id: string, props: AdotCollectorIdentityProps) {
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, props, {
      defaultNamespace: 'opentelemetry-operator-system',
      defaultServiceAccountName: 'adot-collector',
      upstream: {
        name: 'AWS managed policies AmazonPrometheusRemoteWriteAccess + AWSXrayWriteOnlyAccess (EKS user guide, ADOT add-on)',
        url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonPrometheusRemoteWriteAccess.html',
        version: 'AmazonPrometheusRemoteWriteAccess-v1',
        repository: 'AWS managed policy',
        path: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess',
        ref: 'v1',
        date: '2020-12-19',
        awsManagedPolicyNames: ['AmazonPrometheusRemoteWriteAccess', 'AWSXrayWriteOnlyAccess'],
        omitted: [
          {
            actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
            reason: 'Only a collector that exports traces writes to X-Ray.',
            feature: 'the awsxray exporter (traces)',
            option: 'traces',
          },
        ],
        narrowings: [
          'aps:RemoteWrite only on the given workspace; upstream: every workspace of every account.',
        ],
      },
      useAwsManagedPolicy: managed,
    });
    if (managed) { return; }
    if (!props.workspaceArn && !props.traces) {
      throw new WorkloadIdentityError(`AdotCollectorIdentity '${this.node.path}' exports nothing: pass workspaceArn (metrics) or traces: true (X-Ray).`, this.node.path);
    }
    if (props.workspaceArn) {
      validateWorkspaceArn(this.node.path, props.workspaceArn);
      this.addStatements(allow('RemoteWrite', ['aps:RemoteWrite'], [props.workspaceArn]));
    }
    if (props.traces) {
      this.addStatements(allow('XraySampling', ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'], ['*']));
      this.addWildcardWriteStatement(allow('XrayWrites', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
        'X-Ray trace and telemetry writes have no resource-level permissions (AWSXrayWriteOnlyAccess grants them on *).');
      this.acknowledgeWildcards('X-Ray has no resource-level permissions.');
    }
  }
}
