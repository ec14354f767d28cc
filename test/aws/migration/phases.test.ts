import { IdentityMechanism, MigrationPhase } from '../../../lib';
import { IRSA_STATEMENT, POD_IDENTITY_STATEMENT, resourcesOf, ROLE_ARN, synthPhase, trustStatements } from './phase-app';

const { IRSA, POD_IDENTITY, BOTH } = IdentityMechanism;
const { PREPARED, SWITCHED, FINISHED } = MigrationPhase;

/** What each phase must produce: the review table of docs/migration.md, as data. */
interface Expected {
  readonly trust: any[];
  readonly associations: number;
  readonly agent: boolean;
  readonly oidcProvider: boolean;
  readonly roleArnAnnotation: boolean;
  // The stack owns the add-on and the provider (installPodIdentityAgent, createOpenIdConnectProvider): declared in every
  // phase, whether or not an identity uses them, so FINISHED never removes them from the cluster.
  /** The binding's mechanism: what a pod started now can be given. */
  readonly mechanism: IdentityMechanism;
}

const PHASES: [IdentityMechanism, MigrationPhase, string, Expected][] = [
  [POD_IDENTITY, PREPARED, 'irsa-to-pod-identity/prepared',
    { trust: [IRSA_STATEMENT, POD_IDENTITY_STATEMENT], associations: 0, agent: true, oidcProvider: true, roleArnAnnotation: true, mechanism: IRSA }],
  [POD_IDENTITY, SWITCHED, 'irsa-to-pod-identity/switched',
    { trust: [IRSA_STATEMENT, POD_IDENTITY_STATEMENT], associations: 1, agent: true, oidcProvider: true, roleArnAnnotation: true, mechanism: BOTH }],
  [POD_IDENTITY, FINISHED, 'irsa-to-pod-identity/finished',
    { trust: [POD_IDENTITY_STATEMENT], associations: 1, agent: true, oidcProvider: true, roleArnAnnotation: false, mechanism: POD_IDENTITY }],
  [IRSA, PREPARED, 'pod-identity-to-irsa/prepared',
    { trust: [IRSA_STATEMENT, POD_IDENTITY_STATEMENT], associations: 1, agent: true, oidcProvider: true, roleArnAnnotation: true, mechanism: BOTH }],
  [IRSA, SWITCHED, 'pod-identity-to-irsa/switched',
    { trust: [IRSA_STATEMENT, POD_IDENTITY_STATEMENT], associations: 0, agent: true, oidcProvider: true, roleArnAnnotation: true, mechanism: IRSA }],
  [IRSA, FINISHED, 'pod-identity-to-irsa/finished',
    { trust: [IRSA_STATEMENT], associations: 0, agent: true, oidcProvider: true, roleArnAnnotation: true, mechanism: IRSA }],
];

describe.each(PHASES)('GIVEN a migration to %s in phase %s', (to, phase, label, expected) => {
  const app = () => synthPhase({ migration: { to, phase } });

  test('WHEN synthesized THEN the role trusts exactly the phase\'s statements (Principal, Action, Condition)', () => {
    expect(trustStatements(app())).toEqual(expected.trust);
  });

  test(`WHEN synthesized THEN it has ${expected.associations} pod identity association(s), for exactly the ServiceAccount and role`, () => {
    const associations = Object.values(resourcesOf(app().template, 'AWS::EKS::PodIdentityAssociation'));
    expect(associations).toHaveLength(expected.associations);
    associations.forEach(a => expect(a).toEqual({
      Type: 'AWS::EKS::PodIdentityAssociation',
      Properties: { ClusterName: 'campus', Namespace: 'notifications', ServiceAccount: 'notifier', RoleArn: { 'Fn::GetAtt': ['NotifierE2836A75', 'Arn'] } },
      DependsOn: ['ClusterPodIdentityAgent7F1A7F22'],
    }));
  });

  test(`WHEN synthesized THEN the eks-pod-identity-agent add-on is ${expected.agent ? 'declared' : 'not declared'}`, () => {
    const addons = Object.values(resourcesOf(app().template, 'AWS::EKS::Addon'));
    expect(addons.map(a => a.Properties)).toEqual(expected.agent ? [{ AddonName: 'eks-pod-identity-agent', ClusterName: 'campus' }] : []);
  });

  test(`WHEN synthesized THEN the cluster's OIDC provider is ${expected.oidcProvider ? 'there' : 'gone'}`, () => {
    expect(Object.keys(resourcesOf(app().template, 'AWS::IAM::OIDCProvider'))).toEqual(expected.oidcProvider ? ['ClusterOidcProvider45D293DD'] : []);
  });

  test(`WHEN rendered THEN the ServiceAccount ${expected.roleArnAnnotation ? 'carries' : 'does not carry'} eks.amazonaws.com/role-arn and shows ${label}`, () => {
    expect(app().serviceAccount.metadata.annotations).toEqual({
      'cdk-eks-workload-identity/cluster': 'campus',
      'cdk-eks-workload-identity/migration': label,
      ...expected.roleArnAnnotation ? { 'eks.amazonaws.com/role-arn': ROLE_ARN } : {},
    });
  });

  test(`WHEN bound THEN the binding records mechanism ${expected.mechanism} and the migration`, () => {
    expect(app().identity.primaryBinding).toMatchObject({ mechanism: expected.mechanism, migration: { to, phase } });
  });
});

describe('the OIDC provider at the end of a migration to Pod Identity', () => {
  test('GIVEN another workload on the cluster still on IRSA WHEN the migration is FINISHED THEN the provider stays', () => {
    const app = synthPhase({ migration: { to: POD_IDENTITY, phase: FINISHED } }, { otherIrsaWorkload: true });
    expect(Object.keys(resourcesOf(app.template, 'AWS::IAM::OIDCProvider'))).toEqual(['ClusterOidcProvider45D293DD']);
    expect(trustStatements(app)).toEqual([POD_IDENTITY_STATEMENT]);
  });
});

describe('FINISHED is the plain target mechanism, but for the annotation', () => {
  test.each([POD_IDENTITY, IRSA])('GIVEN a migration to %s FINISHED and the plain mechanism WHEN synthesized THEN the templates are equal', to => {
    expect(synthPhase({ migration: { to, phase: FINISHED } }).template).toEqual(synthPhase({ mechanism: to }).template);
  });

  test('IRSA -> POD_IDENTITY SWITCHED is what BOTH declares', () => {
    expect(synthPhase({ migration: { to: POD_IDENTITY, phase: SWITCHED } }).template).toEqual(synthPhase({ mechanism: BOTH }).template);
  });
});
