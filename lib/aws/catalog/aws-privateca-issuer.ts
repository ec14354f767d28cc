import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct } from 'constructs';
import { CatalogIdentityProps } from './catalog-identity';
import { HelmIdentity } from './helm-identity';
import { allow } from './statement';

/** Props of `AwsPrivateCaIssuerIdentity`. */
export interface AwsPrivateCaIssuerIdentityProps extends CatalogIdentityProps {
  /** The private certificate authorities the issuer signs with. */
  readonly certificateAuthorities: acmpca.ICertificateAuthority[];
}

/**
 * The AWS Private CA Issuer for cert-manager (Helm chart
 * `aws-privateca-issuer`, `aws-privateca-issuer/aws-privateca-issuer`).
 * Follows the issuer's README policy, on the given CAs only.
 */
export class AwsPrivateCaIssuerIdentity extends HelmIdentity {
  constructor(scope: Construct, id: string, props: AwsPrivateCaIssuerIdentityProps) {
    super(scope, id, props, {
      chart: { repository: 'https://cert-manager.github.io/aws-privateca-issuer', chart: 'aws-privateca-issuer', version: 'v1.9.0' },
      defaultNamespace: 'aws-privateca-issuer',
      defaultServiceAccountName: 'aws-privateca-issuer',
      upstream: {
        name: 'cert-manager/aws-privateca-issuer README.md (Configuration: IAM policy)',
        url: 'https://github.com/cert-manager/aws-privateca-issuer/blob/v1.9.0/README.md#configuration',
        version: 'v1.9.0',
        repository: 'cert-manager/aws-privateca-issuer',
        path: 'README.md',
        ref: 'v1.9.0',
        date: '2026-06-12',
      },
    });
    this.addStatements(allow('IssueCertificates', ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
      props.certificateAuthorities.map(ca => ca.certificateAuthorityArn)));
  }

  /** The ServiceAccount, for the `aws-privateca-issuer` chart. */
  protected chartValues(): { [key: string]: any } {
    return { serviceAccount: this.serviceAccountValues() };
  }
}
