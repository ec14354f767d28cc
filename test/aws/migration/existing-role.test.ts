import { IdentityMechanism, MigrationPhase } from '../../../lib';
import { ISSUER_KEY } from '../../fixtures';
import { resourcesOf, ROLE_ARN, synthPhase } from './phase-app';

const { IRSA, POD_IDENTITY } = IdentityMechanism;
const { PREPARED, SWITCHED, FINISHED } = MigrationPhase;

const WEB_IDENTITY = `sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider with StringEquals ${ISSUER_KEY}:sub = ` +
  `system:serviceaccount:notifications:notifier and ${ISSUER_KEY}:aud = sts.amazonaws.com`;
const POD_IDENTITY_TRUST = 'sts:AssumeRole and sts:TagSession from pods.eks.amazonaws.com with StringEquals aws:RequestTag/kubernetes-namespace = notifications, ' +
  'aws:RequestTag/kubernetes-service-account = notifier and aws:RequestTag/eks-cluster-arn = the cluster\'s ARN';
const must = (...statements: string[]) => `The existing role is used as is: its trust policy must allow ${statements.join('; and ')}. ` +
  'Without it the pods of that ServiceAccount get no credentials.';

// The library cannot change an existing role's trust: per phase, the warning says exactly what the user adds or removes.
describe.each([
  [POD_IDENTITY, PREPARED, must(WEB_IDENTITY, POD_IDENTITY_TRUST) + ' Migration irsa-to-pod-identity/prepared: add the pods.eks.amazonaws.com statement before deploying this phase, and keep the sts:AssumeRoleWithWebIdentity statement: pods still use it.', 0, true],
  [POD_IDENTITY, SWITCHED, must(WEB_IDENTITY, POD_IDENTITY_TRUST) + ' Migration irsa-to-pod-identity/switched: keep both statements: the sts:AssumeRoleWithWebIdentity statement is the way back.', 1, true],
  [POD_IDENTITY, FINISHED, must(POD_IDENTITY_TRUST) + ' Migration irsa-to-pod-identity/finished: remove the sts:AssumeRoleWithWebIdentity statement: once the pods were rolled after SWITCHED, nothing uses it.', 1, false],
  [IRSA, PREPARED, must(WEB_IDENTITY, POD_IDENTITY_TRUST) + ' Migration pod-identity-to-irsa/prepared: add the sts:AssumeRoleWithWebIdentity statement before deploying this phase, and keep the pods.eks.amazonaws.com statement: pods still use it.', 1, true],
  [IRSA, SWITCHED, must(WEB_IDENTITY, POD_IDENTITY_TRUST) + ' Migration pod-identity-to-irsa/switched: keep both statements: the pods.eks.amazonaws.com statement is the way back.', 0, true],
  [IRSA, FINISHED, must(WEB_IDENTITY) + ' Migration pod-identity-to-irsa/finished: remove the pods.eks.amazonaws.com statement: once the pods were rolled after SWITCHED, nothing uses it.', 0, true],
])('GIVEN an existing role (iam.Role.fromRoleArn) migrating to %s, phase %s', (to, phase, warning, associations, annotated) => {
  const app = () => synthPhase({ migration: { to, phase } }, { existingRole: true });

  test('WHEN synthesized THEN the warning lists exactly the trust this phase needs, and what to change', () => {
    expect(app().warnings).toEqual([`${warning} [ack: cdk-eks-workload-identity:existing-role-trust]`]);
  });

  test('WHEN synthesized THEN no role is created and its trust is left as it is', () => {
    expect(resourcesOf(app().template, 'AWS::IAM::Role')).toEqual({});
  });

  test(`WHEN synthesized THEN the library still makes ${associations} association(s) with that role`, () => {
    const made = Object.values(resourcesOf(app().template, 'AWS::EKS::PodIdentityAssociation'));
    expect(made.map(a => a.Properties.RoleArn)).toEqual(Array(associations).fill(ROLE_ARN));
  });

  test(`WHEN rendered THEN the ServiceAccount ${annotated ? 'carries' : 'no longer carries'} its ARN`, () => {
    expect(app().serviceAccount.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(annotated ? ROLE_ARN : undefined);
  });
});
