import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { VeleroIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: the backup bucket; full: with a customer key for encrypted volumes. */
export const upstreamCase: UpstreamCase = {
  key: 'Velero',
  build: (stack, cluster, configuration) => new VeleroIdentity(stack, 'Velero', {
    cluster, bucket: s3.Bucket.fromBucketName(stack, 'BackupBucket', R.backupBucket),
    kmsKeys: configuration === 'full' ? [kms.Key.fromKeyArn(stack, 'Key', R.key)] : undefined,
  }),
  placeholderValues: { '${VELERO_BUCKET}': R.backupBucket },
};
