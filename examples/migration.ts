import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  IdentityMechanism, KubernetesGuardrails, MigrationPhase, WorkloadChart, WorkloadCluster, WorkloadIdentity, WorkloadRuntime,
} from '../lib';

/** The existing Fargate pod execution role of the platform (not a workload role: pods never assume it). */
export const MIGRATION_FARGATE_POD_ROLE = 'arn:aws:iam::123456789012:role/campus-migration-fargate-pods';

/**
 * A staged migration, one workload per phase on one cluster. Each phase is one
 * deployment; going back is declaring the phase before (docs/migration.md).
 *
 * - notifier, IRSA to Pod Identity, SWITCHED: the role trusts both, the
 *   association exists and the ServiceAccount keeps its IRSA annotation. The
 *   EKS pod identity webhook gives pods started from now on only the Pod
 *   Identity credentials (container credentials take precedence); pods started
 *   before keep IRSA until the Deployment is rolled.
 * - archiver, IRSA to Pod Identity, FINISHED: the web-identity statement and
 *   the annotation are gone. The OIDC provider stays only because the
 *   notifier and the reporter still use IRSA on this issuer.
 * - reporter, Pod Identity to IRSA, SWITCHED: its namespace moves onto
 *   Fargate, where Pod Identity gives no credentials. The association is gone
 *   (WI-AWS-12 would refuse it next to the Fargate profile), the role keeps
 *   its Pod Identity statement as the way back until FINISHED.
 */
export class MigrationStack extends cdk.Stack {
  public readonly notifier: WorkloadIdentity;
  public readonly archiver: WorkloadIdentity;
  public readonly reporter: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    const cluster = WorkloadCluster.fromClusterAttributes(this, 'Cluster', {
      // Its own cluster and issuer: every example deploys to one account, where a
      // cluster takes one Pod Identity agent (WI-AWS-10) and an issuer one IAM OIDC provider.
      clusterName: 'campus-migration',
      // This stack owns the cluster's add-ons: it declares the Pod Identity agent
      // and the IAM OIDC provider of its issuer.
      installPodIdentityAgent: true,
      createOpenIdConnectProvider: true,
      oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE2B7C4D9E1F0A3B5C6DEXAMPLE',
    });
    const notifications = this.queue('Notifications');
    this.notifier = new WorkloadIdentity(this, 'Notifier', {
      cluster, namespace: 'notifications', serviceAccountName: 'notifier',
      migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED },
    });
    notifications.grantSendMessages(this.notifier);

    const archiveRequests = this.queue('ArchiveRequests');
    this.archiver = new WorkloadIdentity(this, 'Archiver', {
      cluster, namespace: 'archive', serviceAccountName: 'archiver',
      migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.FINISHED },
    });
    archiveRequests.grantConsumeMessages(this.archiver);

    const reports = this.queue('Reports');
    this.reporter = new WorkloadIdentity(this, 'Reporter', {
      cluster, namespace: 'reports', serviceAccountName: 'reporter',
      migration: { to: IdentityMechanism.IRSA, phase: MigrationPhase.SWITCHED },
    });
    reports.grantSendMessages(this.reporter);
    // Declared with SWITCHED, not before: in PREPARED the association still exists and Pod Identity on Fargate is refused.
    new eks.CfnFargateProfile(this, 'ReportsOnFargate', {
      clusterName: 'campus-migration',
      podExecutionRoleArn: MIGRATION_FARGATE_POD_ROLE,
      selectors: [{ namespace: 'reports' }],
    });
  }

  private queue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, { enforceSSL: true });
    cdk.Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'The example shows the workloads\' identities only; the consumer that would own a dead-letter queue is not part of it.',
    });
    return queue;
  }
}

/** The workloads' Kubernetes side, in the cdk8s app of their cluster. */
export function addMigrationWorkloads(app: cdk8s.App, stack: MigrationStack): void {
  const notifier = new WorkloadChart(app, 'notifier', { binding: stack.notifier.primaryBinding });
  new kplus.Deployment(notifier, 'notifier', {
    metadata: { name: 'notifier' },
    serviceAccount: notifier.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/notifier:3.1.0', securityContext: { user: 1000, group: 1000 } }],
  });
  const archiver = new WorkloadChart(app, 'archiver', { binding: stack.archiver.primaryBinding });
  new kplus.Deployment(archiver, 'archiver', {
    metadata: { name: 'archiver' },
    serviceAccount: archiver.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/archiver:1.4.2', securityContext: { user: 1000, group: 1000 } }],
  });
  const reporter = new WorkloadChart(app, 'reporter', { binding: stack.reporter.primaryBinding });
  const reports = new kplus.Deployment(reporter, 'reporter', {
    metadata: { name: 'reporter' },
    serviceAccount: reporter.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/reporter:2.0.0', securityContext: { user: 1000, group: 1000 } }],
  });
  // The Fargate profile runs its namespace there: WI-K8S-7 checks it is not on Pod Identity.
  KubernetesGuardrails.markRuntime(reports, WorkloadRuntime.FARGATE);
}
