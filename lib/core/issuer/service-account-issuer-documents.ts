import { containsCdkToken } from '../cdk-token';
import { validateIssuerUrl } from '../validation';
import { WorkloadIdentityError } from '../validation-error';
import { ServiceAccountSigningKey } from './service-account-signing-key';

/** Where the API server itself serves the key set; the hosted copy keeps the same path. */
export const JWKS_PATH = 'openid/v1/jwks';
/** Where OIDC discovery (and STS) looks for the issuer's configuration (OpenID Connect Discovery 1.0, section 4). */
export const DISCOVERY_PATH = '.well-known/openid-configuration';

/** Props of `ServiceAccountIssuerDocuments`. */
export interface ServiceAccountIssuerDocumentsProps {
  /**
   * The issuer URL: the `iss` of every ServiceAccount token, the API server's
   * `--service-account-issuer`, and the IAM OIDC provider's URL, e.g.
   * `https://oidc.example.com/clusters/lab`.
   */
  readonly issuerUrl: string;

  /**
   * The public keys tokens are verified with, the key the API server signs
   * with first. Several keys while one is rotated in or out: a token signed
   * with any of them verifies.
   */
  readonly signingKeys: ServiceAccountSigningKey[];
}

/**
 * The two documents an OIDC issuer serves, exactly as the Kubernetes API
 * server serves them at `/.well-known/openid-configuration` and
 * `/openid/v1/jwks` (k8s.io/kubernetes pkg/serviceaccount/openidmetadata.go),
 * but for a public `jwks_uri` under the issuer. The same bytes are served by
 * `ServiceAccountIssuer` and written as files by `WorkloadOutputs`.
 */
export class ServiceAccountIssuerDocuments {
  /** The issuer URL. */
  public readonly issuerUrl: string;
  /** `<issuer>/openid/v1/jwks`: the API server's `--service-account-jwks-uri`. */
  public readonly jwksUri: string;
  /** The discovery document (`<issuer>/.well-known/openid-configuration`), as JSON. */
  public readonly discoveryDocument: string;
  /** The key set (`<issuer>/openid/v1/jwks`), as JSON. */
  public readonly jwks: string;
  /** The `kid` of each key, in the order given. */
  public readonly keyIds: string[];

  constructor(props: ServiceAccountIssuerDocumentsProps) {
    if (props === null || typeof props !== 'object') {
      throw new WorkloadIdentityError('ServiceAccountIssuerDocuments needs props: pass { issuerUrl, signingKeys }.');
    }
    validateIssuerUrl(props.issuerUrl);
    if (containsCdkToken(props.issuerUrl)) {
      throw new WorkloadIdentityError(`The issuer URL '${props.issuerUrl}' is known only at deployment; the issuer documents and the API server's flags need the literal URL. ` +
        'Pass the literal URL of a domain you own, e.g. https://oidc.example.com/clusters/lab.');
    }
    const keys = props.signingKeys;
    if (!Array.isArray(keys) || keys.length === 0 || keys.some(k => !(k instanceof ServiceAccountSigningKey))) {
      throw new WorkloadIdentityError(`The issuer '${props.issuerUrl}' needs at least one signing key: pass signingKeys: [ServiceAccountSigningKey.fromPem(...)] ` +
        '(the public key of the API server\'s --service-account-key-file).');
    }
    const ids = keys.map(k => k.keyId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) {
      throw new WorkloadIdentityError(`The issuer '${props.issuerUrl}' lists the key '${twice}' twice: list each public key once.`);
    }
    this.issuerUrl = props.issuerUrl;
    this.keyIds = ids;
    this.jwksUri = `${props.issuerUrl}/${JWKS_PATH}`;
    const algorithms = [...new Set(keys.map(k => k.algorithm))];
    this.discoveryDocument = JSON.stringify({
      issuer: props.issuerUrl,
      jwks_uri: this.jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algorithms,
    });
    this.jwks = JSON.stringify({ keys: keys.map(k => JSON.parse(k.publicJwk)) });
  }
}
