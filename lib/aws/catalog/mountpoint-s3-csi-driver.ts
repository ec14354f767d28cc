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
        name: 'awslabs/mountpoint-s3 doc/CONFIGURATION.md#iam-permissions (general purpose buckets; SSE-KMS from its prose)',
        url: 'https://github.com/awslabs/mountpoint-s3/blob/mountpoint-s3-1.23.0/doc/CONFIGURATION.md#iam-permissions',
        version: 'mountpoint-s3-1.23.0',
        repository: 'awslabs/mountpoint-s3',
        path: 'doc/CONFIGURATION.md',
        ref: 'mountpoint-s3-1.23.0',
        date: '2026-07-21',
        omitted: [
          {
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            reason: 'Needed only for a bucket encrypted with a customer managed KMS key: granted on that key when the bucket has one.',
            feature: 'buckets encrypted with SSE-KMS',
            option: 'bucket (its encryptionKey)',
          },
        ],
        narrowings: [
          'With prefix, ListBucket only for keys below it (s3:prefix) and object actions only below it; upstream: the whole bucket.',
          'readOnly leaves out PutObject, AbortMultipartUpload and DeleteObject (and kms:GenerateDataKey).',
        ],
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
