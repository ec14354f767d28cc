import { createPublicKey, generateKeyPairSync } from 'crypto';
import { ApiServerIssuerFlags, ServiceAccountIssuerDocuments, ServiceAccountSigningKey } from '../../../lib/core';
import { apiServerKeyId, ecKeyPair, rsaKeyPair } from '../../issuer-fixtures';

describe('ServiceAccountSigningKey', () => {
  test('GIVEN an RSA public key in PEM or as a JWK WHEN read THEN its kid is the API server\'s and its JWK the public members only', () => {
    const { publicPem } = rsaKeyPair();
    const jwk = createPublicKey(publicPem).export({ format: 'jwk' });
    for (const key of [ServiceAccountSigningKey.fromPem(publicPem), ServiceAccountSigningKey.fromJwk(JSON.stringify(jwk))]) {
      expect(key.keyId).toBe(apiServerKeyId(publicPem));
      expect(key.algorithm).toBe('RS256');
      expect(JSON.parse(key.publicJwk)).toEqual({ use: 'sig', kty: 'RSA', kid: apiServerKeyId(publicPem), alg: 'RS256', n: jwk.n, e: jwk.e });
    }
  });

  test.each([['P-256', 'ES256'], ['P-384', 'ES384'], ['P-521', 'ES512']])('GIVEN an EC key on %s WHEN read THEN it signs %s', (curve, alg) => {
    const { publicPem } = ecKeyPair(curve);
    const key = ServiceAccountSigningKey.fromPem(publicPem);
    expect(key.algorithm).toBe(alg);
    expect(Object.keys(JSON.parse(key.publicJwk))).toEqual(['use', 'kty', 'kid', 'alg', 'crv', 'x', 'y']);
  });

  test('GIVEN a private key WHEN read THEN it is refused, so it never reaches a template', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => ServiceAccountSigningKey.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(
      'Invalid signing key: it is a private key. The issuer publishes only public keys; the private key stays on the control plane (--service-account-signing-key-file).');
    expect(() => ServiceAccountSigningKey.fromJwk(JSON.stringify(privateKey.export({ format: 'jwk' })))).toThrow("Invalid signing key: the JWK holds a private key ('d').");
  });

  test.each([
    [() => ServiceAccountSigningKey.fromPem(rsaKeyPair(1024).publicPem), 'Invalid signing key: it is RSA of 1024 bits; use 2048 bits or more (openssl genrsa -out sa.key 2048).'],
    [() => ServiceAccountSigningKey.fromPem(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      'Invalid signing key: it is ed25519; the Kubernetes API server signs ServiceAccount tokens with RSA or EC P-256/P-384/P-521 keys.'],
    [() => ServiceAccountSigningKey.fromPem('ssh-rsa AAAAB3Nza'), 'Invalid signing key "ssh-rsa AAAAB3Nza": it is not PEM.'],
    [() => ServiceAccountSigningKey.fromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'), 'Invalid signing key: the PEM could not be read as a public key'],
    [() => ServiceAccountSigningKey.fromJwk('{"kty":'), 'Invalid signing key "{\\"kty\\":": it is not JSON.'],
  ])('GIVEN a key the API server cannot sign with WHEN read THEN it is refused naming why (%#)', (read, message) => {
    expect(read).toThrow(message);
  });
});

describe('ServiceAccountIssuerDocuments and ApiServerIssuerFlags', () => {
  const a = rsaKeyPair();
  const b = rsaKeyPair();
  const documents = new ServiceAccountIssuerDocuments({ issuerUrl: 'https://oidc.example.com/lab', signingKeys: [a, b].map(k => ServiceAccountSigningKey.fromPem(k.publicPem)) });

  test('GIVEN two keys WHEN the key set is built THEN it lists both, in order', () => {
    expect(JSON.parse(documents.jwks).keys.map((k: any) => k.kid)).toEqual([apiServerKeyId(a.publicPem), apiServerKeyId(b.publicPem)]);
    expect(documents.keyIds).toEqual([apiServerKeyId(a.publicPem), apiServerKeyId(b.publicPem)]);
  });

  test('GIVEN the same key twice, no key, or an issuer known only at deploy WHEN built THEN refused', () => {
    const key = ServiceAccountSigningKey.fromPem(a.publicPem);
    expect(() => new ServiceAccountIssuerDocuments({ issuerUrl: 'https://oidc.example.com/lab', signingKeys: [key, key] })).toThrow(
      `The issuer 'https://oidc.example.com/lab' lists the key '${key.keyId}' twice: list each public key once.`);
    expect(() => new ServiceAccountIssuerDocuments({ issuerUrl: 'https://oidc.example.com/lab', signingKeys: [] })).toThrow(
      "The issuer 'https://oidc.example.com/lab' needs at least one signing key");
    expect(() => new ServiceAccountIssuerDocuments({ issuerUrl: 'https://${Token[TOKEN.12]}', signingKeys: [key] })).toThrow(
      "The issuer URL 'https://${Token[TOKEN.12]}' is known only at deployment");
    expect(() => new ServiceAccountIssuerDocuments({ issuerUrl: 'https://oidc.example.com/lab/', signingKeys: [key] })).toThrow(
      "Invalid OIDC issuer URL 'https://oidc.example.com/lab/': it must not end with '/'");
  });

  test('GIVEN the documents WHEN the API server flags are written THEN the issuer, key set URL and audiences match them', () => {
    const flags = new ApiServerIssuerFlags({ documents, previousIssuerUrls: ['https://kubernetes.default.svc.cluster.local'] });
    expect(flags.flags).toEqual([
      '--service-account-issuer=https://oidc.example.com/lab',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-account-jwks-uri=https://oidc.example.com/lab/openid/v1/jwks',
      '--api-audiences=https://oidc.example.com/lab,https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
      '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    ]);
    expect(flags.kubeadmClusterConfiguration).toContain('    - name: service-account-issuer\n      value: "https://oidc.example.com/lab"\n    - name: service-account-issuer\n');
    expect(flags.k3sConfig).toBe('kube-apiserver-arg:\n  - "service-account-issuer=https://oidc.example.com/lab"\n  - "service-account-issuer=https://kubernetes.default.svc.cluster.local"\n' +
      '  - "service-account-jwks-uri=https://oidc.example.com/lab/openid/v1/jwks"\n  - "api-audiences=https://oidc.example.com/lab,https://kubernetes.default.svc.cluster.local"\n');
  });

  test('GIVEN bad flag inputs WHEN written THEN refused naming the value', () => {
    expect(() => new ApiServerIssuerFlags({ documents, previousIssuerUrls: ['https://oidc.example.com/lab'] })).toThrow(
      "previousIssuerUrls lists the issuer itself ('https://oidc.example.com/lab')");
    expect(() => new ApiServerIssuerFlags({ documents, apiAudiences: ['a,b'] })).toThrow('Invalid apiAudiences ["a,b"]');
    expect(() => new ApiServerIssuerFlags({ documents, signingKeyFile: 'sa.key' })).toThrow('Invalid key file path "sa.key"');
  });
});
