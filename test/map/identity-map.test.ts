import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, KubernetesGuardrails, WorkloadChart, WorkloadCluster, WorkloadIdentity, WorkloadOutputs } from '../../lib';
import { diffIdentityMaps, diffToMarkdown, identityMapOf, IdentityMapDocument, readIdentityMap, renderIdentityMapHtml, writeIdentityMap } from '../../lib/map';
import { main } from '../../lib/map/cli';
import { ACCOUNT, ISSUER, REGION } from '../fixtures';

/** A small app written to disk as `cdk synth` and WorkloadOutputs write it: two workloads, an unused role, a pod on default. */
function synthesizeApp(dir: string, extra?: (stack: Stack, payment: WorkloadIdentity) => void): { cdkOut: string; dist: string } {
  const awsApp = new App({ outdir: path.join(dir, 'cdk.out'), context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(awsApp, 'Shop', { env: { account: ACCOUNT, region: REGION } });
  const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shop', oidcIssuerUrl: ISSUER, installPodIdentityAgent: true });
  const payment = new WorkloadIdentity(stack, 'Payment', { cluster, namespace: 'payments', serviceAccountName: 'payment' });
  new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }).grantReadData(payment);
  const report = new WorkloadIdentity(stack, 'Report', { cluster, namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA });
  new s3.Bucket(stack, 'Reports').grantRead(report);
  new WorkloadIdentity(stack, 'Idle', { cluster, namespace: 'idle', serviceAccountName: 'idle' });
  extra?.(stack, payment);
  awsApp.synth();
  const k8sApp = new cdk8s.App({ outdir: path.join(dir, 'dist', 'shop') });
  for (const identity of [payment, report]) {
    const chart = new WorkloadChart(k8sApp, identity.primaryBinding.serviceAccountName, { binding: identity.primaryBinding });
    new kplus.Deployment(chart, 'app', { metadata: { name: identity.primaryBinding.serviceAccountName }, serviceAccount: chart.serviceAccount, containers: [{ image: 'shop:1', securityContext: { user: 1000 } }] });
  }
  const legacy = new cdk8s.Chart(k8sApp, 'legacy', { namespace: 'payments' });
  legacy.node.addDependency(k8sApp.charts[0]);
  const old = new kplus.Deployment(legacy, 'legacy', { metadata: { name: 'legacy' }, containers: [{ image: 'legacy:1', securityContext: { user: 1000 } }], automountServiceAccountToken: false });
  KubernetesGuardrails.acknowledge(old, 'WI-K8S-3', 'The legacy app needs no AWS access and moves to its own ServiceAccount next sprint.');
  WorkloadOutputs.synth({ apps: [k8sApp] });
  return { cdkOut: path.join(dir, 'cdk.out'), dist: path.join(dir, 'dist') };
}

describe('identity map', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-map-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let sources: { cdkOut: string; dist: string };
  let map: IdentityMapDocument;
  beforeAll(() => {
    sources = synthesizeApp(path.join(dir, 'v1'));
    map = identityMapOf(sources);
  });
  const sa = (ns: string, name: string) => map.clusters[0].namespaces.find(n => n.name === ns)!.serviceAccounts.find(s => s.name === name)!;

  test('GIVEN a synthesized app WHEN mapped THEN each ServiceAccount has its mechanism, its role and its pods', () => {
    expect(map.clusters.map(c => c.name)).toEqual(['shop']);
    expect(sa('payments', 'payment')).toEqual({ name: 'payment', mechanism: 'POD_IDENTITY', roles: ['Shop/Payment61ED5A27'], workloads: ['Deployment/payment'], declared: true });
    expect(sa('reporting', 'report')).toMatchObject({ mechanism: 'IRSA', roles: ['Shop/Report2CA88918'], workloads: ['Deployment/report'] });
    expect(sa('payments', 'default')).toEqual({ name: 'default', mechanism: 'NONE', roles: [], workloads: ['Deployment/legacy'], declared: false });
  });

  test('THEN each role shows who may assume it and what it may do', () => {
    const report = map.roles.find(r => r.id === 'Shop/Report2CA88918')!;
    expect(report.trust).toEqual([{ mechanism: 'IRSA', issuer: ISSUER.replace('https://', ''), subjects: ['system:serviceaccount:reporting:report'], associations: [], principals: [expect.stringContaining(':oidc-provider/')] }]);
    expect(report.permissions.map(p => p.actions)).toEqual([['s3:GetObject*', 's3:GetBucket*', 's3:List*']]);
    expect(report.permissions[0].resources).toEqual(['${Shop/Reports/Resource.Arn}', '${Shop/Reports/Resource.Arn}/*']);
    const payment = map.roles.find(r => r.id === 'Shop/Payment61ED5A27')!;
    expect(payment.trust).toEqual([{ mechanism: 'POD_IDENTITY', subjects: [], associations: ['shop/payments/payment'], principals: ['pods.eks.amazonaws.com'] }]);
  });

  test('GIVEN a role written by hand whose trust allows web identity through a wildcard action, its subject key in another case, THEN it is mapped as IRSA with its subject', () => {
    // IAM reads 'sts:AssumeRole*' as covering sts:AssumeRoleWithWebIdentity, and ':Sub' as ':sub': the pods can assume this role.
    const issuer = ISSUER.replace('https://', '');
    const handWritten = identityMapOf(synthesizeApp(path.join(dir, 'wildcard-trust'), stack => {
      new iam.CfnRole(stack, 'Batch', {
        assumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}` }, Action: 'sts:AssumeRole*',
            Condition: { StringEquals: { [`${issuer}:Sub`]: 'system:serviceaccount:batch:runner', [`${issuer}:aud`]: 'sts.amazonaws.com' } },
          }],
        },
      });
    }));
    expect(handWritten.roles.find(r => r.id === 'Shop/Batch')?.trust).toEqual([{
      mechanism: 'IRSA', issuer, subjects: ['system:serviceaccount:batch:runner'], associations: [], principals: [`arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}`],
    }]);
  });

  test('THEN the flags a reviewer wants first are raised: wildcards, an unused role, a pod on default', () => {
    const flags = map.flags.map(f => `${f.kind} ${f.subject}`);
    expect(flags).toEqual(expect.arrayContaining([
      'wildcard-action Shop/Report2CA88918', 'unused-role Shop/Idle9F7F3252', 'default-service-account shop/payments/default',
    ]));
    expect(flags.filter(f => f.startsWith('unused-role'))).toEqual(['unused-role Shop/Idle9F7F3252']);
    // Reads are not writes, even through a wildcard (s3:GetObject*); a write through one is (the diff test's s3:*).
    expect(flags.filter(f => f.startsWith('data-store-write'))).toEqual([]);
  });

  test('GIVEN a grant added WHEN the maps are diffed THEN exactly it is added, per ServiceAccount', () => {
    const after = identityMapOf(synthesizeApp(path.join(dir, 'v2'), (_, payment) => payment.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [`arn:aws:sqs:${REGION}:${ACCOUNT}:orders`] }))));
    const diff = diffIdentityMaps(map, after);
    expect(diff).toEqual({ added: [{ serviceAccount: 'shop/payments/payment', role: 'Shop/Payment', action: 'sqs:SendMessage', resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders` }], removed: [] });
    expect(diffIdentityMaps(after, map)).toEqual({ added: [], removed: diff.added });
    expect(after.flags).toContainEqual({ kind: 'data-store-write', subject: 'Shop/Payment61ED5A27', message: `sqs:SendMessage on arn:aws:sqs:${REGION}:${ACCOUNT}:orders (policy:Shop/PaymentDefaultPolicy432EC3C0)` });
    expect(diffToMarkdown(diffIdentityMaps(map, map))).toBe('### Identity map: no change in what any ServiceAccount may do\n');
  });

  test('GIVEN a value that would close the script element WHEN rendered THEN the page stays one script', () => {
    const html = renderIdentityMapHtml({ ...map, flags: [{ kind: 'acknowledgement', subject: 'x', message: '</script><script>alert(1)</script>' }] });
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)\\u003c/script>');
  });

  test('GIVEN the command line WHEN run THEN it writes both files, and refuses bad input naming it', () => {
    const out = path.join(dir, 'out');
    const err: string[] = [];
    expect(main(['map', '--cdk-out', sources.cdkOut, '--dist', sources.dist, '--out', out], () => undefined, s => err.push(s))).toBe(0);
    expect(readIdentityMap(path.join(out, 'identity-map.json'))).toEqual(JSON.parse(JSON.stringify(map)));
    expect(fs.readFileSync(path.join(out, 'identity-map.html'), 'utf-8')).toContain('<script id="identity-map-data" type="application/json">');
    expect(main(['map', '--cdk-out', path.join(dir, 'nowhere')], () => undefined, s => err.push(s))).toBe(1);
    expect(err.join('')).toContain(`No cloud assembly at '${path.join(dir, 'nowhere')}'`);
    expect(main(['map', '--bogus', 'x'], () => undefined, s => err.push(s))).toBe(2);
    expect(main(['map', '--fail-on-new-wildcards', '--cdk-out', sources.cdkOut, '--dist', sources.dist, '--out', out], () => undefined, s => err.push(s))).toBe(2);
    fs.writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ format: 99 }));
    expect(() => readIdentityMap(path.join(dir, 'old.json'))).toThrow('is an identity map of format 99; this version reads format 1.');
    writeIdentityMap(map, path.join(dir, 'again'));
  });
});
