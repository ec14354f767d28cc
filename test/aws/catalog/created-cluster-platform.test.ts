/**
 * Issue 19's "done when": a platform app that creates its aws-eks-v2 cluster
 * and adds EBS CSI (with a customer managed key), the load balancer
 * controller, external-dns and Karpenter through the cluster's one handle
 * synthesizes with no workaround, and its Helm values and YAML hold no
 * unresolved token.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import {
  AwsLoadBalancerControllerIdentity, EbsCsiDriverIdentity, ExternalDnsIdentity, HostedZoneScope, KarpenterControllerIdentity, WorkloadCluster,
  WorkloadOutputs, WorkloadServiceAccount,
} from '../../../lib';

let dir: string;
let stack: Stack;
let template: Template;

beforeAll(() => {
  // GIVEN an app that creates its cluster (literal name) in the platform team's VPC, and four catalog entries on its one handle
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'created-platform-'));
  const app = new App({ outdir: path.join(dir, 'cdk.out') });
  stack = new Stack(app, 'Platform', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f67890', availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0a', 'subnet-0b'], publicSubnetIds: ['subnet-1a', 'subnet-1b'],
  });
  const eksCluster = new eks.Cluster(stack, 'Eks', { clusterName: 'platform', version: eks.KubernetesVersion.V1_33, vpc });
  const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'Cluster', eksCluster);
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0PLATFORMEXAMPLE0001', zoneName: 'platform.example.com' });
  const nodeRole = new iam.Role(stack, 'KarpenterNodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  new EbsCsiDriverIdentity(stack, 'EbsCsiDriver', { cluster, kmsKeys: [new kms.Key(stack, 'VolumeKey', { enableKeyRotation: true })] });
  const helm = {
    'aws-load-balancer-controller': new AwsLoadBalancerControllerIdentity(stack, 'LoadBalancerController', { cluster, vpc }),
    'external-dns': new ExternalDnsIdentity(stack, 'ExternalDns', { cluster, hostedZones: HostedZoneScope.of([zone]) }),
    'karpenter': new KarpenterControllerIdentity(stack, 'Karpenter', {
      cluster, nodeRole, interruptionQueue: new sqs.Queue(stack, 'Interruptions', { queueName: 'platform-karpenter' }),
    }),
  };
  const k8sApp = new cdk8s.App({ outdir: path.join(dir, 'dist', 'platform') });
  const chart = new cdk8s.Chart(k8sApp, 'controllers');
  for (const [release, identity] of Object.entries(helm)) {
    new WorkloadServiceAccount(chart, release, { binding: identity.binding, automountToken: true });
  }
  // WHEN both sides are synthesized as bin/synth.ts does
  template = Template.fromStack(stack);
  app.synth();
  WorkloadOutputs.synth({
    apps: [k8sApp],
    helmValues: [{ app: k8sApp, releases: Object.entries(helm).map(([release, identity]) => identity.helmRelease(release)) }],
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function filesBelow(d: string): string[] {
  return fs.readdirSync(d, { recursive: true, encoding: 'utf-8' }).map(f => path.join(d, f)).filter(f => fs.statSync(f).isFile());
}

test('the YAML and every Helm values file hold no token, and the values name the cluster literally', () => {
  const files = filesBelow(path.join(dir, 'dist'));
  expect(files.map(f => path.relative(dir, f)).sort()).toEqual([
    'dist/platform/0000-workload-namespaces.k8s.yaml', 'dist/platform/0001-controllers.k8s.yaml', 'dist/platform/helm/aws-load-balancer-controller.values.yaml',
    'dist/platform/helm/external-dns.values.yaml', 'dist/platform/helm/karpenter.values.yaml',
  ].map(f => f.split('/').join(path.sep)).sort());
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf-8');
    expect([file, /\$\{Token\[|#\{Token\[|"Ref"|Fn::/.test(text)]).toEqual([file, false]);
  }
  const values = (release: string) => cdk8s.Yaml.load(path.join(dir, 'dist', 'platform', 'helm', `${release}.values.yaml`))[0];
  expect(values('karpenter').settings).toEqual({ clusterName: 'platform', interruptionQueue: 'platform-karpenter' });
  expect(values('aws-load-balancer-controller')).toMatchObject({ clusterName: 'platform', region: 'eu-west-1', vpcId: 'vpc-0a1b2c3d4e5f67890' });
  expect(values('external-dns')).toMatchObject({ extraArgs: ['--zone-id-filter=Z0PLATFORMEXAMPLE0001'], domainFilters: ['platform.example.com'] });
});

test('the entries keep the dependency on the created cluster and print no warning or "owned outside" note', () => {
  const addon = Object.values<any>(template.findResources('AWS::EKS::Addon')).find(a => a.Properties.AddonName === 'aws-ebs-csi-driver');
  expect(addon.Properties.ClusterName).toEqual({ Ref: expect.stringMatching(/^Eks/) });
  expect(JSON.parse(addon.Properties.ConfigurationValues)).toEqual({ controller: { k8sTagClusterId: 'platform' } });
  const associations = Object.values<any>(template.findResources('AWS::EKS::PodIdentityAssociation'));
  expect(associations).toHaveLength(3);
  for (const a of associations) { expect(a.Properties.ClusterName).toEqual({ Ref: expect.stringMatching(/^Eks/) }); }
  expect(Annotations.fromStack(stack).findWarning('*', '*' as any)).toEqual([]);
  expect(JSON.stringify(Annotations.fromStack(stack).findInfo('*', '*' as any))).not.toMatch(/outside this app/);
});

test('the EBS CSI role may use the customer key only through grants for AWS resources', () => {
  const statements = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(p => p.Properties.PolicyDocument.Statement);
  const grants = statements.find(s => s.Sid === 'KmsGrantsForAwsResources');
  expect(grants.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  expect(grants.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^VolumeKey/), 'Arn'] });
});
