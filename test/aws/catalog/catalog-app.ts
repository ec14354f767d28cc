/**
 * Every catalog entry on one cluster, with literal scoping inputs, so unit
 * tests and the evaluation (test/verify/catalog-permissions.test.ts) can
 * name in-scope and out-of-scope resources exactly.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  AdotCollectorIdentity, AwsGatewayApiControllerIdentity, AwsLoadBalancerControllerIdentity, AwsPrivateCaIssuerIdentity, CatalogIdentity,
  CertManagerIdentity, CloudWatchObservabilityIdentity, ClusterAutoscalerIdentity, EbsCsiDriverIdentity, EfsCsiDriverIdentity, ExternalDnsIdentity,
  ExternalSecretsIdentity, FluentBitIdentity, FsxCsiDriverIdentity, HostedZoneScope, IdentityMechanism, IpFamily, IWorkloadCluster,
  KarpenterControllerIdentity, MountpointS3CsiDriverIdentity, NodeTerminationHandlerIdentity, ParameterScope, PrometheusIngestIdentity,
  PrometheusQueryIdentity, SecretScope, SecretsStoreCsiProviderIdentity, VeleroIdentity, VpcCniIdentity, WorkloadCluster,
} from '../../../lib';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const CLUSTER = 'platform';
export const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/CATALOG0000000000000000000000001';

/** The literal resources the entries are scoped to, and their out-of-scope neighbours. */
export const R = {
  clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
  zone: 'Z0PLATFORM0000000001',
  otherZone: 'Z0OTHER000000000001',
  key: `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`,
  otherKey: `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-9999-9999-9999-999999999999`,
  bucket: 'platform-data',
  backupBucket: 'platform-backups',
  otherBucket: 'another-bucket',
  secret: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:platform/db-AbCdEf`,
  otherSecret: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:payments/db-AbCdEf`,
  parameterPath: '/platform/',
  queue: `arn:aws:sqs:${REGION}:${ACCOUNT}:platform-interruptions`,
  otherQueue: `arn:aws:sqs:${REGION}:${ACCOUNT}:another-queue`,
  workspace: `arn:aws:aps:${REGION}:${ACCOUNT}:workspace/ws-11111111-1111-1111-1111-111111111111`,
  otherWorkspace: `arn:aws:aps:${REGION}:${ACCOUNT}:workspace/ws-99999999-9999-9999-9999-999999999999`,
  logGroup: '/platform/containers',
  ca: `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/11111111-1111-1111-1111-111111111111`,
  otherCa: `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/99999999-9999-9999-9999-999999999999`,
  nodeRole: `arn:aws:iam::${ACCOUNT}:role/KarpenterNodeRole-${CLUSTER}`,
  vpc: 'vpc-0123456789abcdef0',
  otherVpc: 'vpc-0fedcba9876543210',
  fileSystem: 'fs-0123456789abcdef0',
};

/** The catalog entries by name. */
export type CatalogEntries = { [name: string]: CatalogIdentity };

export function platformCluster(stack: Stack, id = 'Cluster'): IWorkloadCluster {
  // Another handle of the platform cluster in the stack is handed the first, its owner (issue 20: one owner per cluster).
  const owner = id === 'Cluster' ? undefined : stack.node.tryFindChild('Cluster') as IWorkloadCluster | undefined;
  return WorkloadCluster.fromClusterAttributes(stack, id, owner
    ? { clusterName: CLUSTER, clusterArn: R.clusterArn, owner }
    : { clusterName: CLUSTER, clusterArn: R.clusterArn, oidcIssuerUrl: ISSUER, installPodIdentityAgent: true });
}

/** Every entry on `cluster`, each with its default namespace and ServiceAccount. */
export function addEveryEntry(stack: Stack, cluster: IWorkloadCluster, mechanism?: IdentityMechanism): CatalogEntries {
  const zones = HostedZoneScope.of([route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: R.zone, zoneName: 'platform.example.com' })]);
  const key = kms.Key.fromKeyArn(stack, 'Key', R.key);
  const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', R.bucket);
  const queue = sqs.Queue.fromQueueArn(stack, 'Queue', R.queue);
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: R.vpc, availabilityZones: [`${REGION}a`] });
  const common = { cluster, mechanism };
  return {
    EbsCsiDriver: new EbsCsiDriverIdentity(stack, 'EbsCsiDriver', { ...common, kmsKeys: [key] }),
    EfsCsiDriver: new EfsCsiDriverIdentity(stack, 'EfsCsiDriver', {
      ...common, s3Files: true, fileSystems: [efs.FileSystem.fromFileSystemAttributes(stack, 'FileSystem', { fileSystemId: R.fileSystem, securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'FsSg', 'sg-12345678') })],
    }),
    FsxCsiDriver: new FsxCsiDriverIdentity(stack, 'FsxCsiDriver', { ...common, dataRepositoryBuckets: [bucket] }),
    MountpointS3CsiDriver: new MountpointS3CsiDriverIdentity(stack, 'MountpointS3CsiDriver', { ...common, bucket, prefix: 'datasets/' }),
    VpcCni: new VpcCniIdentity(stack, 'VpcCni', { ...common, vpc }),
    VpcCniIpv6: new VpcCniIdentity(stack, 'VpcCniIpv6', { ...common, ipFamily: IpFamily.IPV6, installAddon: false, serviceAccountName: 'aws-node-v6' }),
    CloudWatchObservability: new CloudWatchObservabilityIdentity(stack, 'CloudWatchObservability', common),
    AdotCollector: new AdotCollectorIdentity(stack, 'AdotCollector', { ...common, workspaceArn: R.workspace, traces: true }),
    AwsLoadBalancerController: new AwsLoadBalancerControllerIdentity(stack, 'AwsLoadBalancerController', common),
    AwsGatewayApiController: new AwsGatewayApiControllerIdentity(stack, 'AwsGatewayApiController', { ...common, accessLogs: true, accessLogBuckets: [bucket] }),
    ExternalDns: new ExternalDnsIdentity(stack, 'ExternalDns', { ...common, hostedZones: zones }),
    CertManager: new CertManagerIdentity(stack, 'CertManager', { ...common, hostedZones: zones }),
    AwsPrivateCaIssuer: new AwsPrivateCaIssuerIdentity(stack, 'AwsPrivateCaIssuer', {
      ...common, certificateAuthorities: [acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', R.ca)],
    }),
    ClusterAutoscaler: new ClusterAutoscalerIdentity(stack, 'ClusterAutoscaler', common),
    Karpenter: new KarpenterControllerIdentity(stack, 'Karpenter', {
      ...common, nodeRole: iam.Role.fromRoleArn(stack, 'NodeRole', R.nodeRole), interruptionQueue: queue,
    }),
    ExternalSecrets: new ExternalSecretsIdentity(stack, 'ExternalSecrets', {
      ...common, secrets: SecretScope.fromNamePrefix('platform/'), parameters: ParameterScope.fromPath(R.parameterPath), kmsKeys: [key],
    }),
    SecretsStoreCsiProvider: new SecretsStoreCsiProviderIdentity(stack, 'SecretsStoreCsiProvider', {
      ...common, namespace: 'shop', serviceAccountName: 'checkout',
      secrets: SecretScope.of([secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret', R.secret)]),
      parameters: ParameterScope.of([ssm.StringParameter.fromStringParameterName(stack, 'Parameter', '/platform/checkout/url')]),
    }),
    Velero: new VeleroIdentity(stack, 'Velero', { ...common, bucket: s3.Bucket.fromBucketName(stack, 'BackupBucket', R.backupBucket), prefix: 'velero/', kmsKeys: [key] }),
    NodeTerminationHandler: new NodeTerminationHandlerIdentity(stack, 'NodeTerminationHandler', { ...common, queue, heartbeatInterval: Duration.minutes(5) }),
    PrometheusIngest: new PrometheusIngestIdentity(stack, 'PrometheusIngest', { ...common, workspaceArn: R.workspace }),
    PrometheusQuery: new PrometheusQueryIdentity(stack, 'PrometheusQuery', { ...common, workspaceArn: R.workspace }),
    FluentBit: new FluentBitIdentity(stack, 'FluentBit', { ...common, logGroup: logs.LogGroup.fromLogGroupName(stack, 'LogGroup', R.logGroup) }),
  };
}
