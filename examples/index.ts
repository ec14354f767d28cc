import * as cdk from 'aws-cdk-lib';
import { addCampusWorkloads, CampusStack } from './campus';
import { ExampleOutput } from './example-output';
import { addFargateMixedWorkloads, FargateMixedStack, FARGATE_CLUSTER } from './fargate';
import { addFleetWorkloads, FLEET_CLUSTERS, FLEET_DATA_ACCOUNT, FleetDataStack, FleetStack } from './fleet';
import { addIrsaOnNewClusterWorkloads, IRSA_CAMPUS, IrsaOnNewClusterStack } from './irsa';
import { addMigrationWorkloads, MigrationStack } from './migration';
import { addSelfManagedWorkloads, SELF_MANAGED_CLUSTER, SelfManagedStack } from './self-managed';
import { PLATFORM_CLUSTER, PlatformChart, PlatformStack } from './platform';
import { addPreviewWorkloads, PREVIEW_CLUSTER, PreviewStack } from './preview';

export { ExampleOutput } from './example-output';

/** Every example account and region: placeholders, nothing is deployed. */
export const EXAMPLE_ENV = { account: '123456789012', region: 'eu-west-1' };

/** One example: its stacks go into the CDK app, its charts into one cdk8s app per cluster. */
export interface Example {
  readonly name: string;
  build(awsApp: cdk.App, k8s: ExampleOutput): void;
}

export const EXAMPLES: Example[] = [
  {
    name: 'campus',
    build: (awsApp, k8s) => {
      const stack = new CampusStack(awsApp, 'Campus', { env: EXAMPLE_ENV });
      addCampusWorkloads(k8s.appFor(stack.payment.primaryBinding), stack);
    },
  },
  {
    name: 'irsa',
    build: (awsApp, k8s) => {
      const existing = new CampusStack(awsApp, 'Irsa', { env: EXAMPLE_ENV, ...IRSA_CAMPUS });
      addCampusWorkloads(k8s.appFor(existing.payment.primaryBinding), existing);
      const created = new IrsaOnNewClusterStack(awsApp, 'IrsaOnNewCluster', { env: EXAMPLE_ENV });
      addIrsaOnNewClusterWorkloads(k8s.appFor(created.reader.primaryBinding), created);
      // The GitOps hand-off for the cluster created in the app: its binding carries the cluster's given name.
      k8s.addBindingsFile('analytics.bindings.json', created.reader.bindings);
    },
  },
  {
    name: 'fleet',
    build: (awsApp, k8s) => {
      const stack = new FleetStack(awsApp, 'Fleet', { env: EXAMPLE_ENV });
      new FleetDataStack(awsApp, 'FleetData', { env: { ...EXAMPLE_ENV, account: FLEET_DATA_ACCOUNT }, fleet: stack });
      // Each cluster's folder is what its GitOps application applies.
      for (const clusterName of FLEET_CLUSTERS) { addFleetWorkloads(k8s.app(clusterName), stack, clusterName); }
    },
  },
  {
    name: 'migration',
    build: (awsApp, k8s) => {
      const stack = new MigrationStack(awsApp, 'Migration', { env: EXAMPLE_ENV });
      addMigrationWorkloads(k8s.appFor(stack.notifier.primaryBinding), stack);
    },
  },
  {
    name: 'fargate',
    build: (awsApp, k8s) => {
      const stack = new FargateMixedStack(awsApp, 'FargateMixed', { env: EXAMPLE_ENV });
      addFargateMixedWorkloads(k8s.app(FARGATE_CLUSTER), stack);
    },
  },
  {
    name: 'platform',
    build: (awsApp, k8s) => {
      const stack = new PlatformStack(awsApp, 'Platform', { env: EXAMPLE_ENV });
      const k8sApp = k8s.app(PLATFORM_CLUSTER);
      new PlatformChart(k8sApp, 'platform', stack);
      // Each release's values next to the cluster's manifests: dist/platform/platform/helm/<release>.values.yaml.
      k8s.addHelmReleases(k8sApp, stack.releases());
    },
  },
  {
    name: 'preview',
    build: (awsApp, k8s) => {
      const stack = new PreviewStack(awsApp, 'Preview', { env: EXAMPLE_ENV });
      addPreviewWorkloads(k8s.app(PREVIEW_CLUSTER), stack);
      // The GitOps hand-off: the declared previews' bindings, and the patterns, from which a cdk8s-only repository
      // binds a new preview's IRSA seeder by itself (examples/preview-gitops.ts).
      k8s.addBindingsFile(`${PREVIEW_CLUSTER}.bindings.json`, [stack.web, stack.seeder, stack.staging].flatMap(i => i.bindings),
        [stack.web, stack.seeder].flatMap(i => i.subjectPatterns));
    },
  },
  {
    name: 'self-managed',
    build: (awsApp, k8s) => {
      const stack = new SelfManagedStack(awsApp, 'SelfManaged', { env: EXAMPLE_ENV });
      addSelfManagedWorkloads(k8s.app(SELF_MANAGED_CLUSTER), stack);
      // The same documents as files (to host elsewhere, or to compare), and the API server's flags.
      k8s.addIssuerFiles(SELF_MANAGED_CLUSTER, stack.issuer.documents);
    },
  },
];
