import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IdentityMechanism, WorkloadChart, WorkloadCluster, WorkloadIdentity } from '../lib';
import { CampusStackProps } from './campus';

/**
 * The campus workloads on IRSA, against an existing EKS cluster known by its
 * OIDC issuer URL. The cluster is owned elsewhere, so its IAM OIDC provider
 * already exists (eksctl utils associate-iam-oidc-provider): the roles trust it
 * by its ARN, and synth notes (info) which provider and client ids must exist.
 * A literal issuer needs no custom resource: the stack gets the roles, nothing else.
 */
export const IRSA_CAMPUS: CampusStackProps = {
  cluster: {
    clusterName: 'campus-irsa',
    oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
  },
  mechanism: IdentityMechanism.IRSA,
};

/**
 * One workload on an aws-eks-v2 cluster created in the same stack. Its issuer
 * is a token until deployment, so the trust condition goes through CfnJson.
 * The cluster is given its name, so the binding carries that name and can be
 * written to a bindings file for a GitOps repository.
 *
 * The VPC needs the account's availability zones. Offline, synth takes them
 * from the context key `availability-zones:account=<account>:region=<region>`
 * (this repository's cdk.context.json; `cdk synth` with credentials writes it
 * there on first lookup), so no AWS call is made.
 */
export class IrsaOnNewClusterStack extends cdk.Stack {
  public readonly reader: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    cdk.Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'The example runs against a placeholder account, so its zones come from cdk.context.json instead of a lookup.',
    });
    cdk.Validations.of(vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason: 'The example VPC only hosts the demo cluster; flow logs are the deployer\'s network monitoring choice.',
    });
    const eksCluster = new eks.Cluster(this, 'Cluster', { clusterName: 'analytics', version: eks.KubernetesVersion.V1_33, vpc });
    // EKS documents these AWS managed policies for the cluster role and the Auto Mode node role; they are not workload identities.
    for (const policy of ['AmazonEKSClusterPolicy', 'AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy',
      'AmazonEKSNetworkingPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly']) {
      cdk.Validations.of(eksCluster).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
        reason: `EKS requires the AWS managed policy ${policy} on its cluster or node role.`,
      });
    }
    const cluster = WorkloadCluster.fromEksV2Cluster(this, 'WorkloadCluster', eksCluster);
    const reports = new s3.Bucket(this, 'Reports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    cdk.Validations.of(reports).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Example bucket: server access logs need a separate log bucket whose retention is the deployer\'s choice.',
    });
    this.reader = new WorkloadIdentity(this, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'report-reader', mechanism: IdentityMechanism.IRSA,
      irsa: { stsRegionalEndpoints: true },
    });
    reports.grantRead(this.reader);
    // grantRead's read-only action groups on one bucket and its objects (test/verify/permissions.test.ts evaluates them).
    for (const finding of ['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', `Resource::<${this.getLogicalId(reports.node.defaultChild as s3.CfnBucket)}.Arn>/*`]) {
      cdk.Validations.of(this.reader).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: 'Read-only access to the objects of one bucket: every object of the bucket is the report set the reader serves.',
      });
    }
  }
}

/** The Kubernetes side of the new cluster's workload, in the cdk8s app of that cluster. */
export function addIrsaOnNewClusterWorkloads(app: cdk8s.App, stack: IrsaOnNewClusterStack): void {
  const reader = new WorkloadChart(app, 'report-reader', { binding: stack.reader.primaryBinding });
  new kplus.Deployment(reader, 'report-reader', {
    metadata: { name: 'report-reader' },
    serviceAccount: reader.serviceAccount,
    containers: [{ image: 'public.ecr.aws/campus/report-reader:1.0.0', securityContext: { user: 1000, group: 1000 } }],
  });
}
