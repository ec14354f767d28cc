import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { ClusterKind, FargateProfileSelector, IdentityMechanism, MigrationPhase, PodSessionTag, WorkloadCluster, WorkloadIdentity } from '../../../lib';
import { FargateProfiles } from '../../../lib/aws/fargate/fargate-profiles';
import { ACCOUNT, CLUSTER_ARN, ISSUER_KEY, PROVIDER_ARN, eksCluster, newStack } from '../../fixtures';

/** Fixed zones, so synth never looks them up in an AWS account. */
class ZonedStack extends Stack {
  public get availabilityZones(): string[] {
    return ['eu-west-1a', 'eu-west-1b'];
  }
}

/** A stack of an app with the native OIDC provider (as cdk.json sets it), for aws-eks-v2 clusters. */
function eksV2Stack(): Stack {
  return new ZonedStack(new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } }), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
}

function eksV2Cluster(stack: Stack): eksv2.Cluster {
  return new eksv2.Cluster(stack, 'Eks', {
    version: eksv2.KubernetesVersion.V1_33, clusterName: 'campus', vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
    defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
}

/** A cluster whose profile 'batch' runs every pod of `batch-*` on Fargate, and profile 'web' only the pods of `web` labelled compute=fargate. */
const SELECTORS: FargateProfileSelector[] = [
  { profileName: 'batch', namespace: 'batch-*' },
  { profileName: 'web', namespace: 'web', labels: { compute: 'fargate' } },
];

function mixedCluster(stack: Stack, selectors: FargateProfileSelector[] = SELECTORS) {
  return eksCluster(stack, 'Cluster', 'campus', { fargateProfileSelectors: selectors });
}

/** The trust statements of the identity's role, as synthesized. */
function trust(identity: WorkloadIdentity): any[] {
  const template = Template.fromStack(Stack.of(identity));
  const logicalId = Stack.of(identity).getLogicalId(identity.role.node.defaultChild as iam.CfnRole);
  return template.toJSON().Resources[logicalId].Properties.AssumeRolePolicyDocument.Statement;
}

const irsaStatement = (subs: string | string[]) => ({
  Effect: 'Allow',
  Principal: { Federated: PROVIDER_ARN },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: { StringEquals: { [`${ISSUER_KEY}:sub`]: subs, [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
});

const podIdentityStatement = (namespace: string, serviceAccountName: string) => ({
  Effect: 'Allow',
  Principal: { Service: 'pods.eks.amazonaws.com' },
  Action: ['sts:AssumeRole', 'sts:TagSession'],
  Condition: {
    StringEquals: {
      'aws:SourceAccount': ACCOUNT,
      'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
      'aws:RequestTag/kubernetes-namespace': namespace,
      'aws:RequestTag/kubernetes-service-account': serviceAccountName,
    },
  },
});

describe('the mechanism per namespace on a cluster that mixes Fargate and EC2 nodes', () => {
  test('one identity, one role: the Fargate namespace gets IRSA, the EC2 namespace Pod Identity, each trusted only for its own subject', () => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Jobs', { cluster, namespace: 'batch-nightly', serviceAccountName: 'runner' });
    identity.addSubject({ cluster, namespace: 'payments', serviceAccountName: 'runner' });

    // THEN: exactly two statements, IRSA for the Fargate subject only, Pod Identity for the EC2 subject only
    expect(trust(identity)).toEqual([
      irsaStatement('system:serviceaccount:batch-nightly:runner'),
      podIdentityStatement('payments', 'runner'),
    ]);
    // ... one association, for the EC2 subject only
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'payments', ServiceAccount: 'runner' });
    // ... and the bindings say which and why
    const [fargate, ec2Binding] = identity.bindings;
    expect(fargate).toMatchObject({
      namespace: 'batch-nightly', mechanism: IdentityMechanism.IRSA, roleArn: expect.stringMatching(/^arn:aws:iam::123456789012:role\//),
      fargateSelectors: [{ profileName: 'batch', namespace: 'batch-*' }],
      mechanismReason: "IRSA: Fargate profile 'batch' (namespace 'batch-*') runs every pod of namespace 'batch-nightly' on Fargate, " +
        'where Pod Identity gives no credentials; IRSA serves pods on Fargate and on nodes',
    });
    expect(ec2Binding.mechanism).toBe(IdentityMechanism.POD_IDENTITY);
    expect(ec2Binding.fargateSelectors).toBeUndefined();
    expect(ec2Binding.mechanismReason).toBeUndefined();
  });

  test('wildcards: * matches none or more characters, ? exactly one; a near miss keeps Pod Identity', () => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack, [{ profileName: 'jobs', namespace: 'batch-*' }, { profileName: 'shards', namespace: 'shard-?' }]);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Jobs', { cluster, namespace: 'batch-x', serviceAccountName: 'a' });
    const mechanisms = ['shard-1', 'shard-12', 'batch', 'xbatch-1', 'shard'].map(namespace => identity.addSubject({ cluster, namespace, serviceAccountName: 'a' }).mechanism);

    // THEN
    expect(identity.primaryBinding.mechanism).toBe(IdentityMechanism.IRSA);
    expect(mechanisms).toEqual([IdentityMechanism.IRSA, IdentityMechanism.POD_IDENTITY, IdentityMechanism.POD_IDENTITY, IdentityMechanism.POD_IDENTITY, IdentityMechanism.POD_IDENTITY]);
  });

  test('a namespace only labelled pods of which run on Fargate gets IRSA (it serves them on Fargate and on nodes), with the selector in the binding', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Web', { cluster: mixedCluster(stack), namespace: 'web', serviceAccountName: 'frontend' });

    // THEN
    expect(trust(identity)).toEqual([irsaStatement('system:serviceaccount:web:frontend')]);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    expect(identity.primaryBinding).toMatchObject({
      mechanism: IdentityMechanism.IRSA,
      fargateSelectors: [{ profileName: 'web', namespace: 'web', labels: { compute: 'fargate' } }],
      mechanismReason: "IRSA: Fargate profile 'web' (namespace 'web', labels compute=fargate) runs the pods of namespace 'web' with those labels on Fargate, " +
        'where Pod Identity gives no credentials; IRSA serves pods on Fargate and on nodes',
    });
  });

  test('Pod Identity declared in a namespace only labelled pods of which run on Fargate is kept, with the selector for the Kubernetes guardrails', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Web', { cluster: mixedCluster(stack), namespace: 'web', serviceAccountName: 'api', mechanism: IdentityMechanism.POD_IDENTITY });

    // THEN
    expect(trust(identity)).toEqual([podIdentityStatement('web', 'api')]);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'web', ServiceAccount: 'api' });
    expect(identity.primaryBinding).toMatchObject({
      mechanism: IdentityMechanism.POD_IDENTITY,
      fargateSelectors: [{ profileName: 'web', namespace: 'web', labels: { compute: 'fargate' } }],
      mechanismReason: expect.stringMatching(/^POD_IDENTITY as declared: .* no pod of this ServiceAccount may carry those labels \(WI-K8S-7\)$/),
    });
  });

  test.each([
    ['mechanism POD_IDENTITY', { mechanism: IdentityMechanism.POD_IDENTITY }, 'POD_IDENTITY', 'a pod identity association'],
    ['mechanism BOTH', { mechanism: IdentityMechanism.BOTH }, 'BOTH', 'a pod identity association'],
    ['migration to Pod Identity, SWITCHED', { migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED } },
      'migration { to: POD_IDENTITY, phase: SWITCHED }', 'a pod identity association'],
    ['migration to Pod Identity, FINISHED', { migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.FINISHED } },
      'migration { to: POD_IDENTITY, phase: FINISHED }', 'a pod identity association'],
    ['migration to IRSA, PREPARED', { migration: { to: IdentityMechanism.IRSA, phase: MigrationPhase.PREPARED } },
      'migration { to: IRSA, phase: PREPARED }', 'a pod identity association'],
  ])('%s in a namespace every pod of which runs on Fargate is refused, naming the subject, the selector and the fix', (_, options, declared, wants) => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack);

    // WHEN / THEN
    expect(() => new WorkloadIdentity(stack, 'Jobs', { cluster, namespace: 'batch-7', serviceAccountName: 'runner', ...options })).toThrow(
      `ServiceAccount 'batch-7/runner' on cluster 'campus' cannot use ${declared}: Fargate profile 'batch' (namespace 'batch-*') runs every pod of namespace 'batch-7' on Fargate, ` +
      `where EKS Pod Identity gives no credentials (no DaemonSets on Fargate, so no Pod Identity agent), and ${declared} gives it ${wants}. ` +
      'Drop the mechanism and migration of this ServiceAccount (the cluster picks IRSA for the namespaces its Fargate profiles select), ' +
      'or declare IdentityMechanism.IRSA for it (a subject added with addSubject then takes no identity-wide mechanism or migration). ' +
      'To move a ServiceAccount onto Fargate, migrate it to IRSA up to SWITCHED (the association is removed) before the profile selects its namespace.');
  });

  test('an identity-wide mechanism the Fargate subject cannot have is refused at addSubject; the subject\'s own IRSA is the way', () => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api', mechanism: IdentityMechanism.POD_IDENTITY });

    // WHEN / THEN
    expect(() => identity.addSubject({ cluster, namespace: 'batch-1', serviceAccountName: 'api' })).toThrow(/^ServiceAccount 'batch-1\/api' on cluster 'campus' cannot use POD_IDENTITY: /);
    const binding = identity.addSubject({ cluster, namespace: 'batch-2', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA });
    expect(binding).toMatchObject({ mechanism: IdentityMechanism.IRSA, mechanismReason: expect.stringMatching(/^IRSA as declared: Fargate profile 'batch'/) });
  });

  test.each([
    [{ to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.PREPARED }, IdentityMechanism.IRSA, true, true],
    [{ to: IdentityMechanism.IRSA, phase: MigrationPhase.SWITCHED }, IdentityMechanism.IRSA, true, true],
    [{ to: IdentityMechanism.IRSA, phase: MigrationPhase.FINISHED }, IdentityMechanism.IRSA, true, false],
  ])('migration %j keeps working for a Fargate subject: no association, the role-arn annotation, the phase\'s trust', (migration, mechanism, irsa, podIdentity) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Jobs', { cluster: mixedCluster(stack), namespace: 'batch-7', serviceAccountName: 'runner', migration });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    expect(identity.primaryBinding).toMatchObject({ mechanism, migration, roleArn: expect.any(String), fargateSelectors: [{ profileName: 'batch', namespace: 'batch-*' }] });
    const statements = trust(identity);
    expect(statements.some(s => s.Action === 'sts:AssumeRoleWithWebIdentity')).toBe(irsa);
    expect(statements.some(s => s.Principal.Service === 'pods.eks.amazonaws.com')).toBe(podIdentity);
  });

  test('per subject: the identity\'s migration moves the EC2 subject while the Fargate subject stays on IRSA', () => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Api', {
      cluster, namespace: 'payments', serviceAccountName: 'api', migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED },
    });

    // WHEN
    const fargate = identity.addSubject({ cluster, namespace: 'batch-1', serviceAccountName: 'api', mechanism: IdentityMechanism.IRSA });

    // THEN
    expect(identity.primaryBinding.mechanism).toBe(IdentityMechanism.BOTH);
    expect(fargate.mechanism).toBe(IdentityMechanism.IRSA);
    expect(trust(identity)).toEqual([
      irsaStatement(['system:serviceaccount:payments:api', 'system:serviceaccount:batch-1:api']),
      podIdentityStatement('payments', 'api'),
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
  });

  test('a grant by a Pod Identity session tag is refused when a subject gets IRSA for Fargate, naming why', () => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack);
    const identity = new WorkloadIdentity(stack, 'Jobs', { cluster, namespace: 'payments', serviceAccountName: 'runner' });
    identity.addSubject({ cluster, namespace: 'batch-1', serviceAccountName: 'runner' });

    // WHEN / THEN
    expect(() => identity.sessionTag(PodSessionTag.NAMESPACE)).toThrow(
      "WorkloadIdentity 'Test/Jobs' grants by aws:PrincipalTag/kubernetes-namespace, but ServiceAccount 'batch-1/runner' on cluster 'campus' " +
      "(IRSA: its pods run on Fargate by Fargate profile 'batch' (namespace 'batch-*')) can use IRSA, whose sessions carry no tags: its pods would be denied.");
    expect(() => new s3.Bucket(stack, 'B').grantRead(identity)).not.toThrow();
  });

  test('a session policy is refused on an identity whose subject gets IRSA for Fargate (only Pod Identity applies it), naming the selector and the fix', () => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack);
    const policy = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] })] });
    const identity = new WorkloadIdentity(stack, 'Tenants', {
      cluster, namespace: 'payments', serviceAccountName: 'app', podIdentity: { sessionTags: false, restrictTrustToSubjects: false, sessionPolicy: policy, additionalTrustConditions: { StringEquals: { 'aws:SourceArn': CLUSTER_ARN } } },
    });

    // WHEN / THEN: the EC2 subject takes it; the Fargate subject, which the cluster gives IRSA, is refused
    expect(() => identity.addSubject({ cluster, namespace: 'batch-1', serviceAccountName: 'app' })).toThrow(
      "ServiceAccount 'batch-1/app' on cluster 'campus' can get the role by IRSA (IRSA; its pods run on Fargate by Fargate profile 'batch' (namespace 'batch-*'), " +
      "where only IRSA gives credentials), but WorkloadIdentity 'Test/Tenants' narrows its pods with podIdentity.sessionPolicy, which only its Pod Identity associations apply: " +
      'where the trust admits IRSA, a pod presents its projected token to STS and gets the whole role. ' +
      'Bind this ServiceAccount with a WorkloadIdentity of its own, without sessionPolicy, granted only the narrower permissions.');
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'payments', Policy: Match.anyValue() });
  });

  test('a pattern\'s match in a Fargate namespace: an IRSA pattern binds it with the selector; a Pod Identity pattern is refused there, naming the fix', () => {
    // GIVEN preview namespaces pr-* where the nightly ones (pr-nightly-*) run on Fargate
    const stack = newStack();
    const cluster = mixedCluster(stack, [{ profileName: 'nightly', namespace: 'pr-nightly-*' }]);
    const irsa = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA });
    const podIdentity = new WorkloadIdentity(stack, 'Worker', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'worker' });

    // WHEN / THEN
    expect(irsa.addPatternMatch({ cluster, namespace: 'pr-nightly-1', serviceAccountName: 'web' })).toMatchObject({
      mechanism: IdentityMechanism.IRSA, subjectPattern: 'pr-*/web', fargateSelectors: [{ profileName: 'nightly', namespace: 'pr-nightly-*' }],
    });
    expect(podIdentity.addPatternMatch({ cluster, namespace: 'pr-12', serviceAccountName: 'worker' }).mechanism).toBe(IdentityMechanism.POD_IDENTITY);
    expect(() => podIdentity.addPatternMatch({ cluster, namespace: 'pr-nightly-2', serviceAccountName: 'worker' })).toThrow(
      "ServiceAccount 'pr-nightly-2/worker' on cluster 'campus' cannot use POD_IDENTITY of pattern 'pr-*/worker': Fargate profile 'nightly' (namespace 'pr-nightly-*') " +
      "runs every pod of namespace 'pr-nightly-2' on Fargate, where EKS Pod Identity gives no credentials (no DaemonSets on Fargate, so no Pod Identity agent), " +
      "and POD_IDENTITY of pattern 'pr-*/worker' gives it a pod identity association. Declare the pattern with IdentityMechanism.IRSA, or bind this ServiceAccount " +
      'with addSubject (the cluster picks IRSA for the namespaces its Fargate profiles select).');
  });

  test('a Fargate-only cluster (FargateCluster) keeps IRSA everywhere; its default profile\'s namespaces carry the reason', () => {
    // GIVEN
    const stack = eksV2Stack();
    // FargateCluster patches CoreDNS for Fargate through kubectl, so it needs a kubectl provider.
    const created = new eksv2.FargateCluster(stack, 'Serverless', {
      version: eksv2.KubernetesVersion.V1_33, clusterName: 'serverless', vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'Kubectl') },
    });
    const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'Handle', created);

    // WHEN
    const identity = new WorkloadIdentity(stack, 'Dns', { cluster, namespace: 'kube-system', serviceAccountName: 'dns' });
    const other = identity.addSubject({ cluster, namespace: 'apps', serviceAccountName: 'dns' });

    // THEN
    expect(identity.primaryBinding).toMatchObject({ mechanism: IdentityMechanism.IRSA, fargateSelectors: [{ namespace: 'kube-system' }] });
    expect(other).toMatchObject({ mechanism: IdentityMechanism.IRSA });
    expect(other.fargateSelectors).toBeUndefined();
  });
});

describe('Fargate selectors on the handle', () => {
  test('an aws-eks-v2 cluster\'s own Fargate profiles are read, wildcards and labels included', () => {
    // GIVEN
    const stack = eksV2Stack();
    const created = eksV2Cluster(stack);
    created.addFargateProfile('Batch', { fargateProfileName: 'batch', selectors: [{ namespace: 'batch-?' }, { namespace: 'web', labels: { compute: 'fargate' } }] });

    // WHEN
    const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'Handle', created);
    const identity = new WorkloadIdentity(stack, 'Jobs', { cluster, namespace: 'batch-1', serviceAccountName: 'runner' });
    const ec2Subject = identity.addSubject({ cluster, namespace: 'batch-10', serviceAccountName: 'runner' });

    // THEN
    expect(cluster.fargateProfileSelectors).toEqual([
      { profileName: 'batch', namespace: 'batch-?' },
      { profileName: 'batch', namespace: 'web', labels: { compute: 'fargate' } },
    ]);
    expect(identity.primaryBinding.mechanism).toBe(IdentityMechanism.IRSA);
    expect(ec2Subject.mechanism).toBe(IdentityMechanism.POD_IDENTITY);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'batch-10', ServiceAccount: 'runner' });
  });

  test('a Fargate profile added to the cluster after an identity chose Pod Identity for its namespace fails the synth, naming both', () => {
    // GIVEN
    const stack = eksV2Stack();
    const app = stack.node.root as App;
    const created = eksV2Cluster(stack);
    const cluster = WorkloadCluster.fromEksV2Cluster(stack, 'Handle', created);
    new WorkloadIdentity(stack, 'Jobs', { cluster, namespace: 'web', serviceAccountName: 'runner' });

    // WHEN
    created.addFargateProfile('Web', { fargateProfileName: 'web', selectors: [{ namespace: 'web', labels: { compute: 'fargate' } }] });

    // THEN
    expect(() => app.synth()).toThrow(
      "Fargate profile 'web' (namespace 'web', labels compute=fargate) of cluster 'campus' matches namespace 'web', but it was added after the mechanism of " +
      "ServiceAccount 'web/runner' on cluster 'campus' (WorkloadIdentity 'Test/Jobs') was decided without it. Add the Fargate profile to the cluster before the WorkloadIdentity that binds it, " +
      "or pass its selectors to the handle (fargateProfileSelectors on 'Test/Handle').");
  });

  test('a Fargate profile added to an owner\'s cluster after an identity on a handle handed that owner chose Pod Identity fails the synth', () => {
    // GIVEN
    const stack = eksV2Stack();
    const app = stack.node.root as App;
    const created = eksV2Cluster(stack);
    const owner = WorkloadCluster.fromEksV2Cluster(stack, 'Handle', created);
    const team = WorkloadCluster.fromClusterAttributes(stack, 'Team', { clusterName: 'campus', owner });
    new WorkloadIdentity(stack, 'Jobs', { cluster: team, namespace: 'web', serviceAccountName: 'runner' });

    // WHEN
    created.addFargateProfile('Web', { fargateProfileName: 'web', selectors: [{ namespace: 'web', labels: { compute: 'fargate' } }] });

    // THEN
    expect(() => app.synth()).toThrow(
      "Fargate profile 'web' (namespace 'web', labels compute=fargate) of cluster 'campus' matches namespace 'web', but it was added after the mechanism of " +
      "ServiceAccount 'web/runner' on cluster 'campus' (WorkloadIdentity 'Test/Jobs') was decided without it.");
  });

  test('GIVEN a handle that only states its selectors WHEN several identities are placed THEN its selectors are made once, as nothing can add to them later', () => {
    // GIVEN
    const stack = newStack();
    const cluster = mixedCluster(stack);
    const made = jest.spyOn(FargateProfiles.prototype, 'selectors', 'get');

    // WHEN
    const bindings = ['batch-1', 'batch-2', 'web', 'shop'].map((namespace, i) =>
      new WorkloadIdentity(stack, `Jobs${i}`, { cluster, namespace, serviceAccountName: 'runner' }).primaryBinding);

    // THEN
    const calls = made.mock.calls.length;
    made.mockRestore();
    expect(calls).toBe(1);
    expect(bindings.map(b => b.mechanism)).toEqual([IdentityMechanism.IRSA, IdentityMechanism.IRSA, IdentityMechanism.IRSA, IdentityMechanism.POD_IDENTITY]);
    expect(cluster.node.validate()).toEqual([]);
  });

  test('a handle handed an owner knows the owner\'s selectors', () => {
    // GIVEN
    const app = new App();
    const owner = eksCluster(new Stack(app, 'Platform', { env: { account: ACCOUNT, region: 'eu-west-1' } }), 'Cluster', 'campus', { fargateProfileSelectors: SELECTORS });
    const stack = new Stack(app, 'Team', { env: { account: ACCOUNT, region: 'eu-west-1' } });

    // WHEN
    const handle = WorkloadCluster.fromClusterAttributes(stack, 'Campus', { clusterName: 'campus', owner });
    const identity = new WorkloadIdentity(stack, 'Jobs', { cluster: handle, namespace: 'batch-1', serviceAccountName: 'runner' });

    // THEN
    expect(handle.fargateProfileSelectors).toEqual(SELECTORS);
    expect(identity.primaryBinding.mechanism).toBe(IdentityMechanism.IRSA);
  });

  test.each([
    [[{ profileName: 'p', namespace: '' }], "Invalid fargateProfileSelectors[0] of WorkloadCluster 'Test/Cluster': namespace \"\" must be a literal, non-empty string"],
    [[{ profileName: 'p', namespace: 'Batch_*' }], "Invalid fargateProfileSelectors[0] of WorkloadCluster 'Test/Cluster': namespace 'Batch_*' is not a Kubernetes namespace with EKS's wildcards"],
    [[{ profileName: 'p', namespace: 'web', labels: { 'bad key!': 'x' } }], "Invalid fargateProfileSelectors[0] of WorkloadCluster 'Test/Cluster': label key 'bad key!' is not a Kubernetes label key"],
    [[{ profileName: 'p', namespace: 'web', labels: { a: 'b c' } }], "Invalid fargateProfileSelectors[0] of WorkloadCluster 'Test/Cluster': the value \"b c\" of label 'a' is not a Kubernetes label value"],
    [[{ profileName: 'p', namespace: 'web', label: {} }], "Invalid fargateProfileSelectors[0] of WorkloadCluster 'Test/Cluster': unknown field 'label'; the fields are profileName, namespace, labels."],
  ])('a bad selector %j is refused, naming it and the fix', (selectors, message) => {
    const stack = newStack();
    expect(() => mixedCluster(stack, selectors as FargateProfileSelector[])).toThrow(message);
  });

  test('selectors on a cluster that is not EKS are refused', () => {
    const stack = newStack();
    expect(() => WorkloadCluster.fromClusterAttributes(stack, 'Edge', {
      clusterName: 'edge', kind: ClusterKind.NOT_EKS, oidcIssuerUrl: 'https://oidc.edge.example.com', fargateProfileSelectors: SELECTORS,
    })).toThrow("WorkloadCluster 'Test/Edge' is NOT_EKS but has fargateProfileSelectors: Fargate profiles exist only on EKS clusters. Drop fargateProfileSelectors, or set kind to ClusterKind.EKS.");
  });

  test('the caller\'s selectors are copied, not kept', () => {
    const stack = newStack();
    const selectors: FargateProfileSelector[] = [{ profileName: 'batch', namespace: 'batch-*' }];
    const cluster = mixedCluster(stack, selectors);
    selectors.push({ profileName: 'late', namespace: '*' });
    expect(cluster.fargateProfileSelectors).toEqual([{ profileName: 'batch', namespace: 'batch-*' }]);
  });
});
