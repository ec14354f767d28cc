import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { WorkloadIdentityError } from '../../core/validation-error';
import { AddonIdentity, AddonIdentityProps } from './addon-identity';
import { allow } from './statement';

/** Props of `EbsCsiDriverIdentity`. */
export interface EbsCsiDriverIdentityProps extends AddonIdentityProps {
  /**
   * Customer managed KMS keys of encrypted volumes (StorageClass `kmsKeyId`):
   * grants for AWS resources and the key use EBS needs, on these keys only
   * (with the scoped document, or beside `useAwsManagedPolicy`, as the EKS
   * user guide's EBS CSI page describes).
   *
   * @default - none: volumes use the AWS managed key `aws/ebs`, which needs no grant
   */
  readonly kmsKeys?: kms.IKey[];

  /**
   * Attach the AWS managed `AmazonEBSCSIDriverPolicy` (what the EKS user
   * guide names) instead of the cluster-scoped document. It is not scoped to
   * the cluster: the driver may then manage every CSI volume of the account.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
}

/**
 * The EBS CSI driver's controller (`aws-ebs-csi-driver` add-on,
 * `kube-system/ebs-csi-controller-sa`).
 *
 * Follows the driver's `docs/AmazonEBSCSIDriverEKSClusterScopedPolicy.json`
 * at v1.64.0: volumes and snapshots are created, copied, modified, attached,
 * snapshotted, locked and deleted only when tagged
 * `ebs.csi.aws.com/cluster-name = <this cluster>`, and attached only to this
 * cluster's instances (`eks:cluster-name`, or the driver's tag). The cluster
 * name is written literally where upstream reads the Pod Identity session tag
 * `${aws:PrincipalTag/eks-cluster-name}`, so IRSA (no session tags) works the
 * same. The driver tags with the cluster name when run with
 * `--k8s-tag-cluster-id`: the add-on's configuration sets
 * `controller.k8sTagClusterId`; a driver installed elsewhere
 * (`installAddon: false`) must set it too.
 */
export class EbsCsiDriverIdentity extends AddonIdentity {
  constructor(scope: Construct, id: string, props: EbsCsiDriverIdentityProps) {
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, { ...props, configurationValues: undefined }, {
      addonName: 'aws-ebs-csi-driver',
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'ebs-csi-controller-sa',
      autoModeBuiltIn: 'block storage (EBS volumes)',
      upstream: {
        name: 'aws-ebs-csi-driver docs/AmazonEBSCSIDriverEKSClusterScopedPolicy.json',
        url: 'https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/v1.64.0/docs/AmazonEBSCSIDriverEKSClusterScopedPolicy.json',
        version: 'v1.64.0',
        repository: 'kubernetes-sigs/aws-ebs-csi-driver',
        path: 'docs/AmazonEBSCSIDriverEKSClusterScopedPolicy.json',
        ref: 'v1.64.0',
        date: '2026-08-17',
        awsManagedPolicyNames: ['service-role/AmazonEBSCSIDriverPolicy'],
        omitted: [{
          actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          reason: 'granted on the customer managed keys you pass, and only those',
          feature: 'volumes encrypted with a customer managed key',
          option: 'kmsKeys',
        }],
        narrowings: [
          'The cluster name is literal where upstream uses ${aws:PrincipalTag/eks-cluster-name}: the same on Pod Identity, and on IRSA (no session tags) the policy still names the cluster.',
        ],
      },
      useAwsManagedPolicy: managed,
    });
    const clusterName = this.literalClusterName(props.cluster, 'volumes, snapshots and instances');
    if (this.addon) {
      this.addon.configurationValues = clusterTaggingConfiguration(this.node.path, props.configurationValues, clusterName);
    }
    const keys = (props.kmsKeys ?? []).map(k => k.keyArn);
    if (keys.length > 0) {
      // The EKS user guide's KMS statement for the EBS CSI driver (with the managed policy or the scoped one).
      this.addStatements(
        allow('KmsGrantsForAwsResources', ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], keys, { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
        allow('KmsKeyUse', ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], keys),
      );
    }
    if (managed) {
      this.acknowledgeWildcards('The EKS user guide\'s KMS statement for the EBS CSI driver, on the given keys only: EBS re-encrypts and generates data keys of any kind for its volumes.');
      return;
    }

    const ec2 = (type: string) => this.arnIn('ec2', '*', '*', `${type}/*`);
    const clusterTag = (key: 'aws:RequestTag' | 'ec2:ResourceTag', tag = 'ebs.csi.aws.com/cluster-name') => ({ StringEquals: { [`${key}/${tag}`]: clusterName } });
    this.addStatements(
      allow('ReadOnlyDescribeOperations', ['ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances', 'ec2:DescribeInstanceTypes', 'ec2:DescribeSnapshots',
        'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications', 'ec2:DescribeVolumeStatus'], ['*']),
      allow('CreateAndCopyVolumesWithClusterTag', ['ec2:CreateVolume', 'ec2:CopyVolumes'], [ec2('volume')], clusterTag('aws:RequestTag')),
      allow('CopyClusterVolumes', ['ec2:CopyVolumes'], [this.arnIn('ec2', '*', '*', 'volume/vol-*')], clusterTag('ec2:ResourceTag')),
      allow('CreateSnapshotsWithClusterTag', ['ec2:CreateSnapshot'], [ec2('snapshot')], clusterTag('aws:RequestTag')),
      allow('CreateSnapshotsFromClusterVolumes', ['ec2:CreateSnapshot'], [ec2('volume')], clusterTag('ec2:ResourceTag')),
      allow('ManageClusterVolumes', ['ec2:ModifyVolume', 'ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:DeleteVolume'], [ec2('volume')], clusterTag('ec2:ResourceTag')),
      allow('CreateVolumesFromAndEnableFSROnClusterSnapshots', ['ec2:CreateVolume', 'ec2:EnableFastSnapshotRestores'], [ec2('snapshot')], clusterTag('ec2:ResourceTag')),
      allow('AttachDetachVolumesToClusterInstance', ['ec2:AttachVolume', 'ec2:DetachVolume'], [ec2('instance')], clusterTag('ec2:ResourceTag', 'eks:cluster-name')),
      allow('AttachDetachVolumesToManuallyTaggedInstance', ['ec2:AttachVolume', 'ec2:DetachVolume'], [ec2('instance')], clusterTag('ec2:ResourceTag')),
      allow('DeleteAndLockClusterSnapshots', ['ec2:DeleteSnapshot', 'ec2:LockSnapshot'], [ec2('snapshot')], clusterTag('ec2:ResourceTag')),
      allow('TagResourcesOnCreation', ['ec2:CreateTags'], [ec2('volume'), ec2('snapshot')],
        { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot', 'CopyVolumes'] } }),
      allow('ModifyTagsOnClusterVolumes', ['ec2:CreateTags', 'ec2:DeleteTags'], [ec2('volume')], {
        'StringEquals': { 'ec2:ResourceTag/ebs.csi.aws.com/cluster-name': clusterName },
        'Null': { 'aws:TagKeys': 'false' },
        'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['ebs.csi.aws.com/cluster', 'ebs.csi.aws.com/cluster-name', 'kubernetes.io/created-for/pvc/name'] },
      }),
    );
    this.acknowledgeWildcards('Upstream AmazonEBSCSIDriverEKSClusterScopedPolicy.json: EC2 volume, snapshot and instance actions are scoped by the cluster\'s tags (conditions), not by ARN; Describe* has no resource-level permissions; KMS only on the given keys.');
  }
}

/**
 * The add-on's configuration with `controller.k8sTagClusterId` set to the
 * cluster, so the driver tags what it creates with
 * `ebs.csi.aws.com/cluster-name`, the tag the cluster-scoped policy requires.
 */
function clusterTaggingConfiguration(path: string, configurationValues: string | undefined, clusterName: string): string {
  let values: any = {};
  if (configurationValues !== undefined) {
    try {
      values = JSON.parse(configurationValues);
    } catch {
      throw new WorkloadIdentityError(`EbsCsiDriverIdentity '${path}': configurationValues is not JSON: give the add-on's configuration as a JSON object.`, path);
    }
  }
  const given = values?.controller?.k8sTagClusterId;
  if (given !== undefined && given !== clusterName) {
    throw new WorkloadIdentityError(
      `EbsCsiDriverIdentity '${path}': configurationValues sets controller.k8sTagClusterId to '${given}', but the role is scoped to volumes tagged with cluster '${clusterName}'. Remove it (the entry sets it).`, path);
  }
  return JSON.stringify({ ...values, controller: { ...values.controller, k8sTagClusterId: clusterName } });
}
