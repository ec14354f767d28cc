import * as cdk from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IdentityMechanism, IWorkloadCluster, WorkloadChart, WorkloadCluster, WorkloadIdentity } from '../lib';

/** The cluster of the preview environments. */
export const PREVIEW_CLUSTER = 'campus-previews';

/** The pull requests with a preview environment today: the Kubernetes side declares a namespace pr-<n> for each. */
export const OPEN_PULL_REQUESTS = [123, 124, 131];

/**
 * Preview environments on one cluster: each pull request gets a namespace
 * `pr-<n>` with the same two workloads, and one role per workload serves
 * them all, through a subject pattern.
 *
 * - web, Pod Identity, `pr-*` then `/web`: the role trusts the pattern on the
 *   session tags; EKS has no wildcard association, so each preview namespace
 *   the cluster's app declares gets its own association (`addPatternMatch`).
 * - seeder, IRSA, `pr-*` then `/seeder`: the role trusts
 *   `system:serviceaccount:pr-*:seeder` under `StringLike`, so a new preview
 *   namespace needs no AWS deployment, only its annotated ServiceAccount.
 * - staging's web is bound exactly, in a namespace no pattern matches: a
 *   pattern that matched it would be refused, naming both identities.
 */
export class PreviewStack extends cdk.Stack {
  public readonly cluster: IWorkloadCluster;
  public readonly web: WorkloadIdentity;
  public readonly seeder: WorkloadIdentity;
  public readonly staging: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    this.cluster = WorkloadCluster.fromClusterAttributes(this, 'Cluster', {
      // Its own cluster and issuer: one Pod Identity agent per cluster, one IAM OIDC provider per issuer.
      clusterName: PREVIEW_CLUSTER,
      installPodIdentityAgent: true,
      createOpenIdConnectProvider: true,
      oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE7A1B2C3D4E5F60718293EXAMPLE',
    });
    // What every web of the cluster reads at start: its feature flags.
    const flags = new ssm.StringParameter(this, 'WebFeatureFlags', { parameterName: '/campus-previews/web/feature-flags', stringValue: '{"checkout":false}' });
    this.web = new WorkloadIdentity(this, 'PreviewWeb', { cluster: this.cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' });
    flags.grantRead(this.web);

    const seedRequests = new sqs.Queue(this, 'SeedRequests', { enforceSSL: true });
    cdk.Validations.of(seedRequests).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'The example shows the workloads\' identities only; the consumer that would own a dead-letter queue is not part of it.',
    });
    this.seeder = new WorkloadIdentity(this, 'PreviewSeeder', {
      cluster: this.cluster, namespacePattern: 'pr-*', serviceAccountName: 'seeder', mechanism: IdentityMechanism.IRSA,
    });
    seedRequests.grantConsumeMessages(this.seeder);

    this.staging = new WorkloadIdentity(this, 'StagingWeb', { cluster: this.cluster, namespace: 'staging', serviceAccountName: 'web' });
    flags.grantRead(this.staging);
  }
}

/** The cluster's Kubernetes side: staging, and one namespace per open pull request, each with its web and seeder. */
export function addPreviewWorkloads(app: cdk8s.App, stack: PreviewStack, pullRequests: number[] = OPEN_PULL_REQUESTS): void {
  const staging = new WorkloadChart(app, 'staging-web', { binding: stack.staging.primaryBinding });
  deployment(staging, 'web', 'public.ecr.aws/campus/web:5.2.0');
  for (const pr of pullRequests) {
    const namespace = `pr-${pr}`;
    // The AWS side learns each preview the cluster declares: the association (Pod Identity) and the binding both sides use.
    const web = new WorkloadChart(app, `${namespace}-web`, { binding: stack.web.addPatternMatch({ cluster: stack.cluster, namespace, serviceAccountName: 'web' }) });
    deployment(web, 'web', `public.ecr.aws/campus/web:pr-${pr}`);
    const seeder = new WorkloadChart(app, `${namespace}-seeder`, { binding: stack.seeder.addPatternMatch({ cluster: stack.cluster, namespace, serviceAccountName: 'seeder' }) });
    deployment(seeder, 'seeder', `public.ecr.aws/campus/seeder:pr-${pr}`);
  }
}

function deployment(chart: WorkloadChart, name: string, image: string): void {
  new kplus.Deployment(chart, name, {
    metadata: { name },
    serviceAccount: chart.serviceAccount,
    containers: [{ image, securityContext: { user: 1000, group: 1000 } }],
  });
}
