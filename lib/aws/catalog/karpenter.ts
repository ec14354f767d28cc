import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
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
 * `kube-system/karpenter`). Follows Karpenter's getting-started
 * `cloudformation.yaml` `KarpenterControllerPolicy`: instances, fleets,
 * launch templates and instance profiles only with
 * `kubernetes.io/cluster/<this cluster> = owned`, in the stack's region.
 */
export class KarpenterControllerIdentity extends HelmIdentity {
  private readonly clusterName: string;
  private readonly queueName?: string;

  constructor(scope: Construct, id: string, props: KarpenterControllerIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter' },
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'karpenter',
      autoModeBuiltIn: 'compute autoscaling (Karpenter)',
      upstream: {
        name: 'aws/karpenter-provider-aws getting-started cloudformation.yaml (KarpenterControllerPolicy)',
        url: 'https://github.com/aws/karpenter-provider-aws/blob/main/website/content/en/preview/getting-started/getting-started-with-karpenter/cloudformation.yaml',
        version: 'preview docs @ 0110690 (Karpenter v1)',
      },
    });
    const clusterName = this.literalClusterName(props.cluster, 'instances, launch templates and instance profiles');
    this.clusterName = clusterName;
    this.queueName = props.interruptionQueue?.queueName;
    const stack = Stack.of(this);
    const region = stack.region;
    const ec2 = (type: string, account = '*') => this.arnIn('ec2', region, account, `${type}/*`);
    const owned = `kubernetes.io/cluster/${clusterName}`;
    const created = [ec2('fleet'), ec2('instance'), ec2('volume'), ec2('network-interface'), ec2('launch-template')];

    this.addStatements(
      allow('AllowScopedEC2InstanceActions', ['ec2:RunInstances', 'ec2:CreateFleet'],
        [ec2('image', ''), ec2('snapshot', ''), ec2('spot-instances-request'), ec2('security-group'), ec2('subnet'), ec2('launch-template')]),
      allow('AllowScopedEC2InstanceActionsWithTags', ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], created, {
        StringEquals: { [`aws:RequestTag/${owned}`]: 'owned' },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedResourceCreationTagging', ['ec2:CreateTags'], created, {
        StringEquals: { [`aws:RequestTag/${owned}`]: 'owned', 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedResourceTagging', ['ec2:CreateTags'], [ec2('instance')], {
        'StringEquals': { [`aws:ResourceTag/${owned}`]: 'owned' },
        'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['karpenter.sh/nodeclaim', 'Name'] },
      }),
      allow('AllowScopedDeletion', ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], [ec2('instance'), ec2('launch-template')], {
        StringEquals: { [`aws:ResourceTag/${owned}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowRegionalReadActions', ['ec2:DescribeAvailabilityZones', 'ec2:DescribeImages', 'ec2:DescribeInstances',
        'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'], ['*'], { StringEquals: { 'aws:RequestedRegion': region } }),
      allow('AllowSSMReadActions', ['ssm:GetParameter'], [this.arnIn('ssm', region, '', 'parameter/aws/service/*')]),
      allow('AllowPricingReadActions', ['pricing:GetProducts'], ['*']),
      allow('AllowPassingInstanceRole', ['iam:PassRole'], [props.nodeRole.roleArn], { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }),
      allow('AllowScopedInstanceProfileCreationActions', ['iam:CreateInstanceProfile'], ['*'], {
        StringEquals: { [`aws:RequestTag/${owned}`]: 'owned', 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      allow('AllowScopedInstanceProfileTagActions', ['iam:TagInstanceProfile'], ['*'], {
        StringEquals: {
          [`aws:ResourceTag/${owned}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region,
          [`aws:RequestTag/${owned}`]: 'owned', 'aws:RequestTag/topology.kubernetes.io/region': region,
        },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      allow('AllowScopedInstanceProfileActions', ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'], ['*'], {
        StringEquals: { [`aws:ResourceTag/${owned}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      allow('AllowInstanceProfileReadActions', ['iam:GetInstanceProfile'], ['*']),
      allow('AllowAPIServerEndpointDiscovery', ['eks:DescribeCluster'], [props.cluster.clusterArn ?? this.arn('eks', `cluster/${clusterName}`)]),
    );
    if (props.interruptionQueue) {
      this.addStatements(allow('AllowInterruptionQueueActions', ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        [props.interruptionQueue.queueArn]));
      if (props.interruptionQueue.encryptionMasterKey) {
        this.addStatements(allow('InterruptionQueueKey', ['kms:Decrypt'], [props.interruptionQueue.encryptionMasterKey.keyArn]));
      }
    }
    this.acknowledgeWildcards('Upstream KarpenterControllerPolicy: EC2 and instance profile writes are scoped by the cluster\'s kubernetes.io/cluster tag and the region (conditions); image, snapshot and subnet ARNs are discovered at runtime.');
  }

  /** `settings.clusterName`, `settings.interruptionQueue` and the ServiceAccount, for the `karpenter` chart. */
  protected chartValues(): { [key: string]: any } {
    return {
      settings: { clusterName: this.clusterName, ...(this.queueName ? { interruptionQueue: this.queueName } : {}) },
      serviceAccount: this.serviceAccountValues(),
    };
  }
}
