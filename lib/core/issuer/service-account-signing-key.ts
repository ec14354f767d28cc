import { createHash, createPublicKey, KeyObject } from 'crypto';
import { WorkloadIdentityError } from '../validation-error';

/** The curves the Kubernetes API server signs with, and the JWS algorithm of each (RFC 7518 3.4). */
const EC_ALGORITHMS: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
// NIST SP 800-57 and IAM's own guidance: RSA keys below 2048 bits are not safe to trust.
const RSA_MIN_BITS = 2048;
const KEY_FIX = 'Pass the public key of the API server\'s --service-account-key-file (PEM, e.g. /etc/kubernetes/pki/sa.pub), or its public JWK.';

/**
 * A public key the cluster's API server verifies ServiceAccount tokens with
 * (`--service-account-key-file`), whose private half signs them
 * (`--service-account-signing-key-file`). Only the public key is ever read:
 * a private key is refused, so it never reaches a template or a file.
 */
export class ServiceAccountSigningKey {
  /** A PEM public key (`-----BEGIN PUBLIC KEY-----`, or `BEGIN RSA PUBLIC KEY`), RSA of 2048 bits or more, or EC P-256/P-384/P-521. */
  public static fromPem(pem: string): ServiceAccountSigningKey {
    if (typeof pem !== 'string' || !pem.includes('-----BEGIN')) {
      throw new WorkloadIdentityError(`Invalid signing key ${describeInput(pem)}: it is not PEM. ${KEY_FIX}`);
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      throw new WorkloadIdentityError('Invalid signing key: it is a private key. The issuer publishes only public keys; ' +
        'the private key stays on the control plane (--service-account-signing-key-file). ' + KEY_FIX);
    }
    return new ServiceAccountSigningKey(parse(() => createPublicKey(pem), 'PEM'));
  }

  /** A public JSON Web Key (RFC 7517) as a JSON string, e.g. one entry of a cluster's `/openid/v1/jwks`. */
  public static fromJwk(jwkJson: string): ServiceAccountSigningKey {
    let jwk: any;
    try {
      jwk = JSON.parse(jwkJson);
    } catch {
      throw new WorkloadIdentityError(`Invalid signing key ${describeInput(jwkJson)}: it is not JSON. ${KEY_FIX}`);
    }
    if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) {
      throw new WorkloadIdentityError(`Invalid signing key ${describeInput(jwkJson)}: it is not a JWK object. ${KEY_FIX}`);
    }
    if ('d' in jwk) {
      throw new WorkloadIdentityError('Invalid signing key: the JWK holds a private key (\'d\'). The issuer publishes only public keys. ' + KEY_FIX);
    }
    return new ServiceAccountSigningKey(parse(() => createPublicKey({ key: jwk, format: 'jwk' }), 'JWK'));
  }

  /**
   * The key id the API server writes into each token's `kid` header: the
   * unpadded base64url SHA-256 of the key's DER SubjectPublicKeyInfo
   * (k8s.io/kubernetes pkg/serviceaccount `keyIDFromPublicKey`).
   */
  public readonly keyId: string;

  /** The JWS algorithm the API server signs with for this key: `RS256`, `ES256`, `ES384` or `ES512`. */
  public readonly algorithm: string;

  /** The key as the API server publishes it in its JWKS (`use`, `kty`, `kid`, `alg`, then the key's own members), as JSON. */
  public readonly publicJwk: string;

  private constructor(key: KeyObject) {
    const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
    if (key.asymmetricKeyType === 'rsa') {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < RSA_MIN_BITS) {
        throw new WorkloadIdentityError(`Invalid signing key: it is RSA of ${bits} bits; use ${RSA_MIN_BITS} bits or more (openssl genrsa -out sa.key ${RSA_MIN_BITS}).`);
      }
      this.algorithm = 'RS256';
    } else if (key.asymmetricKeyType === 'ec' && EC_ALGORITHMS[jwk.crv]) {
      this.algorithm = EC_ALGORITHMS[jwk.crv];
    } else {
      const type = key.asymmetricKeyType === 'ec' ? `EC on curve ${jwk.crv}` : key.asymmetricKeyType;
      throw new WorkloadIdentityError(`Invalid signing key: it is ${type}; the Kubernetes API server signs ServiceAccount tokens with RSA or EC P-256/P-384/P-521 keys. ${KEY_FIX}`);
    }
    const der = key.export({ type: 'spki', format: 'der' });
    this.keyId = createHash('sha256').update(der).digest('base64url');
    const members = key.asymmetricKeyType === 'rsa' ? { n: jwk.n, e: jwk.e } : { crv: jwk.crv, x: jwk.x, y: jwk.y };
    this.publicJwk = JSON.stringify({ use: 'sig', kty: jwk.kty, kid: this.keyId, alg: this.algorithm, ...members });
  }
}

function parse(read: () => KeyObject, format: string): KeyObject {
  try {
    const key = read();
    if (key.type !== 'public') { throw new Error('not a public key'); }
    return key;
  } catch (e) {
    throw new WorkloadIdentityError(`Invalid signing key: the ${format} could not be read as a public key (${(e as Error).message}). ${KEY_FIX}`);
  }
}

function describeInput(value: unknown): string {
  if (typeof value !== 'string') { return `(${value === null ? 'null' : typeof value})`; }
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return JSON.stringify(shown);
}
