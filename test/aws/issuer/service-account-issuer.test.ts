import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { ServiceAccountIssuer, ServiceAccountSigningKey, WorkloadIdentity, WorkloadIdentityErrors } from '../../../lib';
import { ACCOUNT, REGION, newStack } from '../../fixtures';
import { apiServerKeyId, ecKeyPair, rsaKeyPair, servedBody, serviceAccountToken } from '../../issuer-fixtures';

const ISSUER = 'https://oidc.example.com/clusters/lab';
const CERT_ARN = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`;

function kit(stack: Stack, keys: string[], more: { hostedZone?: route53.IHostedZone; issuerUrl?: string } = {}): ServiceAccountIssuer {
  return new ServiceAccountIssuer(stack, 'Issuer', {
    clusterName: 'lab',
    issuerUrl: more.issuerUrl ?? ISSUER,
    signingKeys: keys.map(k => ServiceAccountSigningKey.fromPem(k)),
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
    hostedZone: more.hostedZone,
  });
}

describe('ServiceAccountIssuer', () => {
  const signer = rsaKeyPair();

  describe('GIVEN a self-managed cluster\'s signing key WHEN the issuer is declared', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const issuer = kit(stack, [signer.publicPem], { hostedZone: zone });
    const identity = new WorkloadIdentity(stack, 'Reports', { cluster: issuer.cluster, namespace: 'reporting', serviceAccountName: 'report' });
    new s3.Bucket(stack, 'Bucket').grantRead(identity);
    const template = Template.fromStack(stack);
    const discovery = JSON.parse(servedBody(template, '/clusters/lab/.well-known/openid-configuration'));
    const jwks = JSON.parse(servedBody(template, '/clusters/lab/openid/v1/jwks'));

    test('THEN a token the API server signs for the declared ServiceAccount verifies against the served key set', async () => {
      const token = await serviceAccountToken(signer.privateKey, { kid: apiServerKeyId(signer.publicPem), issuer: ISSUER, namespace: 'reporting', name: 'report' });
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: discovery.issuer, audience: 'sts.amazonaws.com' });
      expect(payload.sub).toBe('system:serviceaccount:reporting:report');
    });

    test('THEN a token of another key, issuer or audience does not verify', async () => {
      const other = rsaKeyPair();
      const kid = apiServerKeyId(signer.publicPem);
      const keys = createLocalJWKSet(jwks);
      const forged = await serviceAccountToken(other.privateKey, { kid, issuer: ISSUER, namespace: 'reporting', name: 'report' });
      await expect(jwtVerify(forged, keys, { issuer: ISSUER, audience: 'sts.amazonaws.com' })).rejects.toThrow('signature verification failed');
      const unknownKid = await serviceAccountToken(other.privateKey, { kid: apiServerKeyId(other.publicPem), issuer: ISSUER, namespace: 'reporting', name: 'report' });
      await expect(jwtVerify(unknownKid, keys, { issuer: ISSUER, audience: 'sts.amazonaws.com' })).rejects.toThrow('no applicable key found in the JSON Web Key Set');
      const otherIssuer = await serviceAccountToken(signer.privateKey, { kid, issuer: 'https://oidc.example.com/clusters/prod', namespace: 'reporting', name: 'report' });
      await expect(jwtVerify(otherIssuer, keys, { issuer: discovery.issuer, audience: 'sts.amazonaws.com' })).rejects.toThrow('unexpected "iss" claim value');
      const otherAudience = await serviceAccountToken(signer.privateKey, { kid, issuer: ISSUER, namespace: 'reporting', name: 'report', audience: 'https://kubernetes.default.svc' });
      await expect(jwtVerify(otherAudience, keys, { issuer: ISSUER, audience: 'sts.amazonaws.com' })).rejects.toThrow('unexpected "aud" claim value');
    });

    test('THEN the discovery document names the issuer and the key set\'s URL, as OIDC discovery requires', () => {
      expect(discovery).toEqual({
        issuer: ISSUER,
        jwks_uri: `${ISSUER}/openid/v1/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    });

    test('THEN the IAM OIDC provider registers exactly the issuer, and the role trusts its condition keys', () => {
      template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: ISSUER, ClientIdList: ['sts.amazonaws.com'] });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { 'oidc.example.com/clusters/lab:sub': 'system:serviceaccount:reporting:report', 'oidc.example.com/clusters/lab:aud': 'sts.amazonaws.com' } },
          })],
        },
      });
    });

    test('THEN the provider is created after the documents are served at the host', () => {
      const [providerId] = Object.keys(template.findResources('AWS::IAM::OIDCProvider'));
      const dependsOn: string[] = template.toJSON().Resources[providerId].DependsOn;
      const typeOf = (id: string) => template.toJSON().Resources[id].Type;
      expect(dependsOn.map(typeOf)).toEqual(expect.arrayContaining(['AWS::ApiGateway::Stage', 'AWS::ApiGateway::DomainName', 'AWS::Route53::RecordSet']));
    });

    test('THEN only the custom domain answers, over TLS 1.2, with no Lambda and no custom resource', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true, EndpointConfiguration: { Types: ['REGIONAL'] } });
      template.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'oidc.example.com', SecurityPolicy: 'TLS_1_2', RegionalCertificateArn: CERT_ARN });
      template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'oidc.example.com.', Type: 'A' });
      const types = Object.values(template.toJSON().Resources).map((r: any) => r.Type);
      expect(types.filter(t => t === 'AWS::Lambda::Function' || t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource')).toEqual([]);
    });
  });

  test('GIVEN two keys during a rotation WHEN declared THEN tokens of either key verify, RSA and EC', async () => {
    const next = ecKeyPair('P-256');
    const template = Template.fromStack((() => { const s = newStack(); kit(s, [signer.publicPem, next.publicPem]); return s; })());
    const keys = createLocalJWKSet(JSON.parse(servedBody(template, '/clusters/lab/openid/v1/jwks')));
    for (const [pair, alg] of [[signer, 'RS256'], [next, 'ES256']] as const) {
      const token = await serviceAccountToken(pair.privateKey, { kid: apiServerKeyId(pair.publicPem), alg, issuer: ISSUER, namespace: 'reporting', name: 'report' });
      await expect(jwtVerify(token, keys, { issuer: ISSUER, audience: 'sts.amazonaws.com' })).resolves.toBeDefined();
    }
    expect(JSON.parse(servedBody(template, '/clusters/lab/.well-known/openid-configuration')).id_token_signing_alg_values_supported).toEqual(['RS256', 'ES256']);
  });

  test('GIVEN an issuer at the host\'s root WHEN declared THEN the documents are served at the root', () => {
    const stack = newStack();
    kit(stack, [signer.publicPem], { issuerUrl: 'https://oidc.example.com' });
    const template = Template.fromStack(stack);
    expect(JSON.parse(servedBody(template, '/.well-known/openid-configuration')).jwks_uri).toBe('https://oidc.example.com/openid/v1/jwks');
  });

  test.each([
    ['https://oidc.example.com/a~b', "The issuer URL 'https://oidc.example.com/a~b' has the path segment 'a~b', which an API Gateway resource cannot hold: use letters, digits, '.', '_' and '-' in the issuer's path."],
    ['https://oidc.other.org/lab', "The issuer's host 'oidc.other.org' is not in the hosted zone 'example.com': pass the zone that holds the host, or leave hostedZone out and point the host yourself."],
  ])('GIVEN the issuer %s WHEN declared THEN it is refused naming the fix', (issuerUrl, message) => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    expect(() => kit(stack, [signer.publicPem], { issuerUrl, hostedZone: zone })).toThrow(message);
  });

  test('GIVEN a stack without a region WHEN declared THEN it is refused, naming the construct', () => {
    const stack = new Stack();
    let error: unknown;
    try { kit(stack, [signer.publicPem]); } catch (e) { error = e; }
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(error)).toBe(true);
    expect((error as Error).message).toBe("ServiceAccountIssuer 'Default/Issuer' is in a stack without a region: give the stack env: { account, region } (the certificate must be in that region).");
  });
});
