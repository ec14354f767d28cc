import * as cdk from 'aws-cdk-lib';
import { Aws } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';

/** The identity mechanism a run measures. */
export type Mechanism = 'pod-identity' | 'irsa';

/** One way of giving N workloads their AWS identity and ServiceAccount. */
export interface Scenario {
  /** Short name, used on the command line and in the table. */
  readonly name: string;
  /**
   * Declares N workloads into the two apps. Everything the approach needs
   * (cluster reference, OIDC provider, agent add-on, kubectl provider) is
   * declared here too, so it is part of the measured time.
   */
  build(n: number, mechanism: Mechanism, awsApp: cdk.App, k8sApp: cdk8s.App): void;
}

// Placeholders: nothing is deployed.
export const ENV = { account: '123456789012', region: 'eu-west-1' };
export const CLUSTER_NAME = 'bench';
export const CLUSTER_ARN = `arn:aws:eks:${ENV.region}:${ENV.account}:cluster/${CLUSTER_NAME}`;
export const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const ISSUER_KEY = ISSUER.replace(/^https:\/\//, '');
export const AUDIENCE = 'sts.amazonaws.com';

/** The i-th workload: its namespace (ten teams), ServiceAccount and the one bucket it reads. */
export function workload(i: number): { id: string; namespace: string; serviceAccountName: string; bucketArn: string } {
  return {
    id: `Workload${i}`,
    namespace: `team-${i % 10}`,
    serviceAccountName: `workload-${i}`,
    // What s3.Bucket.fromBucketName(...).bucketArn renders, without the import construct.
    bucketArn: `arn:${Aws.PARTITION}:s3:::bench-data-${i}`,
  };
}

/** The grant every approach gives each workload: what bucket.grantRead(...) writes, as one statement. */
export const READ_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*'];
