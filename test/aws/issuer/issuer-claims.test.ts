import { App, Stack } from 'aws-cdk-lib';
import { WorkloadCluster } from '../../../lib';
import { ACCOUNT, ISSUER, newStack, REGION } from '../../fixtures';

describe('an OIDC issuer belongs to one cluster (issue 18 §1)', () => {
  test('a second cluster declared with another cluster\'s issuer is refused, naming both', () => {
    // GIVEN cluster campus with its issuer
    const stack = newStack();
    WorkloadCluster.fromClusterAttributes(stack, 'Campus', { clusterName: 'campus', oidcIssuerUrl: ISSUER });

    // WHEN / THEN cluster lab is declared with the same issuer (a copy-paste slip)
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Lab', { clusterName: 'lab', oidcIssuerUrl: ISSUER })).toThrow(
      `Cluster 'lab' (account ${ACCOUNT}, region ${REGION}; handle 'Test/Lab') is declared with OIDC issuer '${ISSUER}', which cluster 'campus' ` +
      `(account ${ACCOUNT}, region ${REGION}; handle 'Test/Campus') already has: an issuer belongs to one cluster, so the IRSA trust of a ServiceAccount ` +
      "declared on either would admit the same ServiceAccount on both. Pass cluster 'lab''s own issuer " +
      '(aws eks describe-cluster --name lab --query cluster.identity.oidc.issuer --output text).');
  });

  test('the same cluster name in another account is another cluster: refused too', () => {
    const app = new App();
    WorkloadCluster.fromClusterAttributes(new Stack(app, 'A', { env: { account: ACCOUNT, region: REGION } }), 'Campus', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    expect(() => WorkloadCluster.fromClusterAttributes(new Stack(app, 'B', { env: { account: '210987654321', region: REGION } }), 'Campus', {
      clusterName: 'campus', oidcIssuerUrl: ISSUER,
    })).toThrow(`Cluster 'campus' (account 210987654321, region ${REGION}; handle 'B/Campus') is declared with OIDC issuer '${ISSUER}', which cluster 'campus' ` +
      `(account ${ACCOUNT}, region ${REGION}; handle 'A/Campus') already has`);
  });

  test('two handles of one cluster may both state its issuer, in any stack of the app', () => {
    const app = new App();
    const first = WorkloadCluster.fromClusterAttributes(new Stack(app, 'A', { env: { account: ACCOUNT, region: REGION } }), 'Campus', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    const second = WorkloadCluster.fromClusterAttributes(new Stack(app, 'B', { env: { account: ACCOUNT, region: REGION } }), 'Campus', {
      clusterName: 'campus', clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/campus`, oidcIssuerUrl: ISSUER,
    });
    // an environment-agnostic stack cannot say the cluster is elsewhere
    const third = WorkloadCluster.fromClusterAttributes(new Stack(app, 'C'), 'Campus', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    expect([first, second, third].map(c => c.oidcIssuerUrl)).toEqual([ISSUER, ISSUER, ISSUER]);
  });

  test('clusters in two apps do not see each other', () => {
    WorkloadCluster.fromClusterAttributes(newStack(), 'Campus', { clusterName: 'campus', oidcIssuerUrl: ISSUER });
    expect(() => WorkloadCluster.fromClusterAttributes(newStack(), 'Lab', { clusterName: 'lab', oidcIssuerUrl: ISSUER })).not.toThrow();
  });
});
