import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { MountpointS3CsiDriverIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: a bucket with S3-managed encryption; full: a bucket encrypted with a customer managed key. */
export const upstreamCase: UpstreamCase = {
  key: 'MountpointS3CsiDriver',
  build: (stack, cluster, configuration) => new MountpointS3CsiDriverIdentity(stack, 'MountpointS3CsiDriver', {
    cluster,
    bucket: configuration === 'full'
      ? s3.Bucket.fromBucketAttributes(stack, 'Bucket', { bucketName: R.bucket, encryptionKey: kms.Key.fromKeyArn(stack, 'Key', R.key) })
      : s3.Bucket.fromBucketName(stack, 'Bucket', R.bucket),
  }),
  placeholderValues: { '${MOUNTPOINT_BUCKET}': R.bucket, '${KMS_KEY_ARN}': R.key },
};
