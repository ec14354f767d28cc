import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EbsCsiDriverIdentity, IdentityMechanism } from '../../../lib';
import { ACCOUNT, eksCluster, REGION } from '../../fixtures';

function stackIn(app: App, id: string, account = ACCOUNT, region = REGION): Stack {
  return new Stack(app, id, { env: { account, region } });
}

describe('catalog add-on identities bind every subject where its cluster lives, or refuse it (issue 18 §2)', () => {
  test('a subject added to an installed add-on\'s identity is refused: the add-on binds only its own ServiceAccount', () => {
    // GIVEN the EBS CSI driver installed as an EKS add-on
    const app = new App();
    const stack = stackIn(app, 'Platform');
    const ebs = new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: eksCluster(stack) });

    // WHEN / THEN a ServiceAccount of another cluster is added
    expect(() => ebs.identity.addSubject({ cluster: eksCluster(stack, 'Lab', 'lab'), namespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa' })).toThrow(
      "EbsCsiDriverIdentity 'Platform/Ebs' binds its role through the aws-ebs-csi-driver add-on of cluster 'campus' (AWS::EKS::Addon), so ServiceAccount " +
      "'kube-system/ebs-csi-controller-sa' on cluster 'lab' added with addSubject would get no association and no role. Declare another EbsCsiDriverIdentity " +
      'for that cluster (an add-on is installed per cluster), or set installAddon to false (the identity then declares its own associations).');
    // AND nothing was half-bound: the add-on is the only binding
    expect(ebs.identity.bindings).toHaveLength(1);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });

  test('with installAddon false the added subject gets its own association', () => {
    const app = new App();
    const stack = stackIn(app, 'Platform');
    const ebs = new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: eksCluster(stack), installAddon: false });
    ebs.identity.addSubject({ cluster: eksCluster(stack, 'Lab', 'lab'), namespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa' });
    const associations = Object.values<any>(Template.fromStack(stack).findResources('AWS::EKS::PodIdentityAssociation')).map(a => a.Properties.ClusterName);
    expect(associations).toEqual(['campus', 'lab']);
  });

  test.each([
    ['region', ACCOUNT, 'us-east-1'],
    ['account', '210987654321', REGION],
  ])('an IRSA add-on is not declared in a stack of another %s than its cluster', (_, account, region) => {
    // GIVEN the cluster in its own stack, the entry in a stack elsewhere
    const app = new App();
    const cluster = eksCluster(stackIn(app, 'Cluster'));
    const elsewhere = stackIn(app, 'Elsewhere', account, region);

    // WHEN / THEN
    expect(() => new EbsCsiDriverIdentity(elsewhere, 'Ebs', { cluster, mechanism: IdentityMechanism.IRSA })).toThrow(
      `EbsCsiDriverIdentity 'Elsewhere/Ebs' installs the aws-ebs-csi-driver add-on from stack 'Elsewhere' (account ${account}, region ${region}), but cluster 'campus' ` +
      `is in account ${ACCOUNT}, region ${REGION}: the AWS::EKS::Addon would target a cluster of that name there (taking over its add-on: ResolveConflicts OVERWRITE), ` +
      "or none. Declare it in a stack of the cluster's account and region, or set installAddon to false and install the add-on there.");
  });

  test('an IRSA add-on in the cluster\'s account and region is declared', () => {
    const app = new App();
    const cluster = eksCluster(stackIn(app, 'Cluster'));
    const platform = stackIn(app, 'Platform');
    new EbsCsiDriverIdentity(platform, 'Ebs', { cluster, mechanism: IdentityMechanism.IRSA });
    Template.fromStack(platform).hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver', ClusterName: 'campus' });
  });
});
