import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AddonIdentity, AddonIdentityProps } from './addon-identity';
import { allow } from './statement';

/** Props of `MountpointS3CsiDriverIdentity`. */
export interface MountpointS3CsiDriverIdentityProps extends AddonIdentityProps {
  /** The bucket the driver mounts. */
  readonly bucket: s3.IBucket;

  /**
   * Only keys below this prefix (e.g. `datasets/`), for mounts with `--prefix`.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * Mount read-only: no PutObject, AbortMultipartUpload or DeleteObject.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * The Mountpoint for Amazon S3 CSI driver (`aws-mountpoint-s3-csi-driver`
 * add-on, `kube-system/s3-csi-driver-sa`). Follows mountpoint-s3's
 * `doc/CONFIGURATION.md` IAM permissions, on one bucket (and prefix), with
 * the bucket's KMS key if it has one.
 */
export class MountpointS3CsiDriverIdentity extends AddonIdentity {
  constructor(scope: Construct, id: string, props: MountpointS3CsiDriverIdentityProps) {
    super(scope, id, props, {
      addonName: 'aws-mountpoint-s3-csi-driver',
      defaultNamespace: 'kube-system',
      defaultServiceAccountName: 's3-csi-driver-sa',
      upstream: {
        name: 'awslabs/mountpoint-s3 doc/CONFIGURATION.md#iam-permissions',
        url: 'https://github.com/awslabs/mountpoint-s3/blob/main/doc/CONFIGURATION.md#iam-permissions',
        version: 'as mirrored by terraform-aws-modules/terraform-aws-eks-pod-identity mountpoint_s3_csi.tf @ 4a0f2c6',
      },
    });
    const prefix = props.prefix ?? '';
    this.addStatements(allow('MountpointFullBucketAccess', ['s3:ListBucket'], [props.bucket.bucketArn],
      prefix ? { StringLike: { 's3:prefix': [`${prefix}*`] } } : undefined));
    const objectActions = props.readOnly ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'];
    this.addStatements(allow('MountpointFullObjectAccess', objectActions, [props.bucket.arnForObjects(`${prefix}*`)]));
    if (props.bucket.encryptionKey) {
      this.addStatements(allow('BucketKey', props.readOnly ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'], [props.bucket.encryptionKey.keyArn]));
    }
    this.acknowledgeWildcards('Objects of one bucket (below one prefix): a key prefix needs a wildcard.');
  }
}
