export { ServiceAccountSigningKey } from './service-account-signing-key';
export { ServiceAccountIssuerDocuments, ServiceAccountIssuerDocumentsProps } from './service-account-issuer-documents';
export { ApiServerIssuerFlags, ApiServerIssuerFlagsProps } from './api-server-issuer-flags';
