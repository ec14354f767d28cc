import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IdentityMechanism, WorkloadChart, WorkloadCluster, WorkloadClusterAttributes, WorkloadIdentity } from '../lib';

export interface CampusStackProps extends cdk.StackProps {
  /**
   * The cluster the campus runs on.
   *
   * @default - the existing EKS cluster 'campus'
   */
  readonly cluster?: WorkloadClusterAttributes;
  /**
   * The mechanism of all three workloads.
   *
   * @default - the cluster's default: Pod Identity on EKS
   */
  readonly mechanism?: IdentityMechanism;
}

/**
 * The campus of the badge-system explainer: one EKS cluster with Pod
 * Identity, three workloads, each with only what it needs.
 */
export class CampusStack extends cdk.Stack {
  public readonly payment: WorkloadIdentity;
  public readonly report: WorkloadIdentity;
  public readonly upload: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: CampusStackProps = {}) {
    super(scope, id, props);

    // An existing EKS cluster: Pod Identity is the default there. This stack owns the
    // cluster's add-ons, so it declares the Pod Identity agent (without it, synth notes
    // that the agent must already run on the cluster).
    const cluster = WorkloadCluster.fromClusterAttributes(this, 'Cluster', props.cluster ?? { clusterName: 'campus', installPodIdentityAgent: true });
    const mechanism = props.mechanism;

    // Payment: read one secret, read/write one table.
    const paymentKey = new secretsmanager.Secret(this, 'PaymentApiKey', { description: 'Payment provider API key' });
    cdk.Validations.of(paymentKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The payment provider issues this API key; it is rotated with the provider, which a Secrets Manager rotation function cannot do.',
    });
    const ledger = new dynamodb.TableV2(this, 'Ledger', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    this.payment = new WorkloadIdentity(this, 'Payment', { cluster, mechanism, namespace: 'payments', serviceAccountName: 'payment' });
    paymentKey.grantRead(this.payment);
    ledger.grantReadWriteData(this.payment);

    // Report: connect to one database as one read-only user, with IAM auth.
    const reports = rds.DatabaseInstance.fromDatabaseInstanceAttributes(this, 'ReportsDb', {
      instanceIdentifier: 'reports',
      instanceResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1',
      instanceEndpointAddress: 'reports.abcdefghijkl.eu-west-1.rds.amazonaws.com',
      port: 5432,
      securityGroups: [],
    });
    this.report = new WorkloadIdentity(this, 'Report', { cluster, mechanism, namespace: 'reporting', serviceAccountName: 'report' });
    reports.grantConnect(this.report, 'report_readonly');

    // Upload: write-only, and only below one prefix.
    const uploads = new s3.Bucket(this, 'Uploads', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
    });
    cdk.Validations.of(uploads).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Example bucket: server access logs need a separate log bucket whose retention is the deployer\'s choice.',
    });
    this.upload = new WorkloadIdentity(this, 'Upload', { cluster, mechanism, namespace: 'uploads', serviceAccountName: 'upload' });
    uploads.grantPut(this.upload, 'incoming/*');
    // The wildcards are the least privilege here: object writes below one prefix (test/verify/permissions.test.ts evaluates them).
    cdk.Validations.of(this.upload).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(uploads.node.defaultChild as s3.CfnBucket)}.Arn>/incoming/*]`,
      reason: 'Upload writes objects below incoming/ only; a prefix of object keys needs a wildcard.',
    });
    cdk.Validations.of(this.upload).acknowledge({
      id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
      reason: 'grantPut\'s s3:Abort* matches only s3:AbortMultipartUpload, which a multipart upload needs to clean up.',
    });
  }
}

/**
 * The Kubernetes side, in the cdk8s app of the campus cluster: one chart per
 * workload, in its binding's namespace, with its ServiceAccount and the
 * Deployment that runs as it. The namespaces come with the ServiceAccounts.
 */
export function addCampusWorkloads(app: cdk8s.App, stack: CampusStack): void {
  const payment = new WorkloadChart(app, 'payment', { binding: stack.payment.primaryBinding });
  new kplus.Deployment(payment, 'payment', {
    metadata: { name: 'payment' },
    serviceAccount: payment.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/payment:1.4.2', portNumber: 8080, securityContext: { user: 1000, group: 1000 } }],
  });
  const report = new WorkloadChart(app, 'report', { binding: stack.report.primaryBinding });
  new kplus.Deployment(report, 'report', {
    metadata: { name: 'report' },
    serviceAccount: report.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/report:2.0.1', portNumber: 8080, securityContext: { user: 1000, group: 1000 } }],
  });
  const upload = new WorkloadChart(app, 'upload', { binding: stack.upload.primaryBinding });
  new kplus.Deployment(upload, 'upload', {
    metadata: { name: 'upload' },
    serviceAccount: upload.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/upload:0.9.0', portNumber: 8080, securityContext: { user: 1000, group: 1000 } }],
  });
}
