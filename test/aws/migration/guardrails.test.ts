import * as eks from 'aws-cdk-lib/aws-eks';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, KubernetesGuardrails, MigrationPhase, WorkloadIdentity, WorkloadRuntime, WorkloadServiceAccount } from '../../../lib';
import { ACCOUNT, eksCluster } from '../../fixtures';
import { awsFindings, k8sFindings, newChart, open, reportingStack } from '../../guardrails/helpers';

const { IRSA, POD_IDENTITY } = IdentityMechanism;
const { PREPARED, SWITCHED, FINISHED } = MigrationPhase;

/** The notifier moving to `to`, its namespace sent to Fargate by a profile of the cluster. */
function onFargate(to: IdentityMechanism, phase: MigrationPhase) {
  const stack = reportingStack();
  const identity = new WorkloadIdentity(stack, 'Notifier', {
    cluster: eksCluster(stack), namespace: 'notifications', serviceAccountName: 'notifier', migration: { to, phase },
  });
  new eks.CfnFargateProfile(stack, 'Serverless', { clusterName: 'campus', podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/fargate`, selectors: [{ namespace: 'notifications' }] });
  return { stack, identity };
}

/** The notifier's Deployment marked FARGATE, rendered from the phase's binding. */
function fargatePods(to: IdentityMechanism, phase: MigrationPhase) {
  const { identity } = onFargate(to, phase);
  const chart = newChart();
  const serviceAccount = new WorkloadServiceAccount(chart, 'sa', { binding: identity.primaryBinding });
  const deployment = new kplus.Deployment(chart, 'notifier', { metadata: { name: 'notifier', namespace: 'notifications' }, serviceAccount, containers: [{ image: 'notifier:3' }] });
  KubernetesGuardrails.markRuntime(deployment, WorkloadRuntime.FARGATE);
  return chart;
}

const ASSOCIATION_ON_FARGATE = "WI-AWS-12 Pod identity association 'Test/Notifier/PodIdentityAssociation' targets namespace 'notifications', which Fargate profile 'Test/Serverless' runs on Fargate.";
const POD_ON_FARGATE = "WI-K8S-7 Deployment 'notifications/notifier' uses Pod Identity through ServiceAccount 'notifications/notifier' but it is marked FARGATE (no DaemonSets on Fargate, so no Pod Identity agent).";

describe('moving onto Fargate (Pod Identity -> IRSA): the guardrails hold in every phase', () => {
  test('GIVEN PREPARED WHEN checked THEN WI-AWS-12 and WI-K8S-7 still flag it: the association takes precedence, pods still use Pod Identity', () => {
    expect(open(awsFindings(onFargate(IRSA, PREPARED).stack), 'WI-AWS-12')).toEqual([ASSOCIATION_ON_FARGATE]);
    expect(open(k8sFindings(fargatePods(IRSA, PREPARED)), 'WI-K8S-7')).toEqual([POD_ON_FARGATE]);
  });

  test.each([SWITCHED, FINISHED])('GIVEN %s WHEN checked THEN neither flags it: no association, pods use IRSA', phase => {
    expect(open(awsFindings(onFargate(IRSA, phase).stack), 'WI-AWS-12')).toEqual([]);
    expect(open(k8sFindings(fargatePods(IRSA, phase)), 'WI-K8S-7')).toEqual([]);
  });
});

describe('IRSA -> Pod Identity on Fargate: flagged from the phase pods would use Pod Identity', () => {
  test('GIVEN PREPARED WHEN checked THEN neither flags it: no association yet, pods still use IRSA', () => {
    expect(open(awsFindings(onFargate(POD_IDENTITY, PREPARED).stack), 'WI-AWS-12')).toEqual([]);
    expect(open(k8sFindings(fargatePods(POD_IDENTITY, PREPARED)), 'WI-K8S-7')).toEqual([]);
  });

  test.each([SWITCHED, FINISHED])('GIVEN %s WHEN checked THEN both flag it', phase => {
    expect(open(awsFindings(onFargate(POD_IDENTITY, phase).stack), 'WI-AWS-12')).toEqual([ASSOCIATION_ON_FARGATE]);
    expect(open(k8sFindings(fargatePods(POD_IDENTITY, phase)), 'WI-K8S-7')).toEqual([POD_ON_FARGATE]);
  });
});
