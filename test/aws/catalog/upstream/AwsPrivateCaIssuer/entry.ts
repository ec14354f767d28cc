import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { AwsPrivateCaIssuerIdentity } from '../../../../../lib';
import { R } from '../../catalog-app';
import { UpstreamCase } from '../upstream-diff';

/** The CAs are a required input: minimal and full are the same. */
export const upstreamCase: UpstreamCase = {
  key: 'AwsPrivateCaIssuer',
  build: (stack, cluster) => new AwsPrivateCaIssuerIdentity(stack, 'AwsPrivateCaIssuer', {
    cluster, certificateAuthorities: [acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', R.ca)],
  }),
  placeholderValues: { '${PCA_ARN}': R.ca },
};
