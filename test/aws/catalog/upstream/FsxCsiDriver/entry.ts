import * as s3 from 'aws-cdk-lib/aws-s3';
import { FsxCsiDriverIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: no data repository; full: one linked bucket. */
export const upstreamCase: UpstreamCase = {
  key: 'FsxCsiDriver',
  build: (stack, cluster, configuration) => new FsxCsiDriverIdentity(stack, 'FsxCsiDriver', {
    cluster, dataRepositoryBuckets: configuration === 'full' ? [s3.Bucket.fromBucketName(stack, 'Bucket', R.bucket)] : undefined,
  }),
  placeholderValues: {},
};
