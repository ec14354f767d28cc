import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IdentityMechanism, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { serviceAccountAnnotations } from '../../../lib/core/binding-annotations';
import { ACCOUNT, ISSUER, ISSUER_KEY, REGION } from '../../fixtures';

const GOV_ACCOUNT = '210987654321';

describe('partitions come from the role\'s stack, not the cluster handle (issue 18 §3)', () => {
  test('a GovCloud role of a commercial cluster is refused, naming both partitions (its annotation would have been arn:aws:)', () => {
    // GIVEN a commercial cluster handle, with partition literals as cdk.json sets them, and the identity in a GovCloud stack
    const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
    const cluster = WorkloadCluster.fromClusterAttributes(new Stack(app, 'Clusters', { env: { account: ACCOUNT, region: REGION } }), 'Campus', {
      clusterName: 'campus', oidcIssuerUrl: ISSUER,
    });
    const gov = new Stack(app, 'Gov', { env: { account: GOV_ACCOUNT, region: 'us-gov-west-1' } });

    // WHEN / THEN
    expect(() => new WorkloadIdentity(gov, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, roleName: 'report-reader',
    })).toThrow(`ServiceAccount 'analytics/reader' on cluster 'campus' (arn:aws:eks:${REGION}:${ACCOUNT}:cluster/campus, partition aws) cannot get a role of ` +
      "stack 'Gov' (region us-gov-west-1, partition aws-us-gov): roles, OIDC providers and STS do not cross partitions. " +
      'Declare this WorkloadIdentity in a stack of partition aws.');
  });

  test('a GovCloud role of a GovCloud cluster whose handle is in an environment-agnostic stack: the annotation and the provider are arn:aws-us-gov', () => {
    // GIVEN the handle in a stack without env (its partition unknown), the identity in a GovCloud stack
    const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
    const cluster = WorkloadCluster.fromClusterAttributes(new Stack(app, 'Clusters'), 'Campus', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    const gov = new Stack(app, 'Gov', { env: { account: GOV_ACCOUNT, region: 'us-gov-west-1' } });

    // WHEN
    const identity = new WorkloadIdentity(gov, 'Reader', {
      cluster, namespace: 'analytics', serviceAccountName: 'reader', mechanism: IdentityMechanism.IRSA, roleName: 'report-reader',
    });

    // THEN the ServiceAccount names the GovCloud role, and the role trusts the provider of its own account and partition, literally
    expect(serviceAccountAnnotations(identity.primaryBinding)).toEqual({ 'eks.amazonaws.com/role-arn': `arn:aws-us-gov:iam::${GOV_ACCOUNT}:role/report-reader` });
    const role = Object.values<any>(Template.fromStack(gov).findResources('AWS::IAM::Role'))[0].Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: `arn:aws-us-gov:iam::${GOV_ACCOUNT}:oidc-provider/${ISSUER_KEY}` });
  });

  test('a clusterArn whose partition is not its region\'s is refused', () => {
    const stack = new Stack(new App(), 'Gov', { env: { account: ACCOUNT, region: 'us-gov-west-1' } });
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Campus', { clusterName: 'campus', clusterArn: `arn:aws:eks:us-gov-west-1:${ACCOUNT}:cluster/campus` }))
      .toThrow(`Cluster 'campus' has clusterArn 'arn:aws:eks:us-gov-west-1:${ACCOUNT}:cluster/campus' in partition aws, but its region us-gov-west-1 is in partition ` +
        `aws-us-gov. Pass the ARN EKS gives the cluster (arn:aws-us-gov:eks:us-gov-west-1:<account>:cluster/campus), or leave clusterArn out.`);
  });

  test('a clusterArn of another partition than its stack\'s is refused', () => {
    const stack = new Stack(new App(), 'Commercial', { env: { account: ACCOUNT, region: REGION } });
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Campus', {
      clusterName: 'campus', clusterArn: `arn:aws-us-gov:eks:us-gov-west-1:${ACCOUNT}:cluster/campus`,
    })).toThrow(`Cluster 'campus' has clusterArn 'arn:aws-us-gov:eks:us-gov-west-1:${ACCOUNT}:cluster/campus' in partition aws-us-gov, but it is declared in ` +
      `stack 'Commercial' (region ${REGION}, partition aws): accounts, roles and OIDC providers do not cross partitions. ` +
      'Declare the cluster in a stack of partition aws-us-gov, or pass its ARN in partition aws.');
  });

  test('a clusterArn of another region of the stack\'s partition is accepted (IRSA roles may be elsewhere)', () => {
    const stack = new Stack(new App(), 'Commercial', { env: { account: ACCOUNT, region: REGION } });
    const cluster = WorkloadCluster.fromClusterAttributes(stack, 'Campus', { clusterName: 'campus', clusterArn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/campus` });
    expect(cluster.clusterArn).toBe(`arn:aws:eks:us-east-1:${ACCOUNT}:cluster/campus`);
  });
});
