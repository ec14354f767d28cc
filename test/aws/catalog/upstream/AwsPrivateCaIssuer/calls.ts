/**
 * aws-privateca-issuer v1.9.0 (pkg/aws/pca.go): the issuer checks the CA
 * (DescribeCertificateAuthority), then signs each CertificateRequest
 * (IssueCertificate) and fetches the certificate (GetCertificate).
 */
import { R } from '../../catalog-app';
import { ControllerCalls } from '../controller-calls';

export const calls: ControllerCalls = () => [
  { call: 'issuer status: DescribeCertificateAuthority', expect: 'Allowed', requests: [{ action: 'acm-pca:DescribeCertificateAuthority', resource: R.ca }] },
  { call: 'sign: IssueCertificate, then GetCertificate', expect: 'Allowed', requests: [{ action: 'acm-pca:IssueCertificate', resource: R.ca }, { action: 'acm-pca:GetCertificate', resource: R.ca }] },
  { call: 'IssueCertificate with another CA', expect: 'Denied', requests: [{ action: 'acm-pca:IssueCertificate', resource: R.otherCa }] },
  { call: 'DeleteCertificateAuthority', expect: 'Denied', requests: [{ action: 'acm-pca:DeleteCertificateAuthority', resource: R.ca }] },
];
