import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, PodIdentityTargetRole, WorkloadIdentity } from '../../../lib';
import { serviceAccountAnnotations } from '../../../lib/core/binding-annotations';
import { ACCOUNT, CLUSTER_ARN, eksCluster, newStack, REGION } from '../../fixtures';

const ORG = 'o-a1b2c3d4e5';

function roleOf(identity: WorkloadIdentity): any {
  const stack = Stack.of(identity);
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(identity.role.node.defaultChild as iam.CfnRole)].Properties;
}

describe('trust conditions the user adds', () => {
  test('aws:SourceOrgID and aws:SourceArn join every Pod Identity statement, beside the library\'s', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Payments', {
      cluster, namespace: 'payments', serviceAccountName: 'api',
      podIdentity: { additionalTrustConditions: { StringEquals: { 'aws:SourceOrgID': ORG }, ArnLike: { 'aws:SourceArn': `arn:aws:eks:*:${ACCOUNT}:cluster/*` } } },
    });
    identity.addSubject({ cluster, namespace: 'payments', serviceAccountName: 'worker' });

    // THEN
    const statements = roleOf(identity).AssumeRolePolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    for (const [i, sa] of ['api', 'worker'].entries()) {
      expect(statements[i].Condition).toEqual({
        StringEquals: {
          'aws:SourceAccount': ACCOUNT,
          'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
          'aws:RequestTag/kubernetes-namespace': 'payments',
          'aws:RequestTag/kubernetes-service-account': sa,
          'aws:SourceOrgID': ORG,
        },
        ArnLike: { 'aws:SourceArn': `arn:aws:eks:*:${ACCOUNT}:cluster/*` },
      });
    }
  });

  test('the account-wide opt-out carries them too: with aws:SourceArn it names the clusters, so WI-AWS-7 is satisfied', () => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api',
      podIdentity: { restrictTrustToSubjects: false, additionalTrustConditions: { ArnLike: { 'aws:SourceArn': `arn:aws:eks:*:${ACCOUNT}:cluster/prod-*` } } },
    });
    expect(roleOf(identity).AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:eks:*:${ACCOUNT}:cluster/prod-*` },
    });
  });

  test('a key the library sets is refused, in any case: replacing it could widen the trust', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api',
      podIdentity: { additionalTrustConditions: { StringEquals: { 'AWS:RequestTag/kubernetes-namespace': '*' } } },
    })).toThrow("podIdentity.additionalTrustConditions StringEquals 'AWS:RequestTag/kubernetes-namespace' replaces a condition the library sets to admit exactly the declared subjects. " +
      'Add conditions on other keys (e.g. aws:SourceOrgID, aws:SourceArn), or use another operator to narrow it.');
  });

  test('an operator without keys is refused', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api',
      podIdentity: { additionalTrustConditions: { StringEquals: 'o-a1b2c3d4e5' } },
    })).toThrow("Invalid podIdentity.additionalTrustConditions 'StringEquals': it must map condition keys to values, e.g. { StringEquals: { 'aws:SourceOrgID': ... } }.");
  });
});

describe('role path, name prefix and tags', () => {
  test('the path reaches the role and the literal ARN the IRSA annotation carries', () => {
    // GIVEN / WHEN
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'Payments', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA,
      roleName: 'payments-api', rolePath: '/workloads/payments/',
    });

    // THEN
    expect(roleOf(identity).Path).toBe('/workloads/payments/');
    expect(identity.primaryBinding.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/workloads/payments/payments-api`);
    expect(serviceAccountAnnotations(identity.primaryBinding)['eks.amazonaws.com/role-arn']).toBe(identity.primaryBinding.roleArn);
  });

  test.each([
    ['workloads/', "Invalid rolePath 'workloads/': it must begin and end with '/'. Use '/' or e.g. '/teams/payments/'."],
    ['/a b/', "Invalid rolePath '/a b/': it contains ' '. Use '/' or e.g. '/teams/payments/'."],
    ['/a//b/', "Invalid rolePath '/a//b/': it contains '//'. Use '/' or e.g. '/teams/payments/'."],
  ])('path %j is refused', (rolePath, message) => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Payments', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', rolePath }))
      .toThrow(message);
  });

  test('the prefix starts a deterministic name of at most 64 characters', () => {
    const stack = newStack();
    const identity = new WorkloadIdentity(stack, 'PaymentsWithAVeryLongConstructIdThatWouldOverflowTheRoleName', {
      cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', roleNamePrefix: 'eks-workload-',
    });
    const name = roleOf(identity).RoleName;
    expect(name).toMatch(/^eks-workload-TestPaymentsWith/);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(identity.primaryBinding.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/${name}`);
  });

  test('prefix with roleName, a bad prefix, and path or prefix on an existing role are refused', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    expect(() => new WorkloadIdentity(stack, 'A', { cluster, namespace: 'a', serviceAccountName: 'a', roleName: 'x', roleNamePrefix: 'p-' }))
      .toThrow("WorkloadIdentity 'Test/A' sets both roleName and roleNamePrefix. Set one: the prefix is for a generated name.");
    expect(() => new WorkloadIdentity(stack, 'B', { cluster, namespace: 'b', serviceAccountName: 'b', roleNamePrefix: 'team/' }))
      .toThrow(/^Invalid roleNamePrefix 'team\/': it must be 1-32 literal letters/);
    const role = iam.Role.fromRoleArn(stack, 'Existing', `arn:aws:iam::${ACCOUNT}:role/existing`);
    expect(() => new WorkloadIdentity(stack, 'C', { cluster, namespace: 'c', serviceAccountName: 'c', role, rolePath: '/x/' }))
      .toThrow("WorkloadIdentity 'Test/C' takes an existing role, so rolePath cannot apply. Set them on that role instead.");
  });

  test('tags reach the role and every association', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Payments', {
      cluster, namespace: 'payments', serviceAccountName: 'api', tags: { team: 'payments', 'cost-center': '4711' },
    });

    // WHEN
    identity.addSubject({ cluster: eksCluster(stack, 'Lab', 'lab'), namespace: 'payments', serviceAccountName: 'api' });

    // THEN
    const template = Template.fromStack(stack);
    const expected = [{ Key: 'cost-center', Value: '4711' }, { Key: 'team', Value: 'payments' }];
    expect(roleOf(identity).Tags).toEqual(expected);
    const associations = Object.values<any>(template.findResources('AWS::EKS::PodIdentityAssociation'));
    expect(associations).toHaveLength(2);
    for (const a of associations) { expect(a.Properties.Tags).toEqual(expected); }
    // The cluster's agent add-on is the cluster's, not the workload's.
    for (const addon of Object.values<any>(template.findResources('AWS::EKS::Addon'))) { expect(addon.Properties.Tags).toBeUndefined(); }
  });

  test("a reserved 'aws:' tag key is refused", () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Payments', { cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', tags: { 'aws:team': 'x' } }))
      .toThrow("Invalid tag 'aws:team': keys beginning with 'aws:' are reserved for AWS. Fix the tags of the WorkloadIdentity.");
  });

  // EKS user guide (pod-id-abac): the six session tags EKS Pod Identity sets.
  test.each(['kubernetes-namespace', 'kubernetes-service-account', 'eks-cluster-arn', 'eks-cluster-name', 'kubernetes-pod-name', 'kubernetes-pod-uid', 'Kubernetes-Namespace'])(
    "the EKS session tag key '%s' is refused: on the role it would be every tagless session's principal tag (issue 18 §3)", key => {
      // GIVEN
      const stack = newStack();

      // WHEN / THEN
      expect(() => new WorkloadIdentity(stack, 'Payments', {
        cluster: eksCluster(stack), namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA, tags: { [key]: 'payments' },
      })).toThrow(`Invalid tag '${key}': it is a session tag EKS Pod Identity sets; as a tag of the role it would be aws:PrincipalTag/${key} of every session ` +
        'that carries no session tags (IRSA, or session tags disabled), so a grant by identity.sessionTag would match pods it was not meant for. Choose another key.');
    });
});

describe('the props aws-cdk-lib records for the role', () => {
  // With this flag (on in new projects' cdk.json) aws-cdk-lib writes which props each L2 was given into the cloud assembly.
  const RECORD_PROPS = { '@aws-cdk/core:enableAdditionalMetadataCollection': true };
  const recordedProps = (role: iam.IRole) => role.node.metadata.find(m => m.type === 'aws:cdk:analytics:construct')?.data;

  test('only the props the user set are recorded as given: none left out is passed as undefined', () => {
    // GIVEN
    const stack = new Stack(new App({ context: RECORD_PROPS }), 'Test', { env: { account: ACCOUNT, region: REGION } });
    const cluster = eksCluster(stack);

    // WHEN one identity sets a description and a path, another nothing
    const described = new WorkloadIdentity(stack, 'Described', { cluster, namespace: 'payments', serviceAccountName: 'api', description: 'Payments API', rolePath: '/teams/' });
    const plain = new WorkloadIdentity(stack, 'Plain', { cluster, namespace: 'payments', serviceAccountName: 'worker' });
    const target = new PodIdentityTargetRole(new Stack(stack.node.root, 'Data', { env: { account: '210987654321', region: REGION } }), 'Target', { identity: plain, roleName: 'target' });

    // THEN
    expect(Object.keys(recordedProps(described.role)).sort()).toEqual(['assumedBy', 'description', 'path', 'roleName']);
    expect(Object.keys(recordedProps(plain.role)).sort()).toEqual(['assumedBy', 'roleName']);
    expect(Object.keys(recordedProps(target.role)).sort()).toEqual(['assumedBy', 'roleName']);
  });
});
