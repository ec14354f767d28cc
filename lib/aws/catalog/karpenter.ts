import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { literalQueueName } from './literal-values';
import { allow } from './statement';

/** Props of `KarpenterControllerIdentity`. */
export interface KarpenterControllerIdentityProps extends CatalogIdentityProps {
  /** The role of the nodes Karpenter launches (passed to EC2 in their instance profiles). */
  readonly nodeRole: iam.IRole;

  /**
   * The interruption queue (`settings.interruptionQueue`).
   *
   * @default - none: no SQS permission, interruption handling off
   */
  readonly interruptionQueue?: sqs.IQueue;
}

/**
 * The Karpenter controller (Helm chart `oci://public.ecr.aws/karpenter/karpenter`,
 * `kube-system/karpenter`). Follows the controller policies of Karpenter's
 * getting-started `cloudformation.yaml` at v1.14.1 (NodeLifecycle,
 * IAMIntegration, EKSIntegration, Interruption, ZonalShift,
 * ResourceDiscovery): instances, fleets, launch templates, spot requests and
 * instance profiles only with `kubernetes.io/cluster/<this cluster> = owned`
 * and `eks:eks-cluster-name = <this cluster>`, launch templates only with the
 * cluster's tags, in the stack's region.
 */
export class KarpenterControllerIdentity extends HelmIdentity {
  private readonly clusterName: string;
  private readonly queueName?: string;

  constructor(scope: Construct, id: string, props: KarpenterControllerIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1' },
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'karpenter',
      autoModeBuiltIn: 'compute autoscaling (Karpenter)',
      upstream: {
        name: 'Karpenter getting-started cloudformation.yaml (the six Karpenter controller policies)',
        url: 'https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml',
        version: 'v1.14.1',
        repository: 'aws/karpenter-provider-aws',
        path: 'website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml',
        ref: 'v1.14.1',
        date: '2026-08-20',
        omitted: [{
          actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
          reason: 'granted on the interruption queue you pass; without one there is no queue to read',
          feature: 'interruption handling (spot interruptions, rebalance recommendations, scheduled events)',
          option: 'interruptionQueue',
        }],
        additions: [{
          actions: ['kms:Decrypt'],
          reason: 'only for an interruption queue encrypted with a customer managed key: SQS decrypts messages with the reader\'s permission',
        }],
      },
    });
    const clusterName = this.literalClusterName(props.cluster, 'instances, launch templates and instance profiles');
    this.clusterName = clusterName;
    this.queueName = props.interruptionQueue ? literalQueueName(props.interruptionQueue) : undefined;
    const stack = Stack.of(this);
    const region = stack.region;
    const ec2 = (type: string, account = '*') => this.arnIn('ec2', region, account, `${type}/*`);
    const instanceProfiles = this.arnIn('iam', '', stack.account, 'instance-profile/*');
    const clusterArn = this.arn('eks', `cluster/${clusterName}`);
    const owned = `kubernetes.io/cluster/${clusterName}`;
    const created = [ec2('fleet'), ec2('instance'), ec2('volume'), ec2('network-interface'), ec2('launch-template'), ec2('spot-instances-request')];
    const requestTagged = { [`aws:RequestTag/${owned}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName };

    this.addStatements(
      // NodeLifecyclePolicy
      allow('AllowScopedEC2InstanceAccessActions', ['ec2:RunInstances', 'ec2:CreateFleet'],
        [ec2('image', ''), ec2('snapshot', ''), ec2('security-group'), ec2('subnet'), ec2('capacity-reservation'), ec2('placement-group')]),
      allow('AllowScopedEC2LaunchTemplateAccessActions', ['ec2:RunInstances', 'ec2:CreateFleet'], [ec2('launch-template')], {
        StringEquals: { [`aws:ResourceTag/${owned}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedEC2InstanceActionsWithTags', ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], created, {
        StringEquals: requestTagged,
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedResourceCreationTagging', ['ec2:CreateTags'], created, {
        StringEquals: { ...requestTagged, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedResourceTagging', ['ec2:CreateTags'], [ec2('instance')], {
        'StringEquals': { [`aws:ResourceTag/${owned}`]: 'owned' },
        'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      }),
      allow('AllowScopedDeletion', ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], [ec2('instance'), ec2('launch-template')], {
        StringEquals: { [`aws:ResourceTag/${owned}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      }),
      // IAMIntegrationPolicy
      allow('AllowPassingInstanceRole', ['iam:PassRole'], [props.nodeRole.roleArn],
        { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } }),
      allow('AllowScopedInstanceProfileCreationActions', ['iam:CreateInstanceProfile'], [instanceProfiles], {
        StringEquals: { ...requestTagged, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      allow('AllowScopedInstanceProfileTagActions', ['iam:TagInstanceProfile'], [instanceProfiles], {
        StringEquals: {
          [`aws:ResourceTag/${owned}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region,
          ...requestTagged, 'aws:RequestTag/topology.kubernetes.io/region': region,
        },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      allow('AllowScopedInstanceProfileActions', ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'], [instanceProfiles], {
        StringEquals: { [`aws:ResourceTag/${owned}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      // Listing instance profiles has no resource-level permission: Karpenter lists them to garbage-collect its own (v1.7+).
      allow('AllowUnscopedInstanceProfileListAction', ['iam:ListInstanceProfiles'], ['*']),
      allow('AllowInstanceProfileReadActions', ['iam:GetInstanceProfile'], [instanceProfiles]),
      // EKSIntegrationPolicy
      allow('AllowAPIServerEndpointDiscovery', ['eks:DescribeCluster'], [clusterArn]),
      // ZonalShiftPolicy
      allow('AllowZonalShiftStatusReadOnly', ['arc-zonal-shift:GetManagedResource'], ['*'],
        { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } }),
      // ResourceDiscoveryPolicy
      allow('AllowRegionalReadActions', ['ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus', 'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'],
      ['*'], { StringEquals: { 'aws:RequestedRegion': region } }),
      allow('AllowSSMReadActions', ['ssm:GetParameter'], [this.arnIn('ssm', region, '', 'parameter/aws/service/*')]),
      allow('AllowPricingReadActions', ['pricing:GetProducts'], ['*']),
    );
    if (props.interruptionQueue) {
      // InterruptionPolicy
      this.addStatements(allow('AllowInterruptionQueueActions', ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        [props.interruptionQueue.queueArn]));
      if (props.interruptionQueue.encryptionMasterKey) {
        this.addStatements(allow('InterruptionQueueKey', ['kms:Decrypt'], [props.interruptionQueue.encryptionMasterKey.keyArn]));
      }
    }
    this.acknowledgeWildcards('Upstream Karpenter controller policies: EC2 and instance profile writes are scoped by the cluster\'s kubernetes.io/cluster and eks:eks-cluster-name tags and the region (conditions); image, snapshot and subnet ARNs are discovered at runtime.');
  }

  /** `settings.clusterName`, `settings.interruptionQueue` and the ServiceAccount, for the `karpenter` chart. */
  protected chartValues(): { [key: string]: any } {
    return {
      settings: { clusterName: this.clusterName, ...(this.queueName ? { interruptionQueue: this.queueName } : {}) },
      serviceAccount: this.serviceAccountValues(),
    };
  }
}
