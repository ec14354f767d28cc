/**
 * Staged migration (issue 14 part 3), evaluated with iam-simulate: every phase
 * of both directions, each on its own cluster with the same ServiceAccount
 * name, plus a plain IRSA and a plain Pod Identity workload beside them. The
 * declared ServiceAccount gets credentials by exactly the mechanisms its phase
 * delivers: a web identity only where the trust admits its token, the
 * provider of its issuer exists and its ServiceAccount carries the role ARN; a
 * Pod Identity session only where the trust admits it and an association
 * exists. Every other ServiceAccount, namespace, cluster, issuer and account
 * is denied.
 */
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { EXAMPLE_ENV, ExampleOutput } from '../../examples';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, MechanismMigration, MigrationPhase, WorkloadCluster, WorkloadIdentity, WorkloadServiceAccount } from '../../lib';
import { REFUSAL_CLASSES } from './refusal-classes';
import { synthesize, SynthesizedApp } from './synthesized-app';
import { describeMismatch, evaluateTrustCases, EXAMPLE_ORGANIZATION, POD_IDENTITY_PRINCIPAL, TrustCase } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { emittedServiceAccounts, ROLE_ARN_ANNOTATION, SynthesizedWorkloadRole, workloadRoles } from './workload-roles';

const { IRSA, POD_IDENTITY } = IdentityMechanism;
const { PREPARED, SWITCHED, FINISHED } = MigrationPhase;
const ACCOUNT = EXAMPLE_ENV.account;
const OTHER_ACCOUNT = '210987654321';
const REGION = EXAMPLE_ENV.region;
const NAMESPACE = 'notifications';
const NAME = 'notifier';

type Delivered = ('IRSA' | 'POD_IDENTITY')[];

/**
 * The phases, and what each must deliver: written out from the runbook
 * (docs/migration.md), not derived from lib/. `newPods` is what a pod started
 * now gets (an association takes precedence in the pod identity webhook).
 */
const WORKLOADS: { cluster: string; mechanism?: IdentityMechanism; migration?: MechanismMigration; delivered: Delivered; newPods: 'IRSA' | 'POD_IDENTITY' }[] = [
  { cluster: 'to-pi-prepared', migration: { to: POD_IDENTITY, phase: PREPARED }, delivered: ['IRSA'], newPods: 'IRSA' },
  { cluster: 'to-pi-switched', migration: { to: POD_IDENTITY, phase: SWITCHED }, delivered: ['IRSA', 'POD_IDENTITY'], newPods: 'POD_IDENTITY' },
  { cluster: 'to-pi-finished', migration: { to: POD_IDENTITY, phase: FINISHED }, delivered: ['POD_IDENTITY'], newPods: 'POD_IDENTITY' },
  { cluster: 'to-irsa-prepared', migration: { to: IRSA, phase: PREPARED }, delivered: ['IRSA', 'POD_IDENTITY'], newPods: 'POD_IDENTITY' },
  { cluster: 'to-irsa-switched', migration: { to: IRSA, phase: SWITCHED }, delivered: ['IRSA'], newPods: 'IRSA' },
  { cluster: 'to-irsa-finished', migration: { to: IRSA, phase: FINISHED }, delivered: ['IRSA'], newPods: 'IRSA' },
  { cluster: 'plain-irsa', mechanism: IRSA, delivered: ['IRSA'], newPods: 'IRSA' },
  { cluster: 'plain-pod-identity', mechanism: POD_IDENTITY, delivered: ['POD_IDENTITY'], newPods: 'POD_IDENTITY' },
];

const clusterArnOf = (name: string, account = ACCOUNT) => `arn:aws:eks:${REGION}:${account}:cluster/${name}`;
/** A distinct issuer per cluster, as EKS gives. */
const issuerOf = (name: string) => `oidc.eks.${REGION}.amazonaws.com/id/${Buffer.from(name).toString('hex').toUpperCase().padEnd(32, '0').slice(0, 32)}`;
const providerArnOf = (issuer: string, account = ACCOUNT) => `arn:aws:iam::${account}:oidc-provider/${issuer}`;

function build(awsApp: cdk.App, k8s: ExampleOutput, workloads = WORKLOADS, sessionPolicy?: iam.PolicyDocument): void {
  const stack = new cdk.Stack(awsApp, 'MigrationPhases', { env: EXAMPLE_ENV });
  for (const w of workloads) {
    const cluster = WorkloadCluster.fromClusterAttributes(stack, w.cluster, {
      clusterName: w.cluster, clusterArn: clusterArnOf(w.cluster), oidcIssuerUrl: `https://${issuerOf(w.cluster)}`, installPodIdentityAgent: true,
      // The stack owns its clusters: it declares their OIDC providers, whose presence each phase's delivery checks.
      createOpenIdConnectProvider: true,
    });
    const identity = new WorkloadIdentity(stack, `Notifier-${w.cluster}`, {
      cluster, namespace: NAMESPACE, serviceAccountName: NAME, mechanism: w.mechanism, migration: w.migration,
      ...(sessionPolicy ? { podIdentity: { sessionPolicy, sessionTags: false, restrictTrustToSubjects: false } } : {}),
    });
    new WorkloadServiceAccount(new cdk8s.Chart(k8s.app(w.cluster), `notifier-${w.cluster}`), 'notifier', { binding: identity.primaryBinding });
  }
}
/** A web identity request: the projected token of `namespace/name` from `issuer`, through `providerArn`. */
function webIdentity(role: SynthesizedWorkloadRole, issuer: string, providerArn: string, namespace: string, name: string, audience: string, variation: string, expect: 'Allowed' | 'Denied'): TrustCase {
  return {
    role, mechanism: 'IRSA', expect, serviceAccount: `${namespace}/${name}`, variation, principal: providerArn, action: 'sts:AssumeRoleWithWebIdentity', issuer,
    context: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${name}`, [`${issuer}:aud`]: audience },
  };
}

/** The request EKS makes for an association of `namespace/name` on `clusterArn` (EKS user guide, pod-id-abac). */
function podIdentity(role: SynthesizedWorkloadRole, clusterArn: string, namespace: string, name: string, action: string, variation: string, expect: 'Allowed' | 'Denied',
  principal = POD_IDENTITY_PRINCIPAL): TrustCase {
  const tags: Record<string, string> = {
    'eks-cluster-arn': clusterArn, 'eks-cluster-name': clusterArn.split('/').pop()!, 'kubernetes-namespace': namespace,
    'kubernetes-service-account': name, 'kubernetes-pod-name': `${name}-7d4b9c8f6-x2x9z`, 'kubernetes-pod-uid': '0b1e3a2c-5d4f-4e6a-9b8c-7d6e5f4a3b2c',
  };
  const context: Record<string, string | string[]> = { 'aws:SourceAccount': clusterArn.split(':')[4], 'aws:SourceArn': clusterArn, 'aws:SourceOrgID': EXAMPLE_ORGANIZATION };
  for (const [k, v] of Object.entries(tags)) { context[`aws:RequestTag/${k}`] = v; }
  context['aws:TagKeys'] = Object.keys(tags);
  return { role, mechanism: 'POD_IDENTITY', expect, serviceAccount: `${namespace}/${name}`, variation, principal, action, context };
}

describe('every migration phase, both directions: credentials by exactly the phase\'s mechanisms', () => {
  let app: SynthesizedApp;
  const tally = { cases: 0, allowed: 0, wrong: 0 };
  beforeAll(() => { app = synthesize([{ name: 'migration-phases', build }]); });
  afterAll(() => app?.dispose());

  /** What the synthesized output wires for the workload on `cluster`: its role, provider, annotation and association. */
  function wiring(cluster: string) {
    const stack = app.stack('MigrationPhases');
    const roles = workloadRoles(app, { rolesOnly: true });
    const identity = app.identities.find(i => i.bindings[0].clusterName === cluster)!;
    const role = roles.find(r => r.logicalId === identity.roleLogicalId)!;
    const issuer = issuerOf(cluster);
    const providerExists = stack.resolved.logicalIdsOfType('AWS::IAM::OIDCProvider').some(id => stack.resolved.properties(id).Url === `https://${issuer}`);
    const serviceAccount = emittedServiceAccounts(app).find(sa => sa.cluster?.clusterName === cluster && sa.namespace === NAMESPACE && sa.name === NAME)!;
    const annotated = serviceAccount.annotations[ROLE_ARN_ANNOTATION] === role.arn;
    const associated = stack.resolved.logicalIdsOfType('AWS::EKS::PodIdentityAssociation').map(id => stack.resolved.properties(id))
      .some(p => p.ClusterName === cluster && p.Namespace === NAMESPACE && p.ServiceAccount === NAME && p.RoleArn === role.arn);
    return { role, roles, issuer, providerExists, annotated, associated };
  }

  test.each(WORKLOADS.map(w => [w.migration ? `${w.migration.to} ${w.migration.phase}` : `plain ${w.mechanism}`, w]))(
    '%s: the declared ServiceAccount gets exactly its phase\'s mechanisms; every other request is denied', async (_, w) => {
      const { role, roles, issuer, providerExists, annotated, associated } = wiring(w.cluster);
      const own = [
        webIdentity(role, issuer, providerArnOf(issuer), NAMESPACE, NAME, 'sts.amazonaws.com', 'its own token', w.delivered.includes('IRSA') ? 'Allowed' : 'Denied'),
        ...['sts:AssumeRole', 'sts:TagSession'].map(action =>
          podIdentity(role, clusterArnOf(w.cluster), NAMESPACE, NAME, action, `its own association (${action})`, w.delivered.includes('POD_IDENTITY') ? 'Allowed' : 'Denied')),
      ];
      const others: TrustCase[] = [
        webIdentity(role, issuer, providerArnOf(issuer), 'default', NAME, 'sts.amazonaws.com', 'another namespace', 'Denied'),
        webIdentity(role, issuer, providerArnOf(issuer), NAMESPACE, 'default', 'sts.amazonaws.com', 'another ServiceAccount', 'Denied'),
        webIdentity(role, issuer, providerArnOf(issuer), NAMESPACE, NAME, 'other.example.com', 'another audience', 'Denied'),
        webIdentity(role, issuer, providerArnOf(issuer, OTHER_ACCOUNT), NAMESPACE, NAME, 'sts.amazonaws.com', 'the provider of another account', 'Denied'),
        podIdentity(role, clusterArnOf(w.cluster), 'default', NAME, 'sts:AssumeRole', 'another namespace', 'Denied'),
        podIdentity(role, clusterArnOf(w.cluster), NAMESPACE, 'default', 'sts:AssumeRole', 'another ServiceAccount', 'Denied'),
        podIdentity(role, clusterArnOf(w.cluster, OTHER_ACCOUNT), NAMESPACE, NAME, 'sts:AssumeRole', 'the same cluster name in another account', 'Denied'),
        podIdentity(role, clusterArnOf(w.cluster), NAMESPACE, NAME, 'sts:AssumeRole', 'service principal ec2.amazonaws.com', 'Denied', 'ec2.amazonaws.com'),
        // The same ServiceAccount on every other cluster (each in another phase) is another subject: denied here.
        ...WORKLOADS.filter(o => o.cluster !== w.cluster).flatMap(o => [
          webIdentity(role, issuerOf(o.cluster), providerArnOf(issuerOf(o.cluster)), NAMESPACE, NAME, 'sts.amazonaws.com', `cluster '${o.cluster}' (its issuer)`, 'Denied' as const),
          podIdentity(role, clusterArnOf(o.cluster), NAMESPACE, NAME, 'sts:AssumeRole', `cluster '${o.cluster}'`, 'Denied'),
        ]),
      ];
      const results = await evaluateTrustCases([...own, ...others]);
      recordStat('layoutTrustCases', results.length);
      // A credential is delivered only where the trust admits it AND the rest of the path exists.
      const delivered = results.map(r => {
        const c = r.trustCase;
        const path = c.variation === 'its own token' ? providerExists && annotated : c.variation.startsWith('its own association') ? associated : true;
        return { ...r, actual: r.actual === 'Allowed' && path ? 'Allowed' as const : 'Denied' as const };
      });
      tally.cases += delivered.length;
      tally.allowed += delivered.filter(r => r.actual === 'Allowed').length;
      tally.wrong += delivered.filter(r => r.actual !== r.trustCase.expect).length;
      expect(delivered.filter(r => r.actual !== r.trustCase.expect).map(describeMismatch)).toEqual([]);
      expect(roles.length).toBe(WORKLOADS.length);
      // A pod started now: the association wins where it exists, else the annotation.
      expect(associated ? 'POD_IDENTITY' : annotated ? 'IRSA' : 'none').toBe(w.newPods);
    });

  test('in all: 8 workloads x 25 requests; allowed only the 6 web identities and 4 x 2 Pod Identity actions the phases deliver; 0 wrong', () => {
    expect(tally).toEqual({ cases: 200, allowed: 14, wrong: 0 });
  });
});

/**
 * Issue 18 §1: `podIdentity.sessionPolicy` narrows every pod of the identity, or the synth refuses the identity
 * naming why. A phase in which a pod can get the role by IRSA (the phase table above: its token is admitted, and
 * a pod projects it whether or not an association exists) cannot carry a session policy: refused. A phase
 * delivering only Pod Identity: every association carries the policy.
 */
describe('a session policy in every migration phase', () => {
  const SESSION_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:123456789012:notifications' }] };

  for (const w of WORKLOADS) {
    const name = w.migration ? `${w.migration.to} ${w.migration.phase}` : `plain ${w.mechanism}`;
    if (w.delivered.includes('IRSA')) {
      test(`${name}: a pod can get the role by IRSA, so the identity is refused naming why`, () => {
        let refusal: Error | undefined;
        try {
          synthesize([{ name: 'session-policy', build: (a, k) => build(a, k, [w], iam.PolicyDocument.fromJson(SESSION_POLICY)) }]).dispose();
        } catch (e) {
          refusal = e as Error;
        }
        expect(refusal?.message).toMatch(REFUSAL_CLASSES['session-policy-not-applied']);
        expect(refusal?.message).toContain(`Notifier-${w.cluster}`);
      });
    } else {
      test(`${name}: every association carries the session policy`, () => {
        const app = synthesize([{ name: 'session-policy', build: (a, k) => build(a, k, [w], iam.PolicyDocument.fromJson(SESSION_POLICY)) }]);
        try {
          const stack = app.stack('MigrationPhases').resolved;
          const policies = stack.logicalIdsOfType('AWS::EKS::PodIdentityAssociation').map(id => stack.properties(id).Policy);
          expect(policies.length).toBeGreaterThan(0);
          for (const p of policies) { expect(JSON.parse(p)).toEqual(SESSION_POLICY); }
        } finally {
          app.dispose();
        }
      });
    }
  }
});
