import { Annotations as CoreAnnotations, App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EbsCsiDriverIdentity, IdentityMechanism, PodIdentityTargetRole, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, eksCluster, REGION } from '../../fixtures';

const DATA_ACCOUNT = '210987654321';

function layout(externalIds?: string[]) {
  const app = new App();
  const clusterStack = new Stack(app, 'Workloads', { env: { account: ACCOUNT, region: REGION } });
  const dataStack = new Stack(app, 'Data', { env: { account: DATA_ACCOUNT, region: REGION } });
  const identity = new WorkloadIdentity(clusterStack, 'Reporter', { cluster: eksCluster(clusterStack), namespace: 'reports', serviceAccountName: 'reporter' });
  const target = new PodIdentityTargetRole(dataStack, 'ReporterTarget', { identity, roleName: 'reporter-target', externalIds });
  new s3.Bucket(dataStack, 'Reports').grantRead(target);
  return { app, clusterStack, dataStack, identity, target };
}

describe('a cross-account target role', () => {
  test('step 1: the association names the target; the target trusts exactly the identity\'s role', () => {
    // GIVEN / WHEN
    const { clusterStack, dataStack, identity, target } = layout();

    // THEN the association in the cluster's account chains to the target's literal ARN
    const workloads = Template.fromStack(clusterStack);
    const targetArn = `arn:aws:iam::${DATA_ACCOUNT}:role/reporter-target`;
    expect(target.roleArn).toBe(targetArn);
    workloads.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'reports', ServiceAccount: 'reporter', TargetRoleArn: targetArn });
    // AND the identity's role may assume it
    workloads.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: targetArn }] } });
    // AND the association's ExternalId is an output for step 2
    expect(Object.values<any>(workloads.toJSON().Outputs).map(o => o.Value)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^ReporterPodIdentityAssociation/), 'ExternalId'] }]);

    // AND the target trusts the identity's role only, by aws:PrincipalArn, for AssumeRole and TagSession
    const data = Template.fromStack(dataStack);
    const role = Object.values<any>(data.findResources('AWS::IAM::Role'))[0].Properties;
    const source = { ArnEquals: { 'aws:PrincipalArn': identity.primaryBinding.roleArn } };
    const root = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]] };
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: root }, Condition: source },
      { Effect: 'Allow', Action: 'sts:TagSession', Principal: { AWS: root }, Condition: source },
    ]);
    // AND grants on the data account's bucket land on the target role
    expect(JSON.stringify(Object.values<any>(data.findResources('AWS::IAM::Policy'))[0].Properties.Roles)).toContain('ReporterTarget');
    Annotations.fromStack(dataStack).hasInfo('/Data/ReporterTarget', Match.stringLikeRegexp('^Step 1 of 2: the trust admits exactly the role arn:aws:iam::123456789012:role/.* \\[ack: cdk-eks-workload-identity:target-role-step-1\\]$'));
  });

  test('step 1 note: acknowledged by its own id, not by the generic info-annotation, and only it', () => {
    // GIVEN the note, acknowledged by its id on the data stack
    const { dataStack } = layout([]);
    CoreAnnotations.of(dataStack).acknowledgeInfo(PodIdentityTargetRole.STEP_ONE_NOTE_ID, 'ExternalIds follow in the next release.');
    // THEN it is gone
    expect(Annotations.fromStack(dataStack).findInfo('*', Match.stringLikeRegexp('^Step 1 of 2'))).toEqual([]);
    expect(PodIdentityTargetRole.STEP_ONE_NOTE_ID).toBe('cdk-eks-workload-identity:target-role-step-1');
    // AND the generic id does not silence it
    const other = layout([]);
    CoreAnnotations.of(other.dataStack).acknowledgeInfo('info-annotation', 'no');
    expect(Annotations.fromStack(other.dataStack).findInfo('*', Match.stringLikeRegexp('^Step 1 of 2'))).toHaveLength(1);
  });

  test('step 2: with the ExternalId, AssumeRole requires it', () => {
    const { dataStack } = layout(['a1b2c3d4-5678-90ab-cdef-EXAMPLE11111']);
    const role = Object.values<any>(Template.fromStack(dataStack).findResources('AWS::IAM::Role'))[0].Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': expect.stringMatching(/^arn:aws:iam::123456789012:role\//) },
      StringEquals: { 'sts:ExternalId': ['a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'] },
    });
  });

  test('refused for IRSA subjects, in the identity\'s own stack, and a second target', () => {
    const app = new App();
    const clusterStack = new Stack(app, 'Workloads', { env: { account: ACCOUNT, region: REGION } });
    const dataStack = new Stack(app, 'Data', { env: { account: DATA_ACCOUNT, region: REGION } });
    const irsa = new WorkloadIdentity(clusterStack, 'Irsa', { cluster: eksCluster(clusterStack), namespace: 'a', serviceAccountName: 'a', mechanism: IdentityMechanism.IRSA });
    expect(() => new PodIdentityTargetRole(dataStack, 'T1', { identity: irsa }))
      .toThrow("PodIdentityTargetRole 'Data/T1': ServiceAccount 'a/a' of WorkloadIdentity 'Workloads/Irsa' uses IRSA, but only Pod Identity associations chain to a target role. Use IdentityMechanism.POD_IDENTITY.");
    const identity = new WorkloadIdentity(clusterStack, 'Pods', { cluster: eksCluster(clusterStack, 'C2', 'c2'), namespace: 'b', serviceAccountName: 'b' });
    expect(() => new PodIdentityTargetRole(clusterStack, 'T2', { identity }))
      .toThrow("PodIdentityTargetRole 'Workloads/T2' is in the stack of WorkloadIdentity 'Workloads/Pods'. Put it in a stack of the account that owns the resources.");
    new PodIdentityTargetRole(dataStack, 'T3', { identity });
    expect(() => new PodIdentityTargetRole(dataStack, 'T4', { identity })).toThrow(/^WorkloadIdentity 'Workloads\/Pods' already chains to target role arn:aws:iam::210987654321:role\//);
  });

  test.each([IdentityMechanism.IRSA, IdentityMechanism.BOTH])('a subject added after the target that can use %s fails the synth: its IRSA pods would get the first role, not the target', mechanism => {
    // GIVEN a chained identity
    const { app, clusterStack, identity } = layout();

    // WHEN a ServiceAccount that can use IRSA joins it
    identity.addSubject({ cluster: eksCluster(clusterStack, 'Lab', 'lab'), namespace: 'reports', serviceAccountName: 'batch', mechanism });

    // THEN the synth fails with the error the target role gives for such a subject
    expect(() => app.synth()).toThrow(
      `PodIdentityTargetRole 'Data/ReporterTarget': ServiceAccount 'reports/batch' of WorkloadIdentity 'Workloads/Reporter' uses ${mechanism}, ` +
      'but only Pod Identity associations chain to a target role. Use IdentityMechanism.POD_IDENTITY.');
  });

  test('a subject added after the target chains too', () => {
    const { clusterStack, identity } = layout();
    identity.addSubject({ cluster: eksCluster(clusterStack, 'Lab', 'lab'), namespace: 'reports', serviceAccountName: 'reporter' });
    const associations = Object.values<any>(Template.fromStack(clusterStack).findResources('AWS::EKS::PodIdentityAssociation'));
    expect(associations.map(a => a.Properties.TargetRoleArn)).toEqual([`arn:aws:iam::${DATA_ACCOUNT}:role/reporter-target`, `arn:aws:iam::${DATA_ACCOUNT}:role/reporter-target`]);
    expect(Object.keys(Template.fromStack(clusterStack).toJSON().Outputs)).toHaveLength(2);
  });
});

test('the target role is an IPrincipal by delegation: a resource policy names its role, grants land on it', () => {
  // GIVEN the target role in the data account
  const { dataStack, target } = layout();
  const bucket = new s3.Bucket(dataStack, 'Archive');
  // WHEN it is granted access and named in a resource policy
  bucket.grantRead(target);
  bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')], principals: [target] }));
  // THEN both name the target role
  expect(target.policyFragment.principalJson).toEqual(target.role.policyFragment.principalJson);
  expect(target.assumeRoleAction).toBe('sts:AssumeRole');
  expect(target.principalAccount).toBe(target.role.principalAccount);
  const roleId = dataStack.getLogicalId(target.role.node.defaultChild as iam.CfnRole);
  const template = Template.fromStack(dataStack);
  template.hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: roleId }] });
  template.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } } })]) } });
});

describe('target roles the identity cannot keep to its own pods (issue 18 §2, §3)', () => {
  function stacks() {
    const app = new App();
    return {
      app,
      clusterStack: new Stack(app, 'Workloads', { env: { account: ACCOUNT, region: REGION } }),
      dataStack: new Stack(app, 'Data', { env: { account: DATA_ACCOUNT, region: REGION } }),
    };
  }

  test('an identity whose trust admits every association of its account is refused', () => {
    // GIVEN an identity that opts out of the subject-scoped trust
    const { clusterStack, dataStack } = stacks();
    const identity = new WorkloadIdentity(clusterStack, 'Reporter', {
      cluster: eksCluster(clusterStack), namespace: 'reports', serviceAccountName: 'reporter', podIdentity: { restrictTrustToSubjects: false },
    });

    // WHEN / THEN
    expect(() => new PodIdentityTargetRole(dataStack, 'ReporterTarget', { identity })).toThrow(
      "PodIdentityTargetRole 'Data/ReporterTarget': WorkloadIdentity 'Workloads/Reporter' sets podIdentity.restrictTrustToSubjects to false, so any pod identity " +
      'association of its account may use its role, and through it the target role (until step 2, whose ExternalIds name only its own associations). ' +
      'Keep restrictTrustToSubjects true (the default) on an identity with a target role.');
  });

  test('step 2 with fewer externalIds than associations fails the synth', () => {
    // GIVEN an identity with two associations
    const { app, clusterStack, dataStack } = stacks();
    const identity = new WorkloadIdentity(clusterStack, 'Reporter', { cluster: eksCluster(clusterStack), namespace: 'reports', serviceAccountName: 'reporter' });
    identity.addSubject({ cluster: eksCluster(clusterStack, 'Lab', 'lab'), namespace: 'reports', serviceAccountName: 'reporter' });

    // WHEN step 2 names only one of them
    new PodIdentityTargetRole(dataStack, 'ReporterTarget', { identity, externalIds: ['0123456789abcdef'] });

    // THEN
    expect(() => app.synth()).toThrow(
      "PodIdentityTargetRole 'Data/ReporterTarget' has 1 externalIds, but WorkloadIdentity 'Workloads/Reporter' declares 2 pod identity associations: " +
      'the trust would deny the associations whose ExternalId is missing (a subject added since step 1). Deploy the identity\'s stack, then pass every ExternalId output, ' +
      'or leave externalIds out (step 1) until all are known.');
  });

  test('step 2 with more externalIds than associations fails the synth', () => {
    const { app, clusterStack, dataStack } = stacks();
    const identity = new WorkloadIdentity(clusterStack, 'Reporter', { cluster: eksCluster(clusterStack), namespace: 'reports', serviceAccountName: 'reporter' });
    new PodIdentityTargetRole(dataStack, 'ReporterTarget', { identity, externalIds: ['0123456789abcdef', 'fedcba9876543210'] });
    expect(() => app.synth()).toThrow(
      "PodIdentityTargetRole 'Data/ReporterTarget' has 2 externalIds, but WorkloadIdentity 'Workloads/Reporter' declares 1 pod identity association: " +
      "some name no association of this identity (stale, or copied from another stack). Pass exactly the ExternalId outputs of the identity's stack.");
  });

  test('step 2 with one externalId per association synthesizes', () => {
    const { app, clusterStack, dataStack } = stacks();
    const identity = new WorkloadIdentity(clusterStack, 'Reporter', { cluster: eksCluster(clusterStack), namespace: 'reports', serviceAccountName: 'reporter' });
    new PodIdentityTargetRole(dataStack, 'ReporterTarget', { identity, externalIds: ['0123456789abcdef'] });
    expect(() => app.synth()).not.toThrow();
  });

  test('a catalog add-on identity (its association is the add-on\'s) is refused, with no "Step 1 of 2"', () => {
    // GIVEN the EBS CSI driver installed as an EKS add-on, by Pod Identity
    const { clusterStack, dataStack } = stacks();
    const ebs = new EbsCsiDriverIdentity(clusterStack, 'Ebs', { cluster: eksCluster(clusterStack) });

    // WHEN / THEN
    expect(() => new PodIdentityTargetRole(dataStack, 'EbsTarget', { identity: ebs.identity })).toThrow(
      "PodIdentityTargetRole 'Data/EbsTarget': the pod identity associations of WorkloadIdentity 'Workloads/Ebs/Identity' are declared elsewhere " +
      "(createPodIdentityAssociations: false, as a catalog add-on sets: an EKS add-on's PodIdentityAssociations name no target role), so none would chain to it. " +
      "Set installAddon to false (the identity then declares its own associations), or grant the resources to the identity's role.");
    expect(Annotations.fromStack(dataStack).findInfo('*', Match.stringLikeRegexp('Step 1 of 2'))).toEqual([]);
  });
});

describe('an existing role for Pod Identity (issue 18 §3)', () => {
  test('of another account than the cluster\'s is refused: EKS passes only the cluster account\'s roles', () => {
    // GIVEN a role of another account
    const app = new App();
    const stack = new Stack(app, 'Workloads', { env: { account: ACCOUNT, region: REGION } });
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${DATA_ACCOUNT}:role/reporter`);

    // WHEN / THEN
    expect(() => new WorkloadIdentity(stack, 'Reporter', { cluster: eksCluster(stack), namespace: 'reports', serviceAccountName: 'reporter', role })).toThrow(
      `ServiceAccount 'reports/reporter' on cluster 'campus' cannot use Pod Identity with role arn:aws:iam::${DATA_ACCOUNT}:role/reporter of account ${DATA_ACCOUNT}: ` +
      `the cluster is in account ${ACCOUNT}, and EKS passes only a role of the cluster's own account to an association. ` +
      `Pass a role of account ${ACCOUNT} (or let the identity create one) and reach account ${DATA_ACCOUNT}'s resources through a PodIdentityTargetRole, ` +
      'or use IdentityMechanism.IRSA.');
  });

  test('of the cluster\'s account is accepted', () => {
    const stack = new Stack(new App(), 'Workloads', { env: { account: ACCOUNT, region: REGION } });
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${ACCOUNT}:role/reporter`);
    const identity = new WorkloadIdentity(stack, 'Reporter', { cluster: eksCluster(stack), namespace: 'reports', serviceAccountName: 'reporter', role });
    expect(identity.primaryBinding.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/reporter`);
  });
});
