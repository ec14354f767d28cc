import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { CampusChart, CampusStack } from './campus';
import { FLEET_CLUSTERS, FleetChart, FleetStack } from './fleet';
import { IRSA_CAMPUS, IrsaOnNewClusterChart, IrsaOnNewClusterStack } from './irsa';
import { MigrationChart, MigrationStack } from './migration';
import { PlatformChart, PlatformStack, writeHelmValuesOnSynth } from './platform';

/** Every example account and region: placeholders, nothing is deployed. */
export const EXAMPLE_ENV = { account: '123456789012', region: 'eu-west-1' };

/** One example: its stacks go into the CDK app, its charts into its own cdk8s app. */
export interface Example {
  readonly name: string;
  build(awsApp: cdk.App, k8sApp: cdk8s.App): void;
}

export const EXAMPLES: Example[] = [
  {
    name: 'campus',
    build: (awsApp, k8sApp) => {
      const stack = new CampusStack(awsApp, 'Campus', { env: EXAMPLE_ENV });
      new CampusChart(k8sApp, 'campus', stack);
    },
  },
  {
    name: 'irsa',
    build: (awsApp, k8sApp) => {
      const existing = new CampusStack(awsApp, 'Irsa', { env: EXAMPLE_ENV, ...IRSA_CAMPUS });
      new CampusChart(k8sApp, 'irsa', existing);
      const created = new IrsaOnNewClusterStack(awsApp, 'IrsaOnNewCluster', { env: EXAMPLE_ENV });
      new IrsaOnNewClusterChart(k8sApp, 'irsa-on-new-cluster', created);
    },
  },
  {
    name: 'fleet',
    build: (awsApp, k8sApp) => {
      const stack = new FleetStack(awsApp, 'Fleet', { env: EXAMPLE_ENV });
      for (const clusterName of FLEET_CLUSTERS) { new FleetChart(k8sApp, `fleet-${clusterName}`, stack, clusterName); }
    },
  },
  {
    name: 'migration',
    build: (awsApp, k8sApp) => {
      const stack = new MigrationStack(awsApp, 'Migration', { env: EXAMPLE_ENV });
      new MigrationChart(k8sApp, 'migration', stack);
    },
  },
  {
    name: 'platform',
    build: (awsApp, k8sApp) => {
      const stack = new PlatformStack(awsApp, 'Platform', { env: EXAMPLE_ENV });
      new PlatformChart(k8sApp, 'platform', stack);
      writeHelmValuesOnSynth(k8sApp, stack);
    },
  },
];
