import { EfsCsiDriverIdentity } from '../../../../../lib';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: EFS only; full: S3 Files access points too (s3Files). */
export const upstreamCase: UpstreamCase = {
  key: 'EfsCsiDriver',
  build: (stack, cluster, configuration) => new EfsCsiDriverIdentity(stack, 'EfsCsiDriver', { cluster, s3Files: configuration === 'full' }),
  placeholderValues: {},
};
