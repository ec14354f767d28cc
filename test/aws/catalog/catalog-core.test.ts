/**
 * Issue 19's defect classes for the framework and the four headline entries
 * (Karpenter, load balancer controller, external-dns, EBS CSI): each test
 * failed before its fix. The upstream diff and the call evaluation
 * (upstream.test.ts, test/verify/catalog-permissions.test.ts) cover the
 * missing actions and looser scoping by entry.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AwsLoadBalancerControllerIdentity, ClusterAutoscalerIdentity, CloudWatchObservabilityIdentity, EbsCsiDriverIdentity, ExternalDnsIdentity,
  HostedZoneScope, KarpenterControllerIdentity, VpcCniIdentity, WorkloadCluster,
} from '../../../lib';
import { ACCOUNT, R, REGION, platformCluster } from './catalog-app';

function newStack(): Stack {
  return new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
}

/** An aws-eks-v2 cluster created in the stack with a literal name, and its one handle. */
function createdCluster(stack: Stack) {
  const cluster = new eks.Cluster(stack, 'Eks', { clusterName: 'created', version: eks.KubernetesVersion.V1_33 });
  return { cluster, handle: WorkloadCluster.fromEksV2Cluster(stack, 'Handle', cluster) };
}

describe('a cluster created in the app, through its one handle', () => {
  test.each([
    ['Karpenter', (s: Stack, c: any) => new KarpenterControllerIdentity(s, 'Karpenter', { cluster: c, nodeRole: iam.Role.fromRoleArn(s, 'N', R.nodeRole) })],
    ['ClusterAutoscaler', (s: Stack, c: any) => new ClusterAutoscalerIdentity(s, 'Ca', { cluster: c })],
    ['VpcCni', (s: Stack, c: any) => new VpcCniIdentity(s, 'Cni', { cluster: c, vpc: ec2.Vpc.fromVpcAttributes(s, 'V', { vpcId: R.vpc, availabilityZones: ['eu-west-1a'] }) })],
    ['CloudWatchObservability', (s: Stack, c: any) => new CloudWatchObservabilityIdentity(s, 'Cw', { cluster: c })],
    ['EbsCsiDriver', (s: Stack, c: any) => new EbsCsiDriverIdentity(s, 'Ebs', { cluster: c })],
    ['AwsLoadBalancerController', (s: Stack, c: any) => new AwsLoadBalancerControllerIdentity(s, 'Lbc', { cluster: c })],
  ])('%s scopes by the literal name and keeps the dependency on the cluster', (_name, make) => {
    // GIVEN an aws-eks-v2 Cluster with clusterName 'created'
    const stack = newStack();
    const { handle } = createdCluster(stack);
    // WHEN the entry is added through the handle
    const entry = make(stack, handle);
    // THEN its policies name the cluster literally, never its Ref
    const json = JSON.stringify(Template.fromStack(stack).toJSON().Resources);
    const policies = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .filter(p => JSON.stringify(p).includes(Stack.of(entry).getLogicalId(entry.role.node.defaultChild as any)));
    expect(policies.length).toBeGreaterThan(0);
    expect(JSON.stringify(policies)).toContain('created');
    // AND an add-on still references the cluster (Ref: deployed after it)
    if ((entry as any).addon) { expect(json).toMatch(/"ClusterName":\{"Ref":"Eks[0-9A-F]+"\}/); }
  });

  test('Karpenter\'s and the load balancer controller\'s Helm values hold the literal name', () => {
    const stack = newStack();
    const { handle } = createdCluster(stack);
    const karpenter = new KarpenterControllerIdentity(stack, 'Karpenter', { cluster: handle, nodeRole: iam.Role.fromRoleArn(stack, 'N', R.nodeRole) });
    const lbc = new AwsLoadBalancerControllerIdentity(stack, 'Lbc', { cluster: handle });
    expect(karpenter.helmValues().settings).toEqual({ clusterName: 'created' });
    expect(lbc.helmValues()).toMatchObject({ clusterName: 'created', region: REGION });
  });
});

describe('Helm values are literal or refused by name', () => {
  test('an interruption queue created without a name is refused, naming the value and the fix', () => {
    // GIVEN Karpenter with a queue whose name CloudFormation generates
    const stack = newStack();
    const karpenter = new KarpenterControllerIdentity(stack, 'Karpenter', {
      cluster: platformCluster(stack), nodeRole: iam.Role.fromRoleArn(stack, 'N', R.nodeRole), interruptionQueue: new sqs.Queue(stack, 'Q'),
    });
    // WHEN the values are read THEN the error names settings.interruptionQueue
    expect(() => karpenter.helmValues()).toThrow(
      "Helm values of release 'karpenter' (KarpenterControllerIdentity 'Platform/Karpenter') are known only at deployment: settings.interruptionQueue. " +
      'Give the resources they come from literal names (import them by name or ARN, or set the name when you create them), or leave them out and set them at install time.');
  });

  test('a queue imported by ARN or created with a name gives a literal name', () => {
    const stack = newStack();
    const nodeRole = iam.Role.fromRoleArn(stack, 'N', R.nodeRole);
    const imported = new KarpenterControllerIdentity(stack, 'K1', { cluster: platformCluster(stack), nodeRole, interruptionQueue: sqs.Queue.fromQueueArn(stack, 'Q1', R.queue) });
    const named = new KarpenterControllerIdentity(stack, 'K2', { cluster: platformCluster(stack, 'C2'), serviceAccountName: 'karpenter2', nodeRole, interruptionQueue: new sqs.Queue(stack, 'Q2', { queueName: 'platform-karpenter' }) });
    expect(imported.helmValues().settings.interruptionQueue).toBe('platform-interruptions');
    expect(named.helmValues().settings.interruptionQueue).toBe('platform-karpenter');
  });

  test('the load balancer controller renders region and vpcId; a VPC created in the app is refused by name', () => {
    const stack = newStack();
    const cluster = platformCluster(stack);
    const lbc = new AwsLoadBalancerControllerIdentity(stack, 'Lbc', { cluster, vpc: ec2.Vpc.fromVpcAttributes(stack, 'V', { vpcId: R.vpc, availabilityZones: ['eu-west-1a'] }) });
    expect(lbc.helmValues()).toMatchObject({ region: REGION, vpcId: R.vpc });
    const created = new AwsLoadBalancerControllerIdentity(stack, 'Lbc2', { cluster: platformCluster(stack, 'C2'), serviceAccountName: 'lbc2', vpc: new ec2.Vpc(stack, 'Created') });
    expect(() => created.helmRelease()).toThrow(/known only at deployment: vpcId\./);
  });

  test('helmRelease names chart, pinned version and namespace', () => {
    const stack = newStack();
    const lbc = new AwsLoadBalancerControllerIdentity(stack, 'Lbc', { cluster: platformCluster(stack) });
    expect(lbc.helmRelease()).toMatchObject({ release: 'aws-load-balancer-controller', namespace: 'kube-system', repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '3.5.0' });
    expect(() => lbc.helmRelease('Bad_Name')).toThrow(/Invalid Helm release name 'Bad_Name'/);
  });
});

describe('external-dns', () => {
  test('filters to the scoped zones (ids always, names where known) and reads tags with ListTagsForResources', () => {
    const stack = newStack();
    const byId = new ExternalDnsIdentity(stack, 'ById', { cluster: platformCluster(stack), hostedZones: HostedZoneScope.fromHostedZoneIds([R.zone, `/hostedzone/${R.otherZone}`]) });
    expect(byId.helmValues()).toEqual({ provider: { name: 'aws' }, serviceAccount: { create: false, name: 'external-dns' }, extraArgs: [`--zone-id-filter=${R.zone}`, `--zone-id-filter=${R.otherZone}`] });
    const all = new ExternalDnsIdentity(stack, 'All', { cluster: platformCluster(stack, 'C2'), namespace: 'dns2', hostedZones: HostedZoneScope.allHostedZones() });
    expect(all.helmValues()).toEqual({ provider: { name: 'aws' }, serviceAccount: { create: false, name: 'external-dns' } });
    const statement = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument.Statement[0];
    expect(statement.Action).toContain('route53:ListTagsForResources');
    expect(statement.Action).not.toContain('route53:ListTagsForResource');
  });

  test('a zone created in the app without a literal id is refused in the values, by name', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'platform.example.com' });
    const dns = new ExternalDnsIdentity(stack, 'Dns', { cluster: platformCluster(stack), hostedZones: HostedZoneScope.of([zone]) });
    expect(() => dns.helmValues()).toThrow(/known only at deployment: extraArgs\[0\]\./);
  });
});

describe('EBS CSI', () => {
  test('useAwsManagedPolicy with customer keys: the managed policy plus the user guide\'s KMS statement on those keys', () => {
    // GIVEN the managed policy and a customer managed key (refused before)
    const stack = newStack();
    const ebs = new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack), useAwsManagedPolicy: true, kmsKeys: [kms.Key.fromKeyArn(stack, 'K', R.key)] });
    const template = Template.fromStack(stack).toJSON();
    // THEN the role has the AWS managed policy and one scoped KMS policy
    const role = template.Resources[stack.getLogicalId(ebs.role.node.defaultChild as any)];
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AmazonEBSCSIDriverPolicy');
    const statements = ebs.policies.flatMap(p => stack.resolve(p.document.toJSON()).Statement);
    expect(statements.map((s: any) => s.Sid)).toEqual(['KmsGrantsForAwsResources', 'KmsKeyUse']);
    expect(statements.every((s: any) => s.Resource === R.key)).toBe(true);
  });

  test('scoped to this cluster: every volume, snapshot and instance write names it', () => {
    const stack = newStack();
    const ebs = new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack) });
    const statements = ebs.policies.flatMap(p => stack.resolve(p.document.toJSON()).Statement);
    for (const s of statements.filter((x: any) => x.Sid !== 'ReadOnlyDescribeOperations' && x.Sid !== 'TagResourcesOnCreation')) {
      expect([s.Sid, JSON.stringify(s.Condition)]).toEqual([s.Sid, expect.stringContaining('"platform"')]);
    }
  });

  test('a conflicting k8sTagClusterId in the configuration is refused', () => {
    const stack = newStack();
    expect(() => new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack), configurationValues: '{"controller":{"k8sTagClusterId":"x"}}' })).toThrow(
      "EbsCsiDriverIdentity 'Platform/Ebs': configurationValues sets controller.k8sTagClusterId to 'x', but the role is scoped to volumes tagged with cluster 'platform'. Remove it (the entry sets it).");
  });
});

describe('the catalog entry is the identity: shared options and IPrincipal', () => {
  test('props extend the identity\'s shared options, passed to its role', () => {
    // GIVEN an entry with role options only WorkloadIdentityOptions declares
    const stack = newStack();
    const dns = new ExternalDnsIdentity(stack, 'Dns', {
      cluster: platformCluster(stack), hostedZones: HostedZoneScope.fromHostedZoneIds([R.zone]),
      rolePath: '/controllers/', tags: { team: 'platform' }, description: 'external-dns of the platform cluster',
    });
    // THEN the role carries them
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Path: '/controllers/', Description: 'external-dns of the platform cluster', Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(dns.identity.role).toBe(dns.role);
  });

  test('an entry is an IPrincipal by delegation: grants and resource policies name its role', () => {
    const stack = newStack();
    const dns = new ExternalDnsIdentity(stack, 'Dns', { cluster: platformCluster(stack), hostedZones: HostedZoneScope.fromHostedZoneIds([R.zone]) });
    const key = new kms.Key(stack, 'Key');
    key.grantDecrypt(dns);
    key.addToResourcePolicy(new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: ['*'], principals: [dns] }));
    expect(dns.policyFragment.principalJson).toEqual(dns.role.policyFragment.principalJson);
    expect(dns.assumeRoleAction).toBe(dns.role.assumeRoleAction);
    const roleId = stack.getLogicalId(dns.role.node.defaultChild as iam.CfnRole);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: roleId }], PolicyDocument: { Statement: [Match.objectLike({ Action: 'kms:Decrypt', Effect: 'Allow' })] } });
    expect(JSON.stringify(template.toJSON())).toContain(`"Principal":{"AWS":{"Fn::GetAtt":["${roleId}","Arn"]}}`);
  });
});
