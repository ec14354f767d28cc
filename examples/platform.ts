import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import {
  AwsLoadBalancerControllerIdentity, CertManagerIdentity, EbsCsiDriverIdentity, ExternalDnsIdentity, ExternalSecretsIdentity, HelmIdentity,
  HelmRelease, HostedZoneScope, KarpenterControllerIdentity, ParameterScope, SecretScope, VpcCniIdentity, WorkloadCluster, WorkloadServiceAccount,
} from '../lib';

/** The existing EKS cluster of the platform example. */
export const PLATFORM_CLUSTER = 'platform';

/**
 * The controllers every cluster needs, on one EKS cluster with Pod Identity:
 * EBS CSI and the VPC CNI as EKS add-ons (bound through the add-on), and the
 * load balancer controller, external-dns, cert-manager, Karpenter and
 * external-secrets as Helm releases (bound by their ServiceAccounts, with
 * the Helm values that make each chart use it).
 */
export class PlatformStack extends cdk.Stack {
  public readonly ebsCsiDriver: EbsCsiDriverIdentity;
  public readonly vpcCni: VpcCniIdentity;
  /** The Helm-installed controllers, by release name. */
  public readonly helmReleases: { [release: string]: HelmIdentity };

  constructor(scope: Construct, id: string, props: cdk.StackProps = {}) {
    super(scope, id, props);

    // An existing EKS cluster, its VPC and DNS zone. This stack owns the cluster's add-ons, the Pod Identity agent included.
    const cluster = WorkloadCluster.fromClusterAttributes(this, 'Cluster', { clusterName: PLATFORM_CLUSTER, installPodIdentityAgent: true });
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f67890', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: 'Z0PLATFORMEXAMPLE0001', zoneName: 'platform.example.com' });

    // EKS add-ons: the role goes in the add-on's own PodIdentityAssociations.
    const volumeKey = new kms.Key(this, 'VolumeKey', { enableKeyRotation: true, description: 'Encrypts the platform cluster\'s EBS volumes' });
    this.ebsCsiDriver = new EbsCsiDriverIdentity(this, 'EbsCsiDriver', { cluster, kmsKeys: [volumeKey] });
    this.vpcCni = new VpcCniIdentity(this, 'VpcCni', { cluster, vpc });

    // Helm releases: the identity, the ServiceAccount from its binding, and Helm values.
    // Karpenter's node role and interruption queue come from its getting-started CloudFormation stack.
    const nodeRole = iam.Role.fromRoleName(this, 'KarpenterNodeRole', 'KarpenterNodeRole-platform');
    const interruptionQueue = sqs.Queue.fromQueueArn(this, 'KarpenterInterruptionQueue', 'arn:aws:sqs:eu-west-1:123456789012:platform');
    this.helmReleases = {
      'aws-load-balancer-controller': new AwsLoadBalancerControllerIdentity(this, 'LoadBalancerController', { cluster, vpc }),
      'external-dns': new ExternalDnsIdentity(this, 'ExternalDns', { cluster, hostedZones: HostedZoneScope.of([zone]) }),
      'cert-manager': new CertManagerIdentity(this, 'CertManager', { cluster, hostedZones: HostedZoneScope.of([zone]) }),
      'karpenter': new KarpenterControllerIdentity(this, 'Karpenter', { cluster, nodeRole, interruptionQueue }),
      'external-secrets': new ExternalSecretsIdentity(this, 'ExternalSecrets', {
        cluster, secrets: SecretScope.fromNamePrefix('platform/'), parameters: ParameterScope.fromPath('/platform/'),
      }),
    };
  }

  /** The Helm releases with their literal values, for `WorkloadOutputs.synth({ helmValues })`. */
  public releases(): HelmRelease[] {
    return Object.entries(this.helmReleases).map(([release, identity]) => identity.helmRelease(release));
  }
}

/**
 * The Kubernetes side of the Helm releases: their ServiceAccounts (the
 * add-ons create their own), in the cdk8s app of the platform cluster, which
 * emits their namespaces first (kube-system excepted). Pods come from the charts.
 */
export class PlatformChart extends cdk8s.Chart {
  constructor(scope: Construct, id: string, stack: PlatformStack) {
    super(scope, id);
    for (const [release, identity] of Object.entries(stack.helmReleases)) {
      // Controllers call the Kubernetes API: their pods need its token.
      new WorkloadServiceAccount(this, `${release}-service-account`, { binding: identity.binding, automountToken: true });
    }
  }
}
