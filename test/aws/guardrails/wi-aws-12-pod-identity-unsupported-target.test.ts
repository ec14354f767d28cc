import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { ClusterKind, IdentityMechanism, WorkloadCluster, WorkloadIdentity, WorkloadIdentityGuardrails, WorkloadRuntime } from '../../../lib';
import { eksCluster } from '../../fixtures';
import { REGION } from '../../fixtures';
import { awsFindings, open, reportingApp, reportingStack } from '../../guardrails/helpers';

const ROLE = 'arn:aws:iam::123456789012:role/app';

describe('WI-AWS-12 pod-identity-unsupported-target', () => {
  test.each([
    [WorkloadRuntime.FARGATE, 'a workload marked FARGATE (no DaemonSets on Fargate, so no Pod Identity agent)'],
    [WorkloadRuntime.WINDOWS_NODE, 'a workload marked WINDOWS_NODE (the Pod Identity agent runs on Linux only)'],
    [WorkloadRuntime.HOST_NETWORK, 'a workload marked HOST_NETWORK (EKS gives hostNetwork pods no Pod Identity credentials)'],
  ])('Pod Identity for a workload marked %s is an error', (runtime, why) => {
    const stack = reportingStack();
    const identity = new WorkloadIdentity(stack, 'Batch', { cluster: eksCluster(stack), namespace: 'batch', serviceAccountName: 'job' });
    WorkloadIdentityGuardrails.markRuntime(identity, runtime);
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([`WI-AWS-12 Pod identity association 'Test/Batch/PodIdentityAssociation' targets ${why}.`]);
  });

  test('the same workload on IRSA is fine', () => {
    const stack = reportingStack();
    const identity = new WorkloadIdentity(stack, 'Batch', { cluster: eksCluster(stack), namespace: 'batch', serviceAccountName: 'job', mechanism: IdentityMechanism.IRSA });
    WorkloadIdentityGuardrails.markRuntime(identity, WorkloadRuntime.FARGATE);
    expect(open(awsFindings(stack))).toEqual([]);
  });

  test('a namespace that a Fargate profile sends to Fargate is an error', () => {
    const stack = reportingStack();
    new WorkloadIdentity(stack, 'Batch', { cluster: eksCluster(stack), namespace: 'batch', serviceAccountName: 'job' });
    new eks.CfnFargateProfile(stack, 'Serverless', { clusterName: 'campus', podExecutionRoleArn: ROLE, selectors: [{ namespace: 'batch' }] });
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([
      "WI-AWS-12 Pod identity association 'Test/Batch/PodIdentityAssociation' targets namespace 'batch', which Fargate profile 'Test/Serverless' runs on Fargate.",
    ]);
  });

  test('a China Region is an error', () => {
    const stack = reportingStack('Test', 'cn-north-1');
    new eks.CfnPodIdentityAssociation(stack, 'Association', { clusterName: 'campus', namespace: 'batch', serviceAccount: 'job', roleArn: ROLE });
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([
      "WI-AWS-12 Pod identity association 'Test/Association' targets a cluster in the China Region cn-north-1, where Pod Identity is not available.",
    ]);
  });

  test('an EKS add-on associating its ServiceAccount by Pod Identity in a China Region is an error (its associations are not AWS::EKS::PodIdentityAssociation resources)', () => {
    // GIVEN an add-on with PodIdentityAssociations, in cn-north-1
    const stack = reportingStack('Test', 'cn-north-1');
    new eks.CfnAddon(stack, 'Ebs', { clusterName: 'campus', addonName: 'aws-ebs-csi-driver', podIdentityAssociations: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: ROLE }] });
    // THEN WI-AWS-12 names the add-on, its ServiceAccount and the Region
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([
      "WI-AWS-12 Add-on 'Test/Ebs' associates ServiceAccount 'ebs-csi-controller-sa' by Pod Identity and targets a cluster in the China Region cn-north-1, where Pod Identity is not available.",
    ]);
  });

  test('an EKS add-on without Pod Identity associations in a China Region, or with them in a commercial Region, is no finding', () => {
    const china = reportingStack('China', 'cn-north-1');
    new eks.CfnAddon(china, 'Ebs', { clusterName: 'campus', addonName: 'aws-ebs-csi-driver', serviceAccountRoleArn: ROLE });
    const commercial = reportingStack('Commercial', 'eu-west-1');
    new eks.CfnAddon(commercial, 'Ebs', { clusterName: 'campus', addonName: 'aws-ebs-csi-driver', podIdentityAssociations: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: ROLE }] });
    expect(open(awsFindings(china), 'WI-AWS-12')).toEqual([]);
    expect(open(awsFindings(commercial), 'WI-AWS-12')).toEqual([]);
  });

  test('an EKS add-on associating by Pod Identity on a cluster declared NOT_EKS is an error', () => {
    const stack = reportingStack();
    WorkloadCluster.fromClusterAttributes(stack, 'Edge', { clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    new eks.CfnAddon(stack, 'Ebs', { clusterName: 'edge', addonName: 'aws-ebs-csi-driver', podIdentityAssociations: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: ROLE }] });
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([
      "WI-AWS-12 Add-on 'Test/Ebs' associates ServiceAccount 'ebs-csi-controller-sa' by Pod Identity and targets cluster 'edge', which is declared NOT_EKS (self-managed, EKS Anywhere or another distribution).",
    ]);
  });

  test.each(['us-gov-west-1', 'us-gov-east-1'])('a GovCloud (US) Region (%s) is no finding: EKS Pod Identity is available there since 2024-08-14', region => {
    const stack = reportingStack('Test', region);
    new eks.CfnPodIdentityAssociation(stack, 'Association', { clusterName: 'campus', namespace: 'batch', serviceAccount: 'job', roleArn: ROLE });
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([]);
  });

  test('a cluster declared NOT_EKS is an error, even with a hand-written association', () => {
    const stack = reportingStack();
    WorkloadCluster.fromClusterAttributes(stack, 'Edge', { clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    new eks.CfnPodIdentityAssociation(stack, 'Association', { clusterName: 'edge', namespace: 'batch', serviceAccount: 'job', roleArn: ROLE });
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([
      "WI-AWS-12 Pod identity association 'Test/Association' targets cluster 'edge', which is declared NOT_EKS (self-managed, EKS Anywhere or another distribution).",
    ]);
  });

  test('an EKS cluster named like a NOT_EKS cluster of another account or region is not that cluster', () => {
    // GIVEN 'edge' declared NOT_EKS in one account and region
    const app = reportingApp();
    const edgeStack = reportingStack('Edge', REGION, app);
    WorkloadCluster.fromClusterAttributes(edgeStack, 'Edge', { clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com' });
    // WHEN an EKS cluster also named 'edge' gets an association, in another region and in another account
    const otherRegion = reportingStack('OtherRegion', 'us-east-1', app);
    new WorkloadIdentity(otherRegion, 'Batch', { cluster: WorkloadCluster.fromClusterAttributes(otherRegion, 'Edge', { clusterName: 'edge' }), namespace: 'batch', serviceAccountName: 'job' });
    const otherAccount = new Stack(app, 'OtherAccount', { env: { account: '210987654321', region: REGION } });
    new WorkloadIdentity(otherAccount, 'Batch', { cluster: WorkloadCluster.fromClusterAttributes(otherAccount, 'Edge', { clusterName: 'edge' }), namespace: 'batch', serviceAccountName: 'job' });
    // ... and one targets the NOT_EKS cluster itself
    new eks.CfnPodIdentityAssociation(edgeStack, 'Association', { clusterName: 'edge', namespace: 'batch', serviceAccount: 'job', roleArn: ROLE });
    // THEN only the association on the NOT_EKS cluster is refused
    expect(open(awsFindings(app), 'WI-AWS-12')).toEqual([
      "WI-AWS-12 Pod identity association 'Edge/Association' targets cluster 'edge', which is declared NOT_EKS (self-managed, EKS Anywhere or another distribution).",
    ]);
  });

  test('an EKS local cluster on Outposts is an error', () => {
    const stack = reportingStack();
    const cluster = new eks.CfnCluster(stack, 'Local', {
      name: 'factory', roleArn: ROLE, resourcesVpcConfig: { subnetIds: ['subnet-1'] },
      outpostConfig: { outpostArns: ['arn:aws:outposts:eu-west-1:123456789012:outpost/op-0123456789abcdef0'], controlPlaneInstanceType: 'm5.large' },
    });
    new eks.CfnPodIdentityAssociation(stack, 'Association', { clusterName: cluster.ref, namespace: 'batch', serviceAccount: 'job', roleArn: ROLE });
    expect(open(awsFindings(stack), 'WI-AWS-12')).toEqual([
      "WI-AWS-12 Pod identity association 'Test/Association' targets cluster 'factory', which runs on AWS Outposts.",
    ]);
  });
});
