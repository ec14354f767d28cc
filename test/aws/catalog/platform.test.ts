import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdk8s from 'cdk8s';
import { EXAMPLE_ENV } from '../../../examples';
import { WorkloadOutputs } from '../../../lib';
import { PlatformChart, PlatformStack } from '../../../examples/platform';

let stack: PlatformStack;
let template: Template;
let outdir: string;
let objects: any[];

beforeAll(() => {
  // GIVEN the platform example, built as bin/synth.ts builds it
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
  stack = new PlatformStack(new App(), 'Platform', { env: EXAMPLE_ENV });
  const k8sApp = new cdk8s.App({ outdir, yamlOutputType: cdk8s.YamlOutputType.FILE_PER_CHART });
  new PlatformChart(k8sApp, 'platform', stack);
  template = Template.fromStack(stack);
  WorkloadOutputs.synth({ apps: [k8sApp], helmValues: [{ app: k8sApp, releases: stack.releases() }] });
  // The library's namespaces come first (0000-workload-namespaces), then the chart (0001-platform).
  objects = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).sort()
    .flatMap(f => cdk8s.Yaml.load(path.join(outdir, f))).filter((o: any) => o);
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('EBS CSI and the VPC CNI are add-ons that carry their roles, after the one agent add-on', () => {
  const addons = template.findResources('AWS::EKS::Addon');
  const byName = (name: string) => Object.entries<any>(addons).filter(([, r]) => r.Properties.AddonName === name);
  expect(byName('eks-pod-identity-agent')).toHaveLength(1);
  const agentId = byName('eks-pod-identity-agent')[0][0];
  for (const [name, serviceAccount] of [['aws-ebs-csi-driver', 'ebs-csi-controller-sa'], ['vpc-cni', 'aws-node']]) {
    const [[, addon]] = byName(name);
    expect(addon.Properties.PodIdentityAssociations).toEqual([{ ServiceAccount: serviceAccount, RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } }]);
    expect(addon.DependsOn).toEqual([agentId]);
  }
});

test('the Helm controllers, and only they, have standalone associations', () => {
  const associations = Object.values<any>(template.findResources('AWS::EKS::PodIdentityAssociation')).map(r => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`);
  expect(associations.sort()).toEqual([
    'cert-manager/cert-manager', 'external-dns/external-dns', 'external-secrets/external-secrets',
    'kube-system/aws-load-balancer-controller', 'kube-system/karpenter',
  ]);
});

test('each release\'s Helm values are in dist, and name the ServiceAccount the manifests declare, with create: false', () => {
  const serviceAccounts = objects.filter(o => o.kind === 'ServiceAccount');
  // The add-ons' ServiceAccounts are theirs: the manifests hold only the Helm releases'.
  expect(serviceAccounts.map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
    'cert-manager/cert-manager', 'external-dns/external-dns', 'external-secrets/external-secrets',
    'kube-system/aws-load-balancer-controller', 'kube-system/karpenter',
  ]);
  for (const [release, identity] of Object.entries(stack.helmReleases)) {
    const file = path.join(outdir, 'helm', `${release}.values.yaml`);
    const values = cdk8s.Yaml.load(file)[0];
    expect(values).toEqual(stack.resolve(identity.helmValues()));
    expect(values.serviceAccount).toEqual({ create: false, name: identity.binding.serviceAccountName });
    const sa = serviceAccounts.find(o => o.metadata.name === identity.binding.serviceAccountName && o.metadata.namespace === identity.binding.namespace);
    expect(sa.automountServiceAccountToken).toBe(true);
    // The install line names the chart version the values were checked against.
    expect(fs.readFileSync(file, 'utf-8')).toMatch(new RegExp(`^# helm install ${release} .*${identity.chart.version ? ` --version ${identity.chart.version}` : ''} --namespace ${identity.binding.namespace} -f ${release}.values.yaml\n`));
  }
  expect(cdk8s.Yaml.load(path.join(outdir, 'helm', 'karpenter.values.yaml'))[0].settings).toEqual({ clusterName: 'platform', interruptionQueue: 'platform' });
  expect(cdk8s.Yaml.load(path.join(outdir, 'helm', 'aws-load-balancer-controller.values.yaml'))[0]).toMatchObject({ clusterName: 'platform', region: 'eu-west-1', vpcId: 'vpc-0a1b2c3d4e5f67890' });
  expect(cdk8s.Yaml.load(path.join(outdir, 'helm', 'external-dns.values.yaml'))[0]).toMatchObject({ domainFilters: ['platform.example.com'], extraArgs: ['--zone-id-filter=Z0PLATFORMEXAMPLE0001'] });
  expect(fs.readFileSync(path.join(outdir, 'helm', 'karpenter.values.yaml'), 'utf-8').split('\n')[0])
    .toBe('# helm install karpenter oci://public.ecr.aws/karpenter/karpenter --version 1.14.1 --namespace kube-system -f karpenter.values.yaml');
});

test('no inline policy, and every permission in a managed policy attached to its role', () => {
  template.resourceCountIs('AWS::IAM::Policy', 0);
  const managed = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
  expect(managed.length).toBeGreaterThanOrEqual(7);
  expect(managed.every(p => p.Properties.Roles.length === 1)).toBe(true);
});
