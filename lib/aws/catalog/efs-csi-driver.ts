import * as efs from 'aws-cdk-lib/aws-efs';
import { Construct } from 'constructs';
import { AddonIdentity, AddonIdentityProps } from './addon-identity';
import { allow } from './statement';

/** TagResource as the tag-on-create check of CreateAccessPoint, with the driver's tag. */
function onCreate(service: string): { [operator: string]: any } {
  return { StringEquals: { [`${service}:CreateAction`]: 'CreateAccessPoint' }, StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } };
}

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

  /**
   * Also provision access points on Amazon S3 Files file systems
   * (StorageClass `provisioningMode: s3files-ap`, driver v3.0+): the
   * `s3files:` actions of upstream's policy, with the same tag scoping.
   *
   * @default false
   */
  readonly s3Files?: boolean;
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
      // Tag-on-create is authorized as TagResource with elasticfilesystem:CreateAction: tagging an existing
      // access point (which would make another's deletable below) stays denied.
      allow('TagOnCreate', ['elasticfilesystem:TagResource'], [this.arn('elasticfilesystem', 'access-point/*')], onCreate('elasticfilesystem')),
      allow('DeleteDriverAccessPoint', ['elasticfilesystem:DeleteAccessPoint'], [this.arn('elasticfilesystem', 'access-point/*')], { StringEquals: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' } }),
    );
    if (props.s3Files) {
      this.addStatements(
        allow('S3FilesDescribe', ['s3files:ListAccessPoints', 's3files:ListFileSystems'], ['*']),
        allow('S3FilesCreateTaggedAccessPoint', ['s3files:CreateAccessPoint'], [this.arn('s3files', 'file-system/*')], { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } }),
        allow('S3FilesTagOnCreate', ['s3files:TagResource'], [this.arn('s3files', 'file-system/*/access-point/*')], onCreate('s3files')),
        allow('S3FilesDeleteDriverAccessPoint', ['s3files:DeleteAccessPoint'], [this.arn('s3files', 'file-system/*/access-point/*')], { StringEquals: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' } }),
      );
    }
    this.acknowledgeWildcards('Upstream iam-policy-example.json: access points are scoped by the driver\'s tag; Describe* has no resource-level permissions.');
  }
}
