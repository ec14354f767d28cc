import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { AddonIdentity, AddonIdentityProps } from './addon-identity';
import { allow } from './statement';

/** Props of `EbsCsiDriverIdentity`. */
export interface EbsCsiDriverIdentityProps extends AddonIdentityProps {
  /**
   * Customer managed KMS keys of encrypted volumes (StorageClass `kmsKeyId`).
   *
   * @default - none: volumes use the AWS managed key `aws/ebs`, which needs no grant
   */
  readonly kmsKeys?: kms.IKey[];

  /**
   * Attach the AWS managed `AmazonEBSCSIDriverPolicy` (what AWS recommends)
   * instead of the scoped document. It cannot be narrowed to your keys.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
}

/**
 * The EBS CSI driver's controller (`aws-ebs-csi-driver` add-on,
 * `kube-system/ebs-csi-controller-sa`).
 *
 * Follows the driver's `docs/example-iam-policy.json`: volumes and snapshots
 * are created only with the driver's tags and deleted only when they carry
 * them; KMS only on the keys you pass.
 */
export class EbsCsiDriverIdentity extends AddonIdentity {
  constructor(scope: Construct, id: string, props: EbsCsiDriverIdentityProps) {
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, props, {
      addonName: 'aws-ebs-csi-driver',
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'ebs-csi-controller-sa',
      autoModeBuiltIn: 'block storage (EBS volumes)',
      upstream: {
        name: 'kubernetes-sigs/aws-ebs-csi-driver docs/example-iam-policy.json',
        url: 'https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/example-iam-policy.json',
        version: 'as mirrored by terraform-aws-modules/terraform-aws-eks-pod-identity aws_ebs_csi.tf @ 066da8c',
        awsManagedPolicyNames: ['service-role/AmazonEBSCSIDriverPolicy'],
      },
      useAwsManagedPolicy: managed,
    });
    if (managed) {
      if (props.kmsKeys?.length) { throw new WorkloadIdentityError(`EbsCsiDriverIdentity '${this.node.path}': kmsKeys needs the scoped policy; remove useAwsManagedPolicy, or grant the keys yourself.`); }
      return;
    }
    const ec2 = (type: string) => this.arnIn('ec2', '*', '*', `${type}/*`);
    this.addWildcardWriteStatement(allow('VolumeLifecycle',
      ['ec2:CreateSnapshot', 'ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume'], ['*']),
    'Upstream grants these on *: the driver attaches volumes to whichever node a pod lands on and snapshots the volumes it manages; node instances carry no tag the driver sets.');
    this.addStatements(
      allow('Describe', ['ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeTags',
        'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications'], ['*']),
      allow('TagOnCreate', ['ec2:CreateTags'], [ec2('volume'), ec2('snapshot')], { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot'] } }),
      allow('Untag', ['ec2:DeleteTags'], [ec2('volume'), ec2('snapshot')]),
      allow('CreateTaggedVolume', ['ec2:CreateVolume'], ['*'], { StringLike: { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' } }),
      allow('CreateNamedVolume', ['ec2:CreateVolume'], ['*'], { StringLike: { 'aws:RequestTag/CSIVolumeName': '*' } }),
      allow('DeleteDriverVolume', ['ec2:DeleteVolume'], ['*'], { StringLike: { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' } }),
      allow('DeleteNamedVolume', ['ec2:DeleteVolume'], ['*'], { StringLike: { 'ec2:ResourceTag/CSIVolumeName': '*' } }),
      allow('DeletePvcVolume', ['ec2:DeleteVolume'], ['*'], { StringLike: { 'ec2:ResourceTag/kubernetes.io/created-for/pvc/name': '*' } }),
      allow('DeleteNamedSnapshot', ['ec2:DeleteSnapshot'], ['*'], { StringLike: { 'ec2:ResourceTag/CSIVolumeSnapshotName': '*' } }),
      allow('DeleteDriverSnapshot', ['ec2:DeleteSnapshot'], ['*'], { StringLike: { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' } }),
    );
    const keys = (props.kmsKeys ?? []).map(k => k.keyArn);
    if (keys.length > 0) {
      this.addStatements(
        allow('KmsGrants', ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], keys, { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
        allow('KmsUse', ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], keys),
      );
    }
    this.acknowledgeWildcards('Upstream example-iam-policy.json: EC2 volume and snapshot actions are scoped by the driver\'s tags (conditions), not by ARN; Describe* has no resource-level permissions.');
  }
}
