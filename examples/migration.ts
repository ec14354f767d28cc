import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IdentityMechanism, WorkloadChart, WorkloadCluster, WorkloadIdentity } from '../lib';

/**
 * A workload moving from IRSA to Pod Identity. In BOTH the role trusts both,
 * the association exists and the ServiceAccount keeps its IRSA annotation.
 * The EKS pod identity webhook then injects only the Pod Identity credentials
 * (container credentials take precedence); removing the association falls back
 * to IRSA at the next pod start. Finish by switching to POD_IDENTITY.
 */
export class MigrationStack extends cdk.Stack {
  public readonly notifier: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    const cluster = WorkloadCluster.fromClusterAttributes(this, 'Cluster', {
      // Its own cluster and issuer: every example deploys to one account, where a
      // cluster takes one Pod Identity agent (WI-AWS-10) and an issuer one IAM OIDC provider.
      clusterName: 'campus-migration',
      // This stack owns the cluster's add-ons: it declares the Pod Identity agent.
      installPodIdentityAgent: true,
      oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE2B7C4D9E1F0A3B5C6DEXAMPLE',
    });
    const notifications = new sqs.Queue(this, 'Notifications', { enforceSSL: true });
    cdk.Validations.of(notifications).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'The example shows the sender\'s identity only; the consumer that would own a dead-letter queue is not part of it.',
    });
    this.notifier = new WorkloadIdentity(this, 'Notifier', {
      cluster, namespace: 'notifications', serviceAccountName: 'notifier', mechanism: IdentityMechanism.BOTH,
    });
    notifications.grantSendMessages(this.notifier);
  }
}

/** The notifier's Kubernetes side, in the cdk8s app of its cluster. */
export function addMigrationWorkloads(app: cdk8s.App, stack: MigrationStack): void {
  const notifier = new WorkloadChart(app, 'notifier', { binding: stack.notifier.primaryBinding });
  new kplus.Deployment(notifier, 'notifier', {
    metadata: { name: 'notifier' },
    serviceAccount: notifier.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/notifier:3.1.0', securityContext: { user: 1000, group: 1000 } }],
  });
}
