import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodIdentityWebhookChart, ServiceAccountIssuer, ServiceAccountSigningKey, WorkloadChart, WorkloadIdentity } from '../lib';

/** The self-managed (kubeadm) cluster of this example and the issuer it signs as. */
export const SELF_MANAGED_CLUSTER = 'workshop';
export const SELF_MANAGED_ISSUER = 'https://oidc.example.com/clusters/workshop';

/**
 * IRSA on a cluster that is not EKS: the cluster's ServiceAccount issuer,
 * served from the stack (an API Gateway custom domain answering the discovery
 * document and key set; no Lambda), its IAM OIDC provider, and two workloads
 * whose roles trust exactly that issuer. `sa-signer.pub` is the public half
 * of the API server's `--service-account-signing-key-file`.
 */
export class SelfManagedStack extends cdk.Stack {
  public readonly issuer: ServiceAccountIssuer;
  public readonly ingest: WorkloadIdentity;
  public readonly jobs: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: 'Z0EXAMPLE1234567890AB', zoneName: 'example.com' });
    const certificate = acm.Certificate.fromCertificateArn(this, 'Certificate',
      `arn:aws:acm:${this.region}:${this.account}:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`);
    this.issuer = new ServiceAccountIssuer(this, 'Issuer', {
      clusterName: SELF_MANAGED_CLUSTER,
      issuerUrl: SELF_MANAGED_ISSUER,
      signingKeys: [ServiceAccountSigningKey.fromPem(fs.readFileSync(path.join(__dirname, 'self-managed', 'sa-signer.pub'), 'utf-8'))],
      certificate,
      hostedZone: zone,
    });
    // STS fetches the issuer's documents anonymously; they are public by definition (OIDC discovery).
    for (const [rule, reason] of [
      ['AwsSolutions-APIG1', 'Two static public documents; access logs would need a log group whose retention is the deployer\'s choice.'],
      ['AwsSolutions-APIG2', 'GET-only mock integrations with no request body or parameters to validate.'],
      ['AwsSolutions-APIG3', 'Two static public documents served from mock integrations; throttled at the stage.'],
      ['AwsSolutions-APIG4', 'OIDC discovery is anonymous: STS fetches the discovery document and key set without credentials.'],
      ['AwsSolutions-APIG6', 'Two static public documents; execution logs would need a log group whose retention is the deployer\'s choice.'],
      ['AwsSolutions-COG4', 'OIDC discovery is anonymous: STS fetches the discovery document and key set without credentials.'],
    ]) {
      cdk.Validations.of(this.issuer).acknowledge({ id: rule, reason });
    }

    const uploads = new s3.Bucket(this, 'Uploads', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    cdk.Validations.of(uploads).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Example bucket: server access logs need a separate log bucket whose retention is the deployer\'s choice.',
    });
    const queue = new sqs.Queue(this, 'JobQueue', { enforceSSL: true });
    cdk.Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'Example queue: failed jobs are retried by the producer, not parked.' });

    this.ingest = new WorkloadIdentity(this, 'Ingest', { cluster: this.issuer.cluster, namespace: 'ingest', serviceAccountName: 'ingest' });
    // Writes, and only writes, new objects below incoming/ (grantPut would add s3:Abort*).
    this.ingest.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [uploads.arnForObjects('incoming/*')] }));
    this.jobs = new WorkloadIdentity(this, 'Worker', { cluster: this.issuer.cluster, namespace: 'jobs', serviceAccountName: 'worker' });
    queue.grantConsumeMessages(this.jobs);
    cdk.Validations.of(this.ingest).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(uploads.node.defaultChild as s3.CfnBucket)}.Arn>/incoming/*]`,
      reason: 'Writes new objects below incoming/ of one bucket: every upload gets its own key there.',
    });
  }
}

/** The cluster's YAML: the pod identity webhook, then each workload's ServiceAccount and Deployment. */
export function addSelfManagedWorkloads(app: cdk8s.App, stack: SelfManagedStack): void {
  new PodIdentityWebhookChart(app, 'pod-identity-webhook', { clusterName: SELF_MANAGED_CLUSTER, region: stack.region });
  for (const [identity, image] of [[stack.ingest, 'public.ecr.aws/workshop/ingest:1.0.0'], [stack.jobs, 'public.ecr.aws/workshop/worker:1.0.0']] as const) {
    const chart = new WorkloadChart(app, identity.primaryBinding.serviceAccountName, { binding: identity.primaryBinding });
    new kplus.Deployment(chart, 'deployment', {
      metadata: { name: identity.primaryBinding.serviceAccountName },
      serviceAccount: chart.serviceAccount,
      containers: [{ image, securityContext: { user: 1000, group: 1000 } }],
    });
  }
}
