import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EbsCsiDriverIdentity, IdentityMechanism, MigrationPhase, WorkloadIdentity, WorkloadIdentityErrors } from '../../../lib';
import { CLUSTER_ARN, eksCluster, newStack } from '../../fixtures';

function policy(): iam.PolicyDocument {
  return new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::tenant-data/tenant-a/*'] })] });
}

/** What a session policy needs anyway: session tags off, so the trust is the account's, narrowed to the cluster. */
const SESSION_POLICY = {
  sessionTags: false, restrictTrustToSubjects: false,
  additionalTrustConditions: { ArnEquals: { 'aws:SourceArn': CLUSTER_ARN } },
};

function tenants(stack: Stack, more: object): WorkloadIdentity {
  return new WorkloadIdentity(stack, 'Tenants', {
    cluster: eksCluster(stack), namespace: 'tenant-a', serviceAccountName: 'app',
    podIdentity: { ...SESSION_POLICY, sessionPolicy: policy() }, ...more,
  });
}

const BYPASS = ", but WorkloadIdentity 'Test/Tenants' narrows its pods with podIdentity.sessionPolicy, which only its Pod Identity associations apply: " +
  'where the trust admits IRSA, a pod presents its projected token to STS and gets the whole role. ' +
  'Use IdentityMechanism.POD_IDENTITY for every subject (a migration to Pod Identity once FINISHED), or grant the narrower permissions to a role of its own.';

describe('a session policy narrows every pod of its identity, or the identity is refused (issue 18 §1)', () => {
  test.each([
    ['mechanism IRSA', { mechanism: IdentityMechanism.IRSA }, 'IRSA'],
    ['mechanism BOTH', { mechanism: IdentityMechanism.BOTH }, 'BOTH'],
    ['PREPARED to Pod Identity', { migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.PREPARED } }, 'migration { to: POD_IDENTITY, phase: PREPARED }'],
    ['SWITCHED to Pod Identity', { migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED } }, 'migration { to: POD_IDENTITY, phase: SWITCHED }'],
    ['PREPARED to IRSA', { migration: { to: IdentityMechanism.IRSA, phase: MigrationPhase.PREPARED } }, 'migration { to: IRSA, phase: PREPARED }'],
    ['SWITCHED to IRSA', { migration: { to: IdentityMechanism.IRSA, phase: MigrationPhase.SWITCHED } }, 'migration { to: IRSA, phase: SWITCHED }'],
    ['FINISHED to IRSA', { migration: { to: IdentityMechanism.IRSA, phase: MigrationPhase.FINISHED } }, 'migration { to: IRSA, phase: FINISHED }'],
  ])('%s is refused, naming the subject and why', (_, more, how) => {
    // GIVEN a session policy WHEN the subject can get the role by IRSA THEN
    expect(() => tenants(newStack(), more)).toThrow(`ServiceAccount 'tenant-a/app' on cluster 'campus' can get the role by IRSA (${how})${BYPASS}`);
  });

  test('FINISHED to Pod Identity: only the association, which carries the policy', () => {
    const stack = newStack();
    tenants(stack, { migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.FINISHED } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    expect(JSON.parse(Object.values<any>(template.findResources('AWS::EKS::PodIdentityAssociation'))[0].Properties.Policy).Statement)
      .toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::tenant-data/tenant-a/*' }]);
    const trust = Object.values<any>(template.findResources('AWS::IAM::Role'))[0].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.map((s: any) => s.Action)).toEqual([['sts:AssumeRole', 'sts:TagSession']]);
  });

  test('a later IRSA subject is refused too', () => {
    const stack = newStack();
    const identity = tenants(stack, {});
    expect(() => identity.addSubject({ cluster: eksCluster(stack, 'Other', 'other'), namespace: 'tenant-a', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA }))
      .toThrow(`ServiceAccount 'tenant-a/app' on cluster 'other' can get the role by IRSA (IRSA)${BYPASS}`);
  });

  test('with createPodIdentityAssociations false no association of its own carries it: refused', () => {
    expect(() => tenants(newStack(), { createPodIdentityAssociations: false })).toThrow(
      "WorkloadIdentity 'Test/Tenants' sets a sessionPolicy, but its pod identity associations are declared elsewhere (createPodIdentityAssociations: false, " +
      "as a catalog add-on sets: an EKS add-on's PodIdentityAssociations have no Policy field), so the policy would narrow none of its pods. " +
      'Leave createPodIdentityAssociations on (installAddon: false for a catalog add-on), or grant the narrower permissions to a role of its own.');
  });

  test('a catalog add-on (whose association is the add-on\'s) with a session policy is refused', () => {
    const stack = newStack();
    expect(() => new EbsCsiDriverIdentity(stack, 'Ebs', { cluster: eksCluster(stack), podIdentity: { ...SESSION_POLICY, sessionPolicy: policy() } }))
      .toThrow("WorkloadIdentity 'Test/Ebs/Identity' sets a sessionPolicy, but its pod identity associations are declared elsewhere");
  });

  test('an empty session policy is the library\'s error, not a TypeError (issue 18 §3)', () => {
    // GIVEN a policy document without statements
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    const create = () => new WorkloadIdentity(stack, 'Tenants', {
      cluster, namespace: 'tenant-a', serviceAccountName: 'app', podIdentity: { ...SESSION_POLICY, sessionPolicy: new iam.PolicyDocument() },
    });

    // THEN
    let error: unknown;
    try { create(); } catch (e) { error = e; }
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(error)).toBe(true);
    expect((error as Error).message).toBe("The sessionPolicy of WorkloadIdentity 'Test/Tenants' has no statements: EKS refuses an empty Policy, and a session policy " +
      'that allows nothing would deny the pods everything. Add the statements the pods may use, or leave sessionPolicy out.');
  });
});
