import { createHash, generateKeyPairSync, KeyObject } from 'crypto';
import { Template } from 'aws-cdk-lib/assertions';
import { SignJWT } from 'jose';

/** A fresh RSA key pair, as `openssl genrsa 2048` makes for a control plane. */
export function rsaKeyPair(bits = 2048): { privateKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A fresh EC key pair on `curve` (P-256, P-384, P-521). */
export function ecKeyPair(curve = 'P-256'): { privateKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * The key id kube-apiserver puts in a token's header, computed here from its
 * source (pkg/serviceaccount/jwt.go keyIDFromPublicKey): base64url without
 * padding of SHA-256 over the DER PKIX public key.
 */
export function apiServerKeyId(publicPem: string): string {
  const der = Buffer.from(publicPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('base64url');
}

/**
 * A projected ServiceAccount token as kube-apiserver signs it
 * (pkg/serviceaccount/claims.go): iss, sub, aud, exp, iat, nbf and the
 * kubernetes.io private claims, with the signing key's `kid` in the header.
 */
export async function serviceAccountToken(privateKey: KeyObject, o: { kid: string; issuer: string; namespace: string; name: string; audience?: string; alg?: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    'kubernetes.io': { namespace: o.namespace, serviceaccount: { name: o.name, uid: '0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7' }, pod: { name: `${o.name}-7d9f8b6c5-x2k4q`, uid: '1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809' } },
  })
    .setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid })
    .setIssuer(o.issuer)
    .setSubject(`system:serviceaccount:${o.namespace}:${o.name}`)
    .setAudience(o.audience ?? 'sts.amazonaws.com')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 86400)
    .sign(privateKey);
}

/**
 * What the REST API answers at `path` (below the API's root), read from the
 * template as API Gateway would serve it: the path assembled from the
 * AWS::ApiGateway::Resource parents, the GET method's mock integration
 * response template as the body. Read with this test's own walk, not lib/'s.
 */
export function servedBody(template: Template, path: string): string {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (ref: any): string => {
    if (ref && ref['Fn::GetAtt']) { return ''; }
    const id = ref.Ref;
    const r = resources[id];
    return `${pathOf(r.Properties.ParentId)}/${r.Properties.PathPart}`;
  };
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'GET' } }));
  const hits = methods.filter((m: any) => pathOf(m.Properties.ResourceId) === path);
  if (hits.length !== 1) { throw new Error(`expected one GET at ${path}, found ${hits.length}`); }
  const integration = (hits[0] as any).Properties.Integration;
  if (integration.Type !== 'MOCK') { throw new Error(`${path} is not served by a mock integration`); }
  const ok = integration.IntegrationResponses.find((r: any) => r.StatusCode === '200');
  return ok.ResponseTemplates['application/json'];
}
