import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cdk8s from 'cdk8s';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { parseAllDocuments } from 'yaml';
import { PodIdentityWebhookChart, ServiceAccountIssuer, ServiceAccountSigningKey, WorkloadChart, WorkloadIdentity, WorkloadOutputs } from '../../lib';
import { newStack } from '../fixtures';
import { apiServerKeyId, rsaKeyPair, servedBody, serviceAccountToken } from '../issuer-fixtures';

const ISSUER = 'https://oidc.example.com/clusters/lab';

describe('GIVEN an issuer kit for a self-managed cluster WHEN both sides are synthesized and its files written', () => {
  const signer = rsaKeyPair();
  const stack = newStack();
  const issuer = new ServiceAccountIssuer(stack, 'Issuer', {
    clusterName: 'lab', issuerUrl: ISSUER, signingKeys: [ServiceAccountSigningKey.fromPem(signer.publicPem)],
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9'),
  });
  const identity = new WorkloadIdentity(stack, 'Ingest', { cluster: issuer.cluster, namespace: 'ingest', serviceAccountName: 'ingest' });
  const template = Template.fromStack(stack);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'issuer-kit-'));
  const k8sApp = new cdk8s.App({ outdir: path.join(dir, 'lab') });
  new PodIdentityWebhookChart(k8sApp, 'pod-identity-webhook', { clusterName: 'lab', region: 'eu-west-1' });
  new WorkloadChart(k8sApp, 'ingest', { binding: identity.primaryBinding });
  WorkloadOutputs.synth({ apps: [k8sApp], issuerFiles: [{ directory: path.join(dir, 'lab-issuer'), documents: issuer.documents }] });
  const written = (file: string) => fs.readFileSync(path.join(dir, 'lab-issuer', file), 'utf-8');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('THEN the written documents are byte-identical to the served ones', () => {
    expect(written('.well-known/openid-configuration')).toBe(servedBody(template, '/clusters/lab/.well-known/openid-configuration'));
    expect(written('openid/v1/jwks')).toBe(servedBody(template, '/clusters/lab/openid/v1/jwks'));
  });

  test('THEN a token the API server signs verifies against the written key set, and the flags sign as the issuer IAM trusts', async () => {
    const token = await serviceAccountToken(signer.privateKey, { kid: apiServerKeyId(signer.publicPem), issuer: ISSUER, namespace: 'ingest', name: 'ingest' });
    await expect(jwtVerify(token, createLocalJWKSet(JSON.parse(written('openid/v1/jwks'))), { issuer: ISSUER, audience: 'sts.amazonaws.com' })).resolves.toBeDefined();
    const flags = written('kube-apiserver.flags').trim().split('\n');
    expect(flags[0]).toBe(`--service-account-issuer=${template.findResources('AWS::IAM::OIDCProvider')[Object.keys(template.findResources('AWS::IAM::OIDCProvider'))[0]].Properties.Url}`);
    expect(flags).toContain(`--service-account-jwks-uri=${JSON.parse(written('.well-known/openid-configuration')).jwks_uri}`);
  });

  test('THEN the webhook asks for tokens of the audience the provider lists, and its YAML is apply-ready', () => {
    const objects = fs.readdirSync(path.join(dir, 'lab')).sort().flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, 'lab', f), 'utf-8')).map(d => d.toJS()));
    const deployment = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'pod-identity-webhook');
    const [provider] = Object.values(template.findResources('AWS::IAM::OIDCProvider')) as any[];
    expect(deployment.spec.template.spec.containers[0].command).toContain(`--token-audience=${provider.Properties.ClientIdList[0]}`);
    expect(objects.map(o => o.kind).slice(0, 2)).toEqual(['Namespace', 'Namespace']);
  });

  test('THEN issuer files inside the cluster\'s YAML folder are refused, nothing written', () => {
    const app = new cdk8s.App({ outdir: path.join(dir, 'other') });
    new WorkloadChart(app, 'ingest', { binding: identity.primaryBinding });
    expect(() => WorkloadOutputs.synth({ apps: [app], issuerFiles: [{ directory: path.join(dir, 'other', 'issuer'), documents: issuer.documents }] })).toThrow(
      `The issuer files' directory '${path.join(dir, 'other', 'issuer')}' is inside the cluster's YAML folder '${path.join(dir, 'other')}', where kubectl would try to apply them: ` +
      `write them beside it, e.g. '${path.join(dir, 'other')}-issuer'.`);
    expect(fs.existsSync(path.join(dir, 'other'))).toBe(false);
  });
});

