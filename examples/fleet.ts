import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IdentityMechanism, IWorkloadCluster, PodIdentityTargetRole, PodSessionTag, WorkloadBinding, WorkloadChart, WorkloadCluster, WorkloadIdentity } from '../lib';

/** The fleet's clusters: one region of one account, blue/green pairs of four. */
export const FLEET_CLUSTERS = [1, 2, 3, 4, 5, 6, 7, 8].map(i => `prod-${i <= 4 ? 'blue' : 'green'}-0${i}`);

/** The tenants sharing one role on the fleet's first cluster, each in its own namespace. */
export const TENANTS = ['tenant-a', 'tenant-b'];

/** The organization the fleet's accounts belong to (a placeholder). */
export const FLEET_ORGANIZATION = 'o-a1b2c3d4e5';

/** The public addresses of the fleet's NAT gateways, where its pods reach STS from (a documentation range). */
export const FLEET_NAT_CIDRS = ['203.0.113.0/28'];

/**
 * One workload on a fleet of eight EKS clusters with one role. Its Pod
 * Identity trust is one statement listing the eight cluster ARNs (with the
 * account, namespace and ServiceAccount), not eight statements: about 24
 * clusters fit in IAM's 2,048-character trust quota, where one statement per
 * cluster fits 5. The role has a name prefix, a path and tags, and its trust
 * also requires the organization (aws:SourceOrgID). An IRSA exporter is
 * trusted only from the fleet's NAT addresses (aws:SourceIp).
 */
export class FleetStack extends cdk.Stack {
  public readonly clusters: IWorkloadCluster[];
  public readonly ledger: WorkloadIdentity;
  public readonly tenants: WorkloadIdentity;
  public readonly tenantData: s3.Bucket;
  public readonly reporter: WorkloadIdentity;
  public readonly exporter: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    this.clusters = FLEET_CLUSTERS.map((clusterName, i) => WorkloadCluster.fromClusterAttributes(this, clusterName, {
      clusterName,
      clusterArn: `arn:aws:eks:${this.region}:${this.account}:cluster/${clusterName}`,
      oidcIssuerUrl: `https://oidc.eks.${this.region}.amazonaws.com/id/F1EE7${String(i + 1).padStart(27, '0')}`,
    }));
    const [first, ...rest] = this.clusters;
    this.ledger = new WorkloadIdentity(this, 'Ledger', {
      cluster: first, namespace: 'ledger', serviceAccountName: 'ledger-writer',
      // What an organization's guardrails often ask of workload roles: a name prefix and
      // path its SCPs allow, owner tags, and trust only from inside the organization.
      roleNamePrefix: 'eks-workload-',
      rolePath: '/workloads/ledger/',
      tags: { team: 'ledger', 'cost-center': '4711' },
      podIdentity: { additionalTrustConditions: { StringEquals: { 'aws:SourceOrgID': FLEET_ORGANIZATION } } },
    });
    for (const cluster of rest) {
      this.ledger.addSubject({ cluster, namespace: 'ledger', serviceAccountName: 'ledger-writer' });
    }
    const events = new sqs.Queue(this, 'LedgerEvents', { enforceSSL: true });
    cdk.Validations.of(events).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'The example shows the sender\'s identity only; the consumer that would own a dead-letter queue is not part of it.',
    });
    events.grantSendMessages(this.ledger);

    // ABAC: one role shared by the tenants' pods; each reaches only the objects under its own
    // namespace, by the kubernetes-namespace session tag EKS Pod Identity sends.
    this.tenants = new WorkloadIdentity(this, 'Tenants', { cluster: first, namespace: TENANTS[0], serviceAccountName: 'tenant-app' });
    for (const namespace of TENANTS.slice(1)) { this.tenants.addSubject({ cluster: first, namespace, serviceAccountName: 'tenant-app' }); }
    this.tenantData = new s3.Bucket(this, 'TenantData', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    cdk.Validations.of(this.tenantData).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The example shows the tenants\' identity only; access logging belongs to the account\'s logging setup.',
    });
    const ownPrefix = `${this.tenants.sessionTag(PodSessionTag.NAMESPACE)}/*`;
    this.tenants.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [this.tenantData.arnForObjects(ownPrefix)],
    }));
    cdk.Validations.of(this.tenants).acknowledge({
      // cdk-nag writes the policy variable ${x} as <x>.
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.tenantData.node.defaultChild as s3.CfnBucket)}.Arn>/<${PodSessionTag.NAMESPACE.principalTagKey}>/*]`,
      reason: 'Each tenant pod reaches the objects below its own namespace only: the prefix is the session tag EKS Pod Identity sends.',
    });

    // Cross-account: the reporter reads a bucket of the data account through a target role there (FleetDataStack).
    this.reporter = new WorkloadIdentity(this, 'Reporter', { cluster: first, namespace: 'reports', serviceAccountName: 'reporter' });

    // IRSA, trusted only from the fleet's NAT addresses: STS sees the pod's public address on the web-identity call.
    // (The clusters are owned elsewhere: the trust references the first one's OIDC provider, which exists with it.)
    this.exporter = new WorkloadIdentity(this, 'Exporter', {
      cluster: first, namespace: 'exports', serviceAccountName: 'exporter', mechanism: IdentityMechanism.IRSA,
      irsa: { additionalTrustConditions: { IpAddress: { 'aws:SourceIp': FLEET_NAT_CIDRS } } },
    });
  }
}

/**
 * The Kubernetes side of one cluster of the fleet, in that cluster's cdk8s
 * app (its own folder, which its GitOps application applies): the ledger
 * writer, the reporter, each tenant's app and the exporter, each in a
 * WorkloadChart of its binding.
 */
export function addFleetWorkloads(app: cdk8s.App, stack: FleetStack, clusterName: string): void {
  const onCluster = (bindings: WorkloadBinding[]) => bindings.filter(b => b.clusterName === clusterName);
  const deploy = (name: string, binding: WorkloadBinding, image: string) => {
    const chart = new WorkloadChart(app, name, { binding });
    new kplus.Deployment(chart, name, {
      metadata: { name },
      serviceAccount: chart.serviceAccount,
      containers: [{ image, securityContext: { user: 1000, group: 1000 } }],
    });
  };
  for (const binding of onCluster(stack.ledger.bindings)) { deploy('ledger-writer', binding, 'public.ecr.aws/campus/ledger-writer:2.4.0'); }
  for (const binding of onCluster(stack.reporter.bindings)) { deploy('reporter', binding, 'public.ecr.aws/campus/reporter:1.2.0'); }
  for (const tenant of onCluster(stack.tenants.bindings)) { deploy(`${tenant.namespace}-app`, tenant, 'public.ecr.aws/campus/tenant-app:1.0.0'); }
  for (const binding of onCluster(stack.exporter.bindings)) { deploy('exporter', binding, 'public.ecr.aws/campus/exporter:0.9.0'); }
}

/** The data account of the fleet (a placeholder). */
export const FLEET_DATA_ACCOUNT = '210987654321';

/**
 * The data account's side of the reporter: the target role its association
 * chains to, trusting exactly the reporter's role, and the bucket it reads.
 * Step 1 of 2: once the Fleet stack is deployed, its ExternalId output goes
 * into `externalIds` (docs/fleet.md).
 */
export class FleetDataStack extends cdk.Stack {
  public readonly reporterTarget: PodIdentityTargetRole;

  constructor(scope: Construct, id: string, props: cdk.StackProps & { readonly fleet: FleetStack }) {
    super(scope, id, props);
    this.reporterTarget = new PodIdentityTargetRole(this, 'ReporterTarget', { identity: props.fleet.reporter });
    const reports = new s3.Bucket(this, 'Reports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    cdk.Validations.of(reports).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Example bucket: server access logs need a separate log bucket whose retention is the deployer\'s choice.',
    });
    reports.grantRead(this.reporterTarget);
    // grantRead's read-only action groups on one bucket and its objects.
    for (const finding of ['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', `Resource::<${this.getLogicalId(reports.node.defaultChild as s3.CfnBucket)}.Arn>/*`]) {
      cdk.Validations.of(this.reporterTarget).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: 'Read-only access to the objects of one bucket: every object of the bucket is the report set the reporter serves.',
      });
    }
  }
}
