import * as kms from 'aws-cdk-lib/aws-kms';
import { EbsCsiDriverIdentity } from '../../../../../lib';
import { CLUSTER, R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** Minimal: volumes under the AWS managed key. Full: with a customer managed key. */
export const upstreamCase: UpstreamCase = {
  key: 'EbsCsiDriver',
  build: (stack, cluster, configuration) => new EbsCsiDriverIdentity(stack, 'EbsCsiDriver', {
    cluster,
    kmsKeys: configuration === 'full' ? [kms.Key.fromKeyArn(stack, 'Key', R.key)] : undefined,
  }),
  placeholderValues: { '${aws:PrincipalTag/eks-cluster-name}': CLUSTER, '${KMS_KEY_ARN}': R.key },
};
