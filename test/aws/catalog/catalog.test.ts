import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AddonIdentity, CatalogIdentity, ClusterKind, CloudWatchObservabilityIdentity, ClusterAutoscalerIdentity, EbsCsiDriverIdentity, ExternalDnsIdentity,
  ExternalSecretsIdentity, HelmIdentity, HostedZoneScope, IdentityMechanism, IpFamily, KarpenterControllerIdentity, ParameterScope,
  PrometheusIngestIdentity, SecretScope, VpcCniIdentity, WorkloadCluster, WorkloadIdentity,
} from '../../../lib';
import { ACCOUNT, CLUSTER, CatalogEntries, R, REGION, addEveryEntry, platformCluster } from './catalog-app';

function newStack(): Stack {
  return new Stack(new App(), 'Platform', { env: { account: ACCOUNT, region: REGION } });
}

function build(mechanism?: IdentityMechanism): { stack: Stack; entries: CatalogEntries; template: Template } {
  const stack = newStack();
  const entries = addEveryEntry(stack, platformCluster(stack), mechanism);
  return { stack, entries, template: Template.fromStack(stack) };
}

const logicalId = (c: { node: { defaultChild?: any } }) => Stack.of(c as any).getLogicalId(c.node.defaultChild);
/** The logical id of a created role. */
const roleId = (identity: WorkloadIdentity) => Stack.of(identity).getLogicalId(identity.role.node.defaultChild as any);

/** Namespace and ServiceAccount each chart or add-on installs with by default. */
const DEFAULTS: [string, string, string][] = [
  ['EbsCsiDriver', 'kube-system', 'ebs-csi-controller-sa'],
  ['EfsCsiDriver', 'kube-system', 'efs-csi-controller-sa'],
  ['FsxCsiDriver', 'kube-system', 'fsx-csi-controller-sa'],
  ['MountpointS3CsiDriver', 'kube-system', 's3-csi-driver-sa'],
  ['VpcCni', 'kube-system', 'aws-node'],
  ['CloudWatchObservability', 'amazon-cloudwatch', 'cloudwatch-agent'],
  ['AdotCollector', 'opentelemetry-operator-system', 'adot-collector'],
  ['AwsLoadBalancerController', 'kube-system', 'aws-load-balancer-controller'],
  ['AwsGatewayApiController', 'aws-application-networking-system', 'gateway-api-controller'],
  ['ExternalDns', 'external-dns', 'external-dns'],
  ['CertManager', 'cert-manager', 'cert-manager'],
  ['AwsPrivateCaIssuer', 'aws-privateca-issuer', 'aws-privateca-issuer'],
  ['ClusterAutoscaler', 'kube-system', 'cluster-autoscaler'],
  ['Karpenter', 'kube-system', 'karpenter'],
  ['ExternalSecrets', 'external-secrets', 'external-secrets'],
  ['SecretsStoreCsiProvider', 'shop', 'checkout'],
  ['Velero', 'velero', 'velero-server'],
  ['NodeTerminationHandler', 'kube-system', 'aws-node-termination-handler'],
  ['PrometheusIngest', 'prometheus', 'amp-iamproxy-ingest-service-account'],
  ['PrometheusQuery', 'prometheus', 'amp-iamproxy-query-service-account'],
  ['FluentBit', 'amazon-cloudwatch', 'fluent-bit'],
];

describe('the catalog', () => {
  const { entries } = build();

  test('has at least 20 workloads, each with its upstream policy', () => {
    // GIVEN every entry WHEN listed THEN 20+ distinct workloads, each naming its source and version
    const workloads = new Set(Object.values(entries).map(e => e.constructor.name));
    expect(workloads.size).toBeGreaterThanOrEqual(20);
    for (const e of Object.values(entries)) {
      expect(e.upstream.name.length).toBeGreaterThan(10);
      expect(e.upstream.url).toMatch(/^https:\/\//);
      expect(e.upstream.version.length).toBeGreaterThan(0);
    }
  });

  test.each(DEFAULTS)('%s binds %s/%s by default', (name, namespace, serviceAccountName) => {
    // GIVEN the entry built without namespace or ServiceAccount THEN it binds the chart's or add-on's defaults
    expect(entries[name].binding).toMatchObject({ clusterName: CLUSTER, namespace, serviceAccountName, mechanism: IdentityMechanism.POD_IDENTITY });
  });
});

describe('EKS managed add-ons bind through the add-on', () => {
  test('Pod Identity: the role goes in the add-on\'s PodIdentityAssociations, after the agent, with no standalone association', () => {
    // GIVEN every entry on Pod Identity
    const { entries, template } = build(IdentityMechanism.POD_IDENTITY);
    const agent = Object.entries(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'eks-pod-identity-agent' } }));
    expect(agent).toHaveLength(1);
    const addons = Object.values(entries).filter((e): e is AddonIdentity => e instanceof AddonIdentity && e.addon !== undefined);
    // THEN each add-on names its role for its own ServiceAccount and depends on the agent
    expect(addons.map(a => a.addonName).sort()).toEqual(['amazon-cloudwatch-observability', 'aws-ebs-csi-driver', 'aws-efs-csi-driver', 'aws-mountpoint-s3-csi-driver', 'vpc-cni']);
    for (const a of addons) {
      const resource = template.toJSON().Resources[Stack.of(a).getLogicalId(a.addon!)];
      expect(resource.Properties.PodIdentityAssociations).toEqual([{ ServiceAccount: a.binding.serviceAccountName, RoleArn: { 'Fn::GetAtt': [roleId(a.identity), 'Arn'] } }]);
      expect(resource.Properties.ServiceAccountRoleArn).toBeUndefined();
      expect(resource.DependsOn).toContain(agent[0][0]);
    }
    // AND no standalone association competes for their ServiceAccounts
    const standalone = Object.values(template.findResources('AWS::EKS::PodIdentityAssociation')).map((r: any) => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`);
    for (const a of addons) { expect(standalone).not.toContain(`${a.binding.namespace}/${a.binding.serviceAccountName}`); }
    // AND every other entry has exactly its own association
    const others = Object.values(entries).filter(e => !addons.includes(e as AddonIdentity));
    expect(standalone.sort()).toEqual(others.map(e => `${e.binding.namespace}/${e.binding.serviceAccountName}`).sort());
  });

  test('IRSA: the role goes in ServiceAccountRoleArn, and no association exists', () => {
    // GIVEN every entry on IRSA
    const { entries, template } = build(IdentityMechanism.IRSA);
    // THEN the add-ons carry the role ARN, no Pod Identity association anywhere
    const ebs = entries.EbsCsiDriver as EbsCsiDriverIdentity;
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'aws-ebs-csi-driver',
      ServiceAccountRoleArn: { 'Fn::GetAtt': [roleId(ebs.identity), 'Arn'] },
      PodIdentityAssociations: Match.absent(),
    });
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    // (the handle owns the agent, installPodIdentityAgent: true, so it is declared once, used or not)
    expect(Object.keys(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'eks-pod-identity-agent' } }))).toHaveLength(1);
    // AND the role trusts exactly the add-on's ServiceAccount token
    const trust = template.toJSON().Resources[roleId(ebs.identity)].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].Condition.StringEquals).toEqual({
      [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:kube-system:ebs-csi-controller-sa',
      [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com',
    });
  });

  test('installAddon: false binds by a standalone association instead', () => {
    // GIVEN an add-on installed elsewhere
    const stack = newStack();
    new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack), installAddon: false });
    // THEN no add-on but the association
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'aws-ebs-csi-driver' } }))).toEqual([]);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'ebs-csi-controller-sa' });
  });

  test('an add-on cannot move to another namespace', () => {
    const stack = newStack();
    expect(() => new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack), namespace: 'storage' })).toThrow(
      "EbsCsiDriverIdentity 'Platform/Ebs' installs the aws-ebs-csi-driver add-on, which runs in namespace 'kube-system', so its ServiceAccount cannot be in 'storage'. Remove namespace, or set installAddon to false and install the add-on yourself.");
  });

  test.each([IdentityMechanism.POD_IDENTITY, IdentityMechanism.IRSA])('an installed add-on keeps its own ServiceAccount name (%s)', mechanism => {
    // GIVEN the driver installed as an EKS add-on, which creates kube-system/ebs-csi-controller-sa and binds the role to it
    // (PodIdentityAssociations, or ServiceAccountRoleArn: EKS annotates that ServiceAccount), whatever name the identity trusts
    const stack = newStack();
    const cluster = platformCluster(stack);
    // WHEN another name is given THEN it is refused: the trust and association would name a ServiceAccount the driver never runs as
    expect(() => new EbsCsiDriverIdentity(stack, 'Ebs', { cluster, serviceAccountName: 'my-ebs', mechanism })).toThrow(
      "EbsCsiDriverIdentity 'Platform/Ebs' installs the aws-ebs-csi-driver add-on, whose ServiceAccount is 'kube-system/ebs-csi-controller-sa', so it cannot be 'my-ebs': " +
      'the add-on binds the role to its own ServiceAccount only. Remove serviceAccountName, or set installAddon to false and install the add-on yourself.');
    // AND its own name, given explicitly, is accepted
    new EbsCsiDriverIdentity(stack, 'Ebs', { cluster, serviceAccountName: 'ebs-csi-controller-sa', mechanism });
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::EKS::Addon', { Properties: { AddonName: 'aws-ebs-csi-driver' } }))).toHaveLength(1);
  });

  test.each([true, false])('an entry takes an existing role (installAddon %s): its policy is attached to that role', installAddon => {
    // GIVEN an existing role of the stack's account (the entry's default description is its own, not the caller's)
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', `arn:aws:iam::${ACCOUNT}:role/ebs-driver`);
    // WHEN the entry is given it (this threw "takes an existing role, so description cannot apply")
    const ebs = new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack), role, installAddon });
    // THEN no role is created, and the scoped policy is attached to the existing one
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['ebs-driver'] });
    expect(ebs.role.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/ebs-driver`);
  });

  test('a description given with an existing role is still refused', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', `arn:aws:iam::${ACCOUNT}:role/ebs-driver`);
    expect(() => new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack), role, description: 'mine' })).toThrow(
      "WorkloadIdentity 'Platform/Ebs/Identity' takes an existing role, so description cannot apply. Set them on that role instead.");
  });

  test('version and configuration values pass through', () => {
    const stack = newStack();
    new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: platformCluster(stack), addonVersion: 'v1.40.0-eksbuild.1', configurationValues: '{"controller":{"replicaCount":1}}' });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', {
      // The entry adds k8sTagClusterId: the driver then tags with the cluster name its cluster-scoped policy requires.
      AddonName: 'aws-ebs-csi-driver', AddonVersion: 'v1.40.0-eksbuild.1', ConfigurationValues: '{"controller":{"replicaCount":1,"k8sTagClusterId":"platform"}}',
    });
  });
});

const ISSUER_KEY = 'oidc.eks.eu-west-1.amazonaws.com/id/CATALOG0000000000000000000000001';

describe('Helm-installed controllers', () => {
  const { entries } = build();

  test.each([
    // region (and vpcId when given): the controller then needs no instance metadata.
    ['AwsLoadBalancerController', { clusterName: CLUSTER, region: REGION, serviceAccount: { create: false, name: 'aws-load-balancer-controller' } }],
    // The zone filters of the scope: external-dns reads no zone its role may not (it lists every zone otherwise).
    ['ExternalDns', { provider: { name: 'aws' }, serviceAccount: { create: false, name: 'external-dns' }, domainFilters: ['platform.example.com'], extraArgs: [`--zone-id-filter=${R.zone}`] }],
    ['CertManager', { serviceAccount: { create: false, name: 'cert-manager' } }],
    ['Karpenter', { settings: { clusterName: CLUSTER, interruptionQueue: 'platform-interruptions' }, serviceAccount: { create: false, name: 'karpenter' } }],
    ['ExternalSecrets', { serviceAccount: { create: false, name: 'external-secrets' } }],
    ['ClusterAutoscaler', { autoDiscovery: { clusterName: CLUSTER }, awsRegion: REGION, rbac: { serviceAccount: { create: false, name: 'cluster-autoscaler' } } }],
    // The pod uses the identity, not a credentials secret (the chart's default); the scoped bucket and prefix are its storage location.
    ['Velero', {
      credentials: { useSecret: false },
      initContainers: [{ name: 'velero-plugin-for-aws', image: 'velero/velero-plugin-for-aws:v1.13.2', imagePullPolicy: 'IfNotPresent', volumeMounts: [{ mountPath: '/target', name: 'plugins' }] }],
      configuration: {
        backupStorageLocation: [{ name: 'default', provider: 'aws', bucket: R.backupBucket, prefix: 'velero', default: true, config: { region: REGION } }],
        volumeSnapshotLocation: [{ name: 'default', provider: 'aws', config: { region: REGION } }],
      },
      serviceAccount: { server: { create: false, name: 'velero-server' } },
    }],
    ['FsxCsiDriver', { controller: { serviceAccount: { create: false, name: 'fsx-csi-controller-sa' } } }],
  ])('%s: Helm values that make the chart use the bound ServiceAccount', (name, values) => {
    // GIVEN the entry WHEN its Helm values are read THEN the chart creates no ServiceAccount and uses the binding's
    expect(Stack.of(entries[name]).resolve((entries[name] as HelmIdentity).helmValues())).toEqual(values);
  });

  test('every Helm entry sets serviceAccount create: false with the bound name somewhere in its values', () => {
    for (const e of Object.values(entries).filter((x): x is HelmIdentity => x instanceof HelmIdentity)) {
      const json = JSON.stringify(Stack.of(e).resolve(e.helmValues()));
      expect(json).toContain(`{"create":false,"name":"${e.binding.serviceAccountName}"}`);
      expect(e.chart.repository).toMatch(/^(https|oci):\/\//);
    }
  });

  test('namespace and ServiceAccount are overridable, and the trust follows', () => {
    // GIVEN external-dns installed as ops/dns
    const stack = newStack();
    const dns = new ExternalDnsIdentity(stack, 'Dns', {
      cluster: platformCluster(stack), namespace: 'ops', serviceAccountName: 'dns', hostedZones: HostedZoneScope.fromHostedZoneIds([R.zone]),
    });
    // THEN binding, trust and Helm values all name ops/dns
    expect(dns.binding).toMatchObject({ namespace: 'ops', serviceAccountName: 'dns' });
    const trust = Template.fromStack(stack).toJSON().Resources[roleId(dns.identity)].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust[0].Condition.StringEquals).toMatchObject({ 'aws:RequestTag/kubernetes-namespace': 'ops', 'aws:RequestTag/kubernetes-service-account': 'dns' });
    expect(dns.helmValues().serviceAccount).toEqual({ create: false, name: 'dns' });
  });
});

describe('policies', () => {
  test.each([IdentityMechanism.POD_IDENTITY, IdentityMechanism.IRSA])('%s: every entry\'s permissions are in managed policies attached to its role, none inline, each under IAM\'s 6,144 characters', (mechanism) => {
    // GIVEN every entry
    const { entries, template } = build(mechanism);
    const resources = template.toJSON().Resources;
    for (const e of Object.values(entries)) {
      const role = roleId(e.identity);
      // THEN the role has no inline policy and one or more managed policies attached by name
      expect(resources[role].Properties.Policies).toBeUndefined();
      expect(e.policies.length).toBeGreaterThan(0);
      for (const p of e.policies) {
        const props = resources[logicalId(p)].Properties;
        expect(props.Roles).toEqual([{ Ref: role }]);
        // The template form (with Fn::Join) is longer than what IAM counts: an upper bound.
        expect(JSON.stringify(props.PolicyDocument).length).toBeLessThan(6144);
      }
    }
    // AND nothing lands in a default (inline) policy
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the load balancer controller\'s large document is split across managed policies', () => {
    const { entries } = build();
    expect(entries.AwsLoadBalancerController.policies.length).toBeGreaterThanOrEqual(2);
  });

  test('every statement allowing writes on * without a condition has a recorded reason', () => {
    // GIVEN every entry WHEN its statements are read
    const { entries, stack } = build();
    const isRead = (a: string) => /^[a-z0-9-]+:(Describe|List|Get|Search|Lookup|BatchGet)/.test(a);
    for (const e of Object.values(entries)) {
      for (const p of e.policies) {
        for (const s of stack.resolve(p.document.toJSON()).Statement) {
          const actions = [s.Action].flat();
          const unscoped = [s.Resource].flat().includes('*') && !s.Condition && actions.some(a => !isRead(a));
          // THEN it is one the entry explains
          if (unscoped) { expect([e.node.id, s.Sid, e.wildcardWriteReasons[s.Sid]]).toEqual([e.node.id, s.Sid, expect.stringMatching(/.{40,}/)]); }
        }
      }
    }
  });

  test.each([
    ['EbsCsiDriver', 'service-role/AmazonEBSCSIDriverPolicy'],
    ['VpcCni', 'AmazonEKS_CNI_Policy'],
    ['CloudWatchObservability', 'CloudWatchAgentServerPolicy'],
    ['PrometheusIngest', 'AmazonPrometheusRemoteWriteAccess'],
  ])('%s offers the AWS managed %s instead of the scoped document', (name, policy) => {
    // GIVEN the entry with useAwsManagedPolicy
    const stack = newStack();
    const cluster = platformCluster(stack);
    const props = { cluster, useAwsManagedPolicy: true, workspaceArn: R.workspace };
    const entry: CatalogIdentity = {
      EbsCsiDriver: () => new EbsCsiDriverIdentity(stack, name, props),
      VpcCni: () => new VpcCniIdentity(stack, name, props),
      CloudWatchObservability: () => new CloudWatchObservabilityIdentity(stack, name, props),
      PrometheusIngest: () => new PrometheusIngestIdentity(stack, name, props),
    }[name]!();
    // THEN the role attaches the AWS managed policy, no scoped policy exists, and cdk-nag's IAM4 is acknowledged with a reason
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${policy}`]] }]),
    });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(entry.policies).toEqual([]);
    expect(entry.upstream.awsManagedPolicyNames).toContain(policy);
  });

  test('VPC CNI: the AWS managed policy is IPv4 only, and the scoped IPv4 policy needs the VPC', () => {
    const stack = newStack();
    expect(() => new VpcCniIdentity(stack, 'V6', { cluster: platformCluster(stack), ipFamily: IpFamily.IPV6, useAwsManagedPolicy: true })).toThrow(
      "VpcCniIdentity 'Platform/V6': AmazonEKS_CNI_Policy covers IPv4 only; for IPv6 remove useAwsManagedPolicy (the scoped IPv6 policy is used).");
    const other = newStack();
    expect(() => new VpcCniIdentity(other, 'V4', { cluster: platformCluster(other) })).toThrow(/VpcCniIdentity 'Platform\/V4' scopes network interfaces to the cluster's VPC: pass vpc/);
  });
});

describe('scoping inputs', () => {
  test('tag scopes that name the cluster need a literal cluster name', () => {
    // GIVEN a cluster whose name is a token
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'C', { clusterName: new iam.Role(stack, 'X', { assumedBy: new iam.AccountRootPrincipal() }).roleName });
    // THEN the entries whose tag keys name the cluster refuse it
    expect(() => new ClusterAutoscalerIdentity(stack, 'Ca', { cluster })).toThrow(
      "ClusterAutoscalerIdentity 'Platform/Ca' scopes Auto Scaling groups by a tag that names the cluster, but the cluster name is a token. " +
      'Give the cluster a literal name (WorkloadCluster.fromClusterAttributes with clusterName, or an aws-eks-v2 Cluster with clusterName set).');
    expect(() => new KarpenterControllerIdentity(stack, 'K', { cluster, nodeRole: iam.Role.fromRoleArn(stack, 'N', R.nodeRole) })).toThrow(/cluster name is a token/);
  });

  test('the broad hosted zone choice is named and warned about', () => {
    const stack = newStack();
    new ExternalDnsIdentity(stack, 'Dns', { cluster: platformCluster(stack), hostedZones: HostedZoneScope.allHostedZones() });
    Annotations.fromStack(stack).hasWarning('/Platform/Dns', Match.stringLikeRegexp('every hosted zone of the account'));
    expect(HostedZoneScope.allHostedZones().isBroad).toBe(true);
    expect(HostedZoneScope.of([route53.HostedZone.fromHostedZoneId(stack, 'Z', R.zone)]).isBroad).toBe(false);
  });

  test.each([
    [() => SecretScope.fromNamePrefix(''), "Invalid secret name prefix '': give a non-empty prefix without '*', e.g. 'platform/'; SecretScope.allSecrets() is the broad choice."],
    [() => SecretScope.fromNamePrefix('a*'), "Invalid secret name prefix 'a*': give a non-empty prefix without '*', e.g. 'platform/'; SecretScope.allSecrets() is the broad choice."],
    [() => ParameterScope.fromPath('platform'), "Invalid parameter path 'platform': give a hierarchy that starts and ends with '/', e.g. '/platform/'; ParameterScope.allParameters() is the broad choice."],
    [() => HostedZoneScope.of([]), 'HostedZoneScope.of needs at least one hosted zone.'],
  ])('bad scopes fail with the fix (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test('external-secrets must read something', () => {
    const stack = newStack();
    expect(() => new ExternalSecretsIdentity(stack, 'Es', { cluster: platformCluster(stack) })).toThrow(
      "ExternalSecretsIdentity 'Platform/Es' reads nothing: pass secrets (SecretScope) or parameters (ParameterScope).");
  });

  test('a workspace ARN that is not one fails', () => {
    const stack = newStack();
    expect(() => new PrometheusIngestIdentity(stack, 'P', { cluster: platformCluster(stack), workspaceArn: 'ws-1234' })).toThrow(
      "Invalid workspaceArn 'ws-1234' for 'Platform/P': expected arn:aws:aps:<region>:<account>:workspace/ws-<id>.");
  });
});

describe('cluster kinds', () => {
  test('on a cluster that is not EKS, Helm entries work with IRSA and Pod Identity is refused', () => {
    // GIVEN a self-managed cluster
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Edge', { clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    // WHEN cert-manager is bound there THEN it uses IRSA
    const cm = new ExternalDnsIdentity(stack, 'Dns', { cluster, hostedZones: HostedZoneScope.fromHostedZoneIds([R.zone]) });
    expect(cm.binding.mechanism).toBe(IdentityMechanism.IRSA);
    expect(cm.binding.roleArn).toMatch(/^arn:aws:iam::123456789012:role\//);
  });

  test('the identity is the WorkloadIdentity, so grants reach its role', () => {
    const stack = newStack();
    const dns = new ExternalDnsIdentity(stack, 'Dns', { cluster: platformCluster(stack), hostedZones: HostedZoneScope.fromHostedZoneIds([R.zone]) });
    s3.Bucket.fromBucketName(stack, 'B', 'extra').grantRead(dns);
    expect(dns.identity).toBeInstanceOf(WorkloadIdentity);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: roleId(dns.identity) }] });
    void ec2;
  });
});

describe('cluster kinds where an entry does not apply', () => {
  test('an EKS add-on cannot be installed on a cluster that is not EKS', () => {
    // GIVEN a self-managed cluster
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Edge', { clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    // THEN installing the add-on fails, and the driver installed by hand binds by IRSA
    expect(() => new EbsCsiDriverIdentity(stack, 'Ebs', { cluster })).toThrow(
      "EbsCsiDriverIdentity 'Platform/Ebs' installs the aws-ebs-csi-driver EKS add-on, but cluster 'edge' is not EKS, where add-ons do not exist. " +
      'Install the driver yourself (e.g. its Helm chart) and set installAddon to false.');
    const byHand = new EbsCsiDriverIdentity(stack, 'EbsByHand', { cluster, installAddon: false });
    expect(byHand.binding.mechanism).toBe(IdentityMechanism.IRSA);
    expect(byHand.addon).toBeUndefined();
  });

  test('on EKS Auto Mode, entries for what Auto Mode builds in warn, and add-ons need no agent', () => {
    // GIVEN an Auto Mode cluster
    const stack = newStack();
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Auto', { clusterName: 'auto', kind: ClusterKind.EKS_AUTO_MODE });
    // WHEN the EBS CSI driver and external-dns are bound there
    new EbsCsiDriverIdentity(stack, 'Ebs', { cluster });
    new ExternalDnsIdentity(stack, 'Dns', { cluster, hostedZones: HostedZoneScope.fromHostedZoneIds([R.zone]) });
    // THEN only the EBS entry warns, and no agent add-on is declared
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Platform/Ebs', Match.stringLikeRegexp("Cluster 'auto' is in EKS Auto Mode, which builds in block storage"));
    expect(annotations.findWarning('/Platform/Dns', Match.anyValue())).toEqual([]);
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'eks-pod-identity-agent' } }))).toEqual([]);
    template.hasResource('AWS::EKS::Addon', { Properties: { AddonName: 'aws-ebs-csi-driver' }, DependsOn: Match.absent() });
  });
});
