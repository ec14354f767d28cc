import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IWorkloadCluster, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, issuerOf, REGION } from '../../fixtures';

const OTHER_ACCOUNT = '210987654321';
const TRUST_QUOTA = 2048;

function fleetCluster(stack: Stack, index: number, account = ACCOUNT): IWorkloadCluster {
  // A realistic fleet name: environment, region, ordinal (21 characters).
  const clusterName = `prod-${REGION}-blue-${String(index).padStart(2, '0')}`;
  return WorkloadCluster.fromClusterAttributes(stack, `Cluster${account}${index}`, {
    clusterName,
    clusterArn: `arn:aws:eks:${REGION}:${account}:cluster/${clusterName}`,
    oidcIssuerUrl: issuerOf(clusterName),
  });
}

/**
 * The role's trust policy as the template renders it (every value here is
 * literal, so this is what WI-AWS-8 measures, without whitespace). Resolved
 * without a synth: past the quota, the synth would fail on WI-AWS-8.
 */
function trustPolicy(identity: WorkloadIdentity): any {
  return Stack.of(identity).resolve((identity.role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument);
}

/** The same trust, one statement per (cluster, namespace, ServiceAccount): the layout before packing. */
function unpacked(policy: any): any {
  return {
    ...policy,
    Statement: policy.Statement.flatMap((st: any) => {
      const arns = st.Condition.StringEquals['aws:RequestTag/eks-cluster-arn'];
      return [arns].flat().map((arn: string) => ({
        ...st, Condition: { StringEquals: { ...st.Condition.StringEquals, 'aws:RequestTag/eks-cluster-arn': arn } },
      }));
    }),
  };
}

/** One identity whose ServiceAccount runs on `clusters` clusters of one account. */
function fleetIdentity(clusters: number): WorkloadIdentity {
  const stack = new Stack(new App(), 'Fleet', { env: { account: ACCOUNT, region: REGION } });
  const identity = new WorkloadIdentity(stack, 'Payments', { cluster: fleetCluster(stack, 1), namespace: 'payments', serviceAccountName: 'payment-api' });
  for (let i = 2; i <= clusters; i++) {
    identity.addSubject({ cluster: fleetCluster(stack, i), namespace: 'payments', serviceAccountName: 'payment-api' });
  }
  return identity;
}

/** The most clusters whose trust stays within the quota, by the given layout. */
function clustersThatFit(layout: (policy: any) => any): number {
  let n = 1;
  while (JSON.stringify(layout(trustPolicy(fleetIdentity(n + 1)))).length <= TRUST_QUOTA) { n++; }
  return n;
}

describe('Pod Identity trust packed per (account, namespace, ServiceAccount)', () => {
  test('one ServiceAccount on many clusters of one account: one statement listing every cluster ARN', () => {
    // GIVEN / WHEN
    const identity = fleetIdentity(3);

    // THEN
    const statements = trustPolicy(identity).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Condition.StringEquals).toEqual({
      'aws:SourceAccount': ACCOUNT,
      'aws:RequestTag/eks-cluster-arn': [1, 2, 3].map(i => `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-${REGION}-blue-0${i}`),
      'aws:RequestTag/kubernetes-namespace': 'payments',
      'aws:RequestTag/kubernetes-service-account': 'payment-api',
    });
  });

  test('no cross-combination: ServiceAccounts on different clusters get statements of their own; a cluster of another account is refused', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Fleet', { env: { account: ACCOUNT, region: REGION } });
    const [c1, c2, foreign] = [fleetCluster(stack, 1), fleetCluster(stack, 2), fleetCluster(stack, 3, OTHER_ACCOUNT)];
    const identity = new WorkloadIdentity(stack, 'Shared', { cluster: c1, namespace: 'payments', serviceAccountName: 'api' });

    // WHEN
    identity.addSubject({ cluster: c2, namespace: 'payments', serviceAccountName: 'worker' });
    // EKS Pod Identity passes only a role of the cluster's own account (issue 10 §1): refused, naming the account.
    expect(() => identity.addSubject({ cluster: foreign, namespace: 'payments', serviceAccountName: 'api' }))
      .toThrow(`the cluster is in account ${OTHER_ACCOUNT}, and EKS Pod Identity takes a role of the cluster's own account`);
    identity.addSubject({ cluster: c2, namespace: 'payments', serviceAccountName: 'api' });

    // THEN: api on c1 and c2 (one account) share a statement; worker only names c2
    const conditions = trustPolicy(identity).Statement.map((st: any) => st.Condition.StringEquals);
    expect(conditions.map((c: any) => [c['aws:SourceAccount'], c['aws:RequestTag/kubernetes-service-account'], c['aws:RequestTag/eks-cluster-arn']])).toEqual([
      [ACCOUNT, 'api', [c1.clusterArn, c2.clusterArn]],
      [ACCOUNT, 'worker', c2.clusterArn],
    ]);
  });

  test('the same subject added twice is listed once', () => {
    const stack = new Stack(new App(), 'Fleet', { env: { account: ACCOUNT, region: REGION } });
    const c1 = fleetCluster(stack, 1);
    const identity = new WorkloadIdentity(stack, 'Shared', { cluster: c1, namespace: 'payments', serviceAccountName: 'api' });
    expect(() => identity.addSubject({ cluster: c1, namespace: 'payments', serviceAccountName: 'api' })).toThrow(/is bound twice/);
    expect(trustPolicy(identity).Statement[0].Condition.StringEquals['aws:RequestTag/eks-cluster-arn']).toBe(c1.clusterArn);
  });

  test('WI-AWS-8 measures the same length: 24 clusters synthesize, 25 fail on it', () => {
    expect(() => Template.fromStack(Stack.of(fleetIdentity(24)))).not.toThrow();
    expect(() => Template.fromStack(Stack.of(fleetIdentity(25)))).toThrow(/WI-AWS-8: Role 'Fleet\/Payments' has a trust policy of \d+ characters/);
  });

  test('capacity of the 2,048-character trust quota: 5 clusters one statement each, 24 packed', () => {
    // Measured on the rendered trust of one ServiceAccount (payments/payment-api) on clusters named prod-eu-west-1-blue-NN.
    expect(clustersThatFit(unpacked)).toBe(5);
    expect(clustersThatFit(p => p)).toBe(24);
  });
});
