import * as efs from 'aws-cdk-lib/aws-efs';
import { Construct } from 'constructs';
import { AddonIdentity, AddonIdentityProps } from './addon-identity';
import { allow } from './statement';

/** Props of `EfsCsiDriverIdentity`. */
export interface EfsCsiDriverIdentityProps extends AddonIdentityProps {
  /**
   * The file systems dynamic provisioning creates access points in.
   *
   * @default - none: access points are created only on file systems tagged as upstream expects, in the stack's account and region
   */
  readonly fileSystems?: efs.IFileSystem[];

  /**
   * Attach the AWS managed `AmazonEFSCSIDriverPolicy` instead of the scoped document.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
}

/**
 * The EFS CSI driver's controller (`aws-efs-csi-driver` add-on,
 * `kube-system/efs-csi-controller-sa`). Follows the driver's
 * `docs/iam-policy-example.json`: access points are created with the
 * driver's tag and deleted only when they carry it.
 */
export class EfsCsiDriverIdentity extends AddonIdentity {
  constructor(scope: Construct, id: string, props: EfsCsiDriverIdentityProps) {
    const managed = props.useAwsManagedPolicy ?? false;
    super(scope, id, props, {
      addonName: 'aws-efs-csi-driver',
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 'efs-csi-controller-sa',
      upstream: {
        name: 'kubernetes-sigs/aws-efs-csi-driver docs/iam-policy-example.json',
        url: 'https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/iam-policy-example.json',
        version: 'as mirrored by terraform-aws-modules/terraform-aws-eks-pod-identity aws_efs_csi.tf @ 40a789e',
        awsManagedPolicyNames: ['service-role/AmazonEFSCSIDriverPolicy'],
      },
      useAwsManagedPolicy: managed,
    });
    if (managed) { return; }
    const fileSystems = props.fileSystems?.length ? props.fileSystems.map(f => f.fileSystemArn) : [this.arn('elasticfilesystem', 'file-system/*')];
    this.addStatements(
      allow('Describe', ['ec2:DescribeAvailabilityZones', 'elasticfilesystem:DescribeAccessPoints', 'elasticfilesystem:DescribeFileSystems',
        'elasticfilesystem:DescribeMountTargets'], ['*']),
      allow('CreateTaggedAccessPoint', ['elasticfilesystem:CreateAccessPoint'], fileSystems, { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } }),
      allow('TagOnCreate', ['elasticfilesystem:TagResource'], [this.arn('elasticfilesystem', 'access-point/*')], { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } }),
      allow('DeleteDriverAccessPoint', ['elasticfilesystem:DeleteAccessPoint'], [this.arn('elasticfilesystem', 'access-point/*')], { StringEquals: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' } }),
    );
    this.acknowledgeWildcards('Upstream iam-policy-example.json: access points are scoped by the driver\'s tag; Describe* has no resource-level permissions.');
  }
}
