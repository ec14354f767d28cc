import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsGatewayApiControllerIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: no access logs; full: access logs, delivered to one bucket. */
export const upstreamCase: UpstreamCase = {
  key: 'AwsGatewayApiController',
  build: (stack, cluster, configuration) => new AwsGatewayApiControllerIdentity(stack, 'AwsGatewayApiController', configuration === 'full'
    ? { cluster, accessLogs: true, accessLogBuckets: [s3.Bucket.fromBucketName(stack, 'LogBucket', R.bucket)] }
    : { cluster }),
  placeholderValues: {},
};
