import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IdentityMechanism, PodSessionTag, WorkloadIdentity } from '../../../lib';
import { CLUSTER_ARN, eksCluster, newStack } from '../../fixtures';

const FIX = 'Grant by session tags only on identities whose subjects all use IdentityMechanism.POD_IDENTITY with session tags on, or grant without them.';

function shared(stack: Stack, options: { mechanism?: IdentityMechanism; sessionTags?: boolean } = {}): WorkloadIdentity {
  const cluster = eksCluster(stack);
  const identity = new WorkloadIdentity(stack, 'Tenants', {
    cluster, namespace: 'tenant-a', serviceAccountName: 'app', mechanism: options.mechanism,
    podIdentity: options.sessionTags === false ? { sessionTags: false, restrictTrustToSubjects: false } : undefined,
  });
  return identity;
}

describe('grants scoped by the session tags EKS Pod Identity sends', () => {
  test('one shared role: each pod reaches only the objects under its namespace', () => {
    // GIVEN one role shared by two namespaces
    const stack = newStack();
    const identity = shared(stack);
    identity.addSubject({ cluster: eksCluster(stack, 'Same', 'campus-b'), namespace: 'tenant-b', serviceAccountName: 'app' });
    const bucket = new s3.Bucket(stack, 'Data');

    // WHEN
    bucket.grantRead(identity, `${identity.sessionTag(PodSessionTag.NAMESPACE)}/*`);

    // THEN the object ARN ends in the namespace's policy variable
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument;
    const objectStatement = policy.Statement.find((st: any) => [st.Action].flat().includes('s3:GetObject*'));
    expect(JSON.stringify(objectStatement.Resource)).toContain('/${aws:PrincipalTag/kubernetes-namespace}/*');
  });

  test('each tag names its key, principal tag and variable', () => {
    expect([PodSessionTag.CLUSTER_ARN, PodSessionTag.CLUSTER_NAME, PodSessionTag.NAMESPACE, PodSessionTag.SERVICE_ACCOUNT, PodSessionTag.POD_NAME, PodSessionTag.POD_UID]
      .map(t => t.key)).toEqual(['eks-cluster-arn', 'eks-cluster-name', 'kubernetes-namespace', 'kubernetes-service-account', 'kubernetes-pod-name', 'kubernetes-pod-uid']);
    expect(PodSessionTag.NAMESPACE.policyVariable).toBe('${aws:PrincipalTag/kubernetes-namespace}');
    expect(PodSessionTag.NAMESPACE.resourceTagCondition()).toEqual({ StringEquals: { 'aws:ResourceTag/kubernetes-namespace': '${aws:PrincipalTag/kubernetes-namespace}' } });
    expect(PodSessionTag.NAMESPACE.resourceTagCondition('team')).toEqual({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/kubernetes-namespace}' } });
  });

  test.each([IdentityMechanism.IRSA, IdentityMechanism.BOTH])('refused at once on %s: its IRSA sessions carry no tags', (mechanism) => {
    const stack = newStack();
    const identity = shared(stack, { mechanism });
    expect(() => identity.sessionTag(PodSessionTag.NAMESPACE)).toThrow(
      `WorkloadIdentity 'Test/Tenants' grants by aws:PrincipalTag/kubernetes-namespace, but ServiceAccount 'tenant-a/app' on cluster 'campus' (${mechanism}) ` +
      `can use IRSA, whose sessions carry no tags: its pods would be denied. ${FIX}`);
  });

  test('refused with session tags disabled', () => {
    const stack = newStack();
    const identity = shared(stack, { sessionTags: false });
    expect(() => identity.sessionTag(PodSessionTag.SERVICE_ACCOUNT)).toThrow(
      "WorkloadIdentity 'Test/Tenants' disables session tags (podIdentity.sessionTags: false), so no session carries aws:PrincipalTag/kubernetes-service-account " +
      `and a grant by it allows nothing. ${FIX}`);
  });

  test('an IRSA subject added after the grant fails the synth, naming it', () => {
    const stack = newStack();
    const identity = shared(stack);
    new s3.Bucket(stack, 'Data').grantRead(identity, `${identity.sessionTag(PodSessionTag.NAMESPACE)}/*`);
    identity.addSubject({ cluster: eksCluster(stack, 'Lab', 'lab'), namespace: 'tenant-b', serviceAccountName: 'app', mechanism: IdentityMechanism.IRSA });
    expect(() => Template.fromStack(stack)).toThrow(/ServiceAccount 'tenant-b\/app' on cluster 'lab' \(IRSA\) can use IRSA, whose sessions carry no tags/);
  });
});

describe('the per-association session policy', () => {
  const policy = () => new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::tenant-data/tenant-a/*'] })] });

  test('is the association\'s Policy, as JSON, with session tags disabled', () => {
    const stack = newStack();
    new WorkloadIdentity(stack, 'Tenants', {
      cluster: eksCluster(stack), namespace: 'tenant-a', serviceAccountName: 'app',
      podIdentity: {
        sessionTags: false, restrictTrustToSubjects: false, sessionPolicy: policy(),
        // Without the session tags, the cluster is named by aws:SourceArn (WI-AWS-7).
        additionalTrustConditions: { ArnEquals: { 'aws:SourceArn': CLUSTER_ARN } },
      },
    });
    const association = Object.values<any>(Template.fromStack(stack).findResources('AWS::EKS::PodIdentityAssociation'))[0].Properties;
    expect(association.DisableSessionTags).toBe(true);
    expect(JSON.parse(association.Policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::tenant-data/tenant-a/*' }],
    });
  });

  test('is refused with session tags on: EKS accepts it only without them', () => {
    const stack = newStack();
    expect(() => new WorkloadIdentity(stack, 'Tenants', {
      cluster: eksCluster(stack), namespace: 'tenant-a', serviceAccountName: 'app', podIdentity: { sessionPolicy: policy() },
    })).toThrow(/^WorkloadIdentity 'Test\/Tenants' sets a sessionPolicy, which EKS accepts only on associations with session tags disabled\./);
  });

  test('over 2,048 characters is refused', () => {
    const stack = newStack();
    const long = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: Array.from({ length: 60 }, (_, i) => `arn:aws:s3:::tenant-data/tenant-${i}/*`) })] });
    expect(() => new WorkloadIdentity(stack, 'Tenants', {
      cluster: eksCluster(stack), namespace: 'tenant-a', serviceAccountName: 'app',
      podIdentity: { sessionTags: false, restrictTrustToSubjects: false, sessionPolicy: long },
    })).toThrow(/^The sessionPolicy of WorkloadIdentity 'Test\/Tenants' has \d+ characters; EKS allows 2048\. Shorten it\.$/);
  });
});
