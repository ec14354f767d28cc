import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow, validateWorkspaceArn } from './statement';

/** Props of the Amazon Managed Service for Prometheus identities. */
export interface PrometheusWorkspaceIdentityProps extends CatalogIdentityProps {
  /** ARN of the workspace (`aps.CfnWorkspace.attrArn`, or `arn:aws:aps:<region>:<account>:workspace/ws-...`). */
  readonly workspaceArn: string;

  /**
   * Attach the AWS managed policy (`AmazonPrometheusRemoteWriteAccess` or
   * `AmazonPrometheusQueryAccess`) instead of the scoped document: every workspace of the account.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
}

/**
 * Prometheus server remote-writing to Amazon Managed Service for Prometheus
 * (Helm chart `prometheus`, `prometheus/amp-iamproxy-ingest-service-account`
 * as in the AMP user guide's set-up-irsa). Follows `AmazonPrometheusRemoteWriteAccess`
 * (`aps:RemoteWrite`), on one workspace.
 */
export class PrometheusIngestIdentity extends HelmIdentity {
  private readonly workspaceArn: string;

  constructor(scope: Construct, id: string, props: PrometheusWorkspaceIdentityProps) {
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, props, {
      chart: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'prometheus', version: '29.27.0' },
      defaultNamespace: 'prometheus',
      defaultServiceAccountName: 'amp-iamproxy-ingest-service-account',
      upstream: {
        name: 'AWS managed policy AmazonPrometheusRemoteWriteAccess; AMP user guide set-up-irsa (ingest)',
        url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonPrometheusRemoteWriteAccess.html',
        version: 'AmazonPrometheusRemoteWriteAccess-v1',
        repository: 'AWS managed policy',
        path: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess',
        ref: 'v1',
        date: '2020-12-19',
        awsManagedPolicyNames: ['AmazonPrometheusRemoteWriteAccess'],
        narrowings: [
          'aps:RemoteWrite only on the given workspace; upstream: every workspace of every account.',
        ],
      },
      useAwsManagedPolicy: managed,
    });
    validateWorkspaceArn(this.node.path, props.workspaceArn);
    this.workspaceArn = props.workspaceArn;
    if (!managed) { this.addStatements(allow('RemoteWrite', ['aps:RemoteWrite'], [props.workspaceArn])); }
  }

  /** The server's ServiceAccount and a SigV4 remote write to the workspace, for the `prometheus` chart. */
  protected chartValues(): { [key: string]: any } {
    const region = Stack.of(this).region;
    const workspaceId = Token.isUnresolved(this.workspaceArn) ? this.workspaceArn : this.workspaceArn.split('/').pop();
    return {
      serviceAccounts: { server: this.serviceAccountValues() },
      server: { remoteWrite: [{ url: `https://aps-workspaces.${region}.amazonaws.com/workspaces/${workspaceId}/api/v1/remote_write`, sigv4: { region } }] },
    };
  }
}

/**
 * A query client of Amazon Managed Service for Prometheus (Grafana or the
 * AMP query proxy; Helm chart `grafana`, `prometheus/amp-iamproxy-query-service-account`
 * as in the AMP user guide's set-up-irsa). Follows `AmazonPrometheusQueryAccess`
 * (`aps:QueryMetrics`, `GetSeries`, `GetLabels`, `GetMetricMetadata`), on one workspace.
 */
export class PrometheusQueryIdentity extends HelmIdentity {
  constructor(scope: Construct, id: string, props: PrometheusWorkspaceIdentityProps) {
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, props, {
      chart: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'grafana', version: '12.11.1' },
      defaultNamespace: 'prometheus',
      defaultServiceAccountName: 'amp-iamproxy-query-service-account',
      upstream: {
        name: 'AWS managed policy AmazonPrometheusQueryAccess; AMP user guide set-up-irsa (query)',
        url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonPrometheusQueryAccess.html',
        version: 'AmazonPrometheusQueryAccess-v1',
        repository: 'AWS managed policy',
        path: 'arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess',
        ref: 'v1',
        date: '2020-12-19',
        awsManagedPolicyNames: ['AmazonPrometheusQueryAccess'],
        narrowings: [
          'Queries only on the given workspace; upstream: every workspace of every account.',
        ],
      },
      useAwsManagedPolicy: managed,
    });
    validateWorkspaceArn(this.node.path, props.workspaceArn);
    if (!managed) { this.addStatements(allow('Query', ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'], [props.workspaceArn])); }
  }

  /** The ServiceAccount, for the `grafana` chart. */
  protected chartValues(): { [key: string]: any } {
    return { serviceAccount: this.serviceAccountValues() };
  }
}
