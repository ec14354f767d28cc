import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FargateProfileSelector, IdentityMechanism, PodSessionTag, WorkloadChart, WorkloadCluster, WorkloadIdentity } from '../lib';

/** The cluster's name and its Fargate profiles' selectors: every pod of `batch-*`, and the pods of `web` labelled compute=fargate. */
export const FARGATE_CLUSTER = 'campus-mixed';
export const FARGATE_SELECTORS: FargateProfileSelector[] = [
  { profileName: 'batch', namespace: 'batch-*' },
  { profileName: 'web-burst', namespace: 'web', labels: { compute: 'fargate' } },
];
/** The existing Fargate pod execution role of the platform (not a workload role: pods never assume it). */
export const FARGATE_POD_EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/campus-mixed-fargate-pods';

/**
 * A cluster that mixes Fargate and EC2 nodes (docs/fargate.md). The handle is
 * given the Fargate profiles' selectors, and each subject gets the mechanism
 * its pods can use:
 *
 * - ingest, one identity and one role for two ServiceAccounts: the nightly
 *   run in `batch-nightly` (every pod on Fargate, by `batch-*`) gets IRSA, the
 *   streaming ingester in `ingest` (EC2 nodes) Pod Identity. The role trusts
 *   each only by its own mechanism; only the EC2 one has an association.
 * - frontend in `web`, where pods labelled compute=fargate burst onto Fargate:
 *   IRSA (it serves a pod on Fargate and on nodes alike).
 * - api in `web`, declared Pod Identity for its session tags: kept, and its
 *   pods carry no compute=fargate label (WI-K8S-7 checks each pod).
 */
export class FargateMixedStack extends cdk.Stack {
  public readonly ingest: WorkloadIdentity;
  public readonly frontend: WorkloadIdentity;
  public readonly api: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    // The platform's Fargate profiles, declared with the selectors the handle is given.
    FARGATE_SELECTORS.forEach(({ profileName, namespace, labels }) => new eks.CfnFargateProfile(this, `Profile-${profileName}`, {
      clusterName: FARGATE_CLUSTER, fargateProfileName: profileName, podExecutionRoleArn: FARGATE_POD_EXECUTION_ROLE,
      selectors: [{ namespace, labels: Object.entries(labels ?? {}).map(([key, value]) => ({ key, value })) }],
    }));
    const cluster = WorkloadCluster.fromClusterAttributes(this, 'Cluster', {
      // Its own cluster and issuer: every example deploys to one account, where a
      // cluster takes one Pod Identity agent (WI-AWS-10) and an issuer one IAM OIDC provider.
      clusterName: FARGATE_CLUSTER,
      oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE5F4A3B2C1D0E9F8A7B6EXAMPLE',
      // This stack owns the cluster's provider (for the IRSA subjects) and agent add-on (for the Pod Identity ones).
      createOpenIdConnectProvider: true,
      installPodIdentityAgent: true,
      fargateProfileSelectors: FARGATE_SELECTORS,
    });

    this.ingest = new WorkloadIdentity(this, 'Ingest', { cluster, namespace: 'batch-nightly', serviceAccountName: 'ingest' });
    this.ingest.addSubject({ cluster, namespace: 'ingest', serviceAccountName: 'ingest' });
    this.queue('Events').grantSendMessages(this.ingest);

    this.frontend = new WorkloadIdentity(this, 'Frontend', { cluster, namespace: 'web', serviceAccountName: 'frontend' });
    this.queue('Orders').grantSendMessages(this.frontend);

    // Pod Identity's session tags scope each pod to its namespace's prefix: declared, and kept off Fargate.
    this.api = new WorkloadIdentity(this, 'Api', { cluster, namespace: 'web', serviceAccountName: 'api', mechanism: IdentityMechanism.POD_IDENTITY });
    const uploads = new s3.Bucket(this, 'Uploads', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    cdk.Validations.of(uploads).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The example shows the workloads\' identities only; access logging belongs to the account\'s logging setup.',
    });
    this.api.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [uploads.arnForObjects(`${this.api.sessionTag(PodSessionTag.NAMESPACE)}/*`)],
    }));
    cdk.Validations.of(this.api).acknowledge({
      // cdk-nag writes the policy variable ${x} as <x>.
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(uploads.node.defaultChild as s3.CfnBucket)}.Arn>/<${PodSessionTag.NAMESPACE.principalTagKey}>/*]`,
      reason: 'Each api pod reaches the objects below its own namespace only: the prefix is the session tag EKS Pod Identity sends.',
    });
  }

  private queue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, { enforceSSL: true });
    cdk.Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'The example shows the senders\' identities only; the consumer that would own a dead-letter queue is not part of it.',
    });
    return queue;
  }
}

/** The workloads' Kubernetes side, in the cdk8s app of their cluster. */
export function addFargateMixedWorkloads(app: cdk8s.App, stack: FargateMixedStack): void {
  const [nightly, streaming] = stack.ingest.bindings;
  const container = (image: string) => [{ image, securityContext: { user: 1000, group: 1000 } }];
  const ingestNightly = new WorkloadChart(app, 'ingest-nightly', { binding: nightly });
  new kplus.Deployment(ingestNightly, 'ingest', { metadata: { name: 'ingest' }, serviceAccount: ingestNightly.serviceAccount, containers: container('public.ecr.aws/campus/ingest:5.2.0') });
  const ingestStreaming = new WorkloadChart(app, 'ingest-streaming', { binding: streaming });
  new kplus.Deployment(ingestStreaming, 'ingest', { metadata: { name: 'ingest' }, serviceAccount: ingestStreaming.serviceAccount, containers: container('public.ecr.aws/campus/ingest:5.2.0') });

  // The frontend's burst replicas carry the label that sends them to Fargate: IRSA serves them there.
  const frontend = new WorkloadChart(app, 'frontend', { binding: stack.frontend.primaryBinding });
  new kplus.Deployment(frontend, 'frontend-burst', {
    metadata: { name: 'frontend-burst' }, podMetadata: { labels: { compute: 'fargate' } },
    serviceAccount: frontend.serviceAccount, containers: container('public.ecr.aws/campus/frontend:8.0.1'),
  });
  // The api stays on EC2 nodes: no compute=fargate label (WI-K8S-7 would refuse one on Pod Identity).
  const api = new WorkloadChart(app, 'api', { binding: stack.api.primaryBinding });
  new kplus.Deployment(api, 'api', { metadata: { name: 'api' }, serviceAccount: api.serviceAccount, containers: container('public.ecr.aws/campus/api:3.7.0') });
}
