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
        url: 'https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/v3.4.1/docs/iam-policy-example.json',
        version: 'v3.4.1',
        repository: 'kubernetes-sigs/aws-efs-csi-driver',
        path: 'docs/iam-policy-example.json',
        ref: 'v3.4.1',
        date: '2026-07-23',
        awsManagedPolicyNames: ['service-role/AmazonEFSCSIDriverPolicy'],
        omitted: [
          {
            actions: ['s3files:ListAccessPoints', 's3files:ListFileSystems', 's3files:CreateAccessPoint', 's3files:TagResource', 's3files:DeleteAccessPoint'],
            reason: 'Amazon S3 Files is a separate storage service that most clusters do not mount; its permissions are granted only when asked for.',
            feature: 'access points on Amazon S3 Files file systems (StorageClass provisioningMode: s3files-ap, driver v3.0+)',
            option: 's3Files',
          },
        ],
        narrowings: [
          'CreateAccessPoint only on the given file systems (default: those of the stack\'s account and region); upstream: any file system.',
          'TagResource only as the tag-on-create check of CreateAccessPoint (elasticfilesystem:CreateAction) on access points of the stack\'s account and region; upstream: any resource already carrying the driver tag.',
          'DeleteAccessPoint only on access points of the stack\'s account and region carrying the driver tag; upstream: any account and region.',
        ],
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
