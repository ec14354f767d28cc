import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityMechanism, MigrationPhase, WorkloadBindingFile, WorkloadIdentity } from '../../../lib';
import { ACCOUNT, CLUSTER_ARN, ISSUER_KEY, PROVIDER_ARN, REGION, eksCluster, newStack, selfManagedCluster } from '../../fixtures';
import { awsFindings, open, reportingStack } from '../../guardrails/helpers';
import { synthWarning } from '../../synth-warning';

/** The trust statements of the role that `identity` created, exactly as synthesized. */
function trustStatements(identity: WorkloadIdentity): any[] {
  const stack = Stack.of(identity);
  const logicalId = stack.getLogicalId(identity.role.node.defaultChild as iam.CfnRole);
  return Template.fromStack(stack).toJSON().Resources[logicalId].Properties.AssumeRolePolicyDocument.Statement;
}

describe('IRSA: a declared pattern is StringLike on the subject, with the exact audience', () => {
  test('namespacePattern: the role trusts system:serviceaccount:pr-*:web under StringLike, and :aud under StringEquals', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA });

    // THEN
    expect(trustStatements(preview)).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: PROVIDER_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:pr-*:web' },
        StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
      },
    }]);
    // A pattern alone names no ServiceAccount yet: no association, no binding.
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    expect(preview.bindings).toEqual([]);
    expect(() => preview.primaryBinding).toThrow(
      "WorkloadIdentity 'Test/Preview' declares a pattern ('pr-*/web'), not one ServiceAccount, and no match yet: " +
      'take the binding of each ServiceAccount the cluster declares from addPatternMatch({ cluster, namespace, serviceAccountName }).');
  });

  test('an exact subject and a pattern of one identity get separate statements (StringLike beside StringEquals on :sub would be ANDed)', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const runner = new WorkloadIdentity(stack, 'Runner', { cluster, namespace: 'ci', serviceAccountName: 'runner', mechanism: IdentityMechanism.IRSA });
    runner.addSubjectPattern({ cluster, namespace: 'ci', serviceAccountPattern: 'runner-*', mechanism: IdentityMechanism.IRSA });

    expect(trustStatements(runner).map(s => s.Condition)).toEqual([
      { StringEquals: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:ci:runner', [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
      { StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:ci:runner-*' }, StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
    ]);
  });

  test('a match of the pattern gets a binding with the role ARN and its pattern, and no association', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA });

    const binding = preview.addPatternMatch({ cluster, namespace: 'pr-123', serviceAccountName: 'web' });

    expect(binding).toEqual({
      clusterName: 'campus', clusterArn: CLUSTER_ARN, namespace: 'pr-123', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA,
      roleArn: expect.stringMatching(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/`)), subjectPattern: 'pr-*/web',
    });
    expect(preview.primaryBinding).toBe(binding);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });

  test('a self-managed cluster takes patterns by IRSA', () => {
    const stack = newStack();
    const cluster = selfManagedCluster(stack);
    const tenants = new WorkloadIdentity(stack, 'Tenants', { cluster, namespacePattern: 'team-*', serviceAccountName: 'app' });
    expect(trustStatements(tenants)[0].Condition.StringLike).toEqual({ 'oidc.edge.example.com:sub': 'system:serviceaccount:team-*:app' });
  });
});

describe('Pod Identity: the pattern on the session tags, one association per declared match', () => {
  test('the trust admits the pattern by StringLike on kubernetes-namespace, the account and cluster exactly', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);

    // WHEN
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' });

    // THEN
    expect(trustStatements(preview)).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': ACCOUNT,
          'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
          'aws:RequestTag/kubernetes-service-account': 'web',
        },
        StringLike: { 'aws:RequestTag/kubernetes-namespace': 'pr-*' },
      },
    }]);
  });

  test('a name pattern is StringLike on kubernetes-service-account, the namespace exact', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const runners = new WorkloadIdentity(stack, 'Runners', { cluster, namespace: 'ci', serviceAccountPattern: 'runner-*' });
    expect(trustStatements(runners)[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN, 'aws:RequestTag/kubernetes-namespace': 'ci' },
      StringLike: { 'aws:RequestTag/kubernetes-service-account': 'runner-*' },
    });
  });

  test('each declared match gets its exact association (session tags on), and its binding', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' });

    // WHEN
    const bindings = ['pr-123', 'pr-124'].map(namespace => preview.addPatternMatch({ cluster, namespace, serviceAccountName: 'web' }));

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    for (const namespace of ['pr-123', 'pr-124']) {
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        ClusterName: 'campus',
        Namespace: namespace,
        ServiceAccount: 'web',
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Preview'), 'Arn'] },
        DisableSessionTags: Match.absent(),
      });
    }
    expect(bindings.map(b => [b.namespace, b.mechanism, b.subjectPattern])).toEqual([
      ['pr-123', IdentityMechanism.POD_IDENTITY, 'pr-*/web'],
      ['pr-124', IdentityMechanism.POD_IDENTITY, 'pr-*/web'],
    ]);
    // The trust is the pattern's: the matches add no statement.
    expect(trustStatements(preview)).toHaveLength(1);
  });

  test('without restrictTrustToSubjects, the statement is the account one, and matches are still associated exactly', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const preview = new WorkloadIdentity(stack, 'Preview', {
      cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', podIdentity: { restrictTrustToSubjects: false },
    });
    preview.addPatternMatch({ cluster, namespace: 'pr-1', serviceAccountName: 'web' });
    const template = synthWarning(() => Template.fromStack(stack), "WARNING WI-AWS-7: Role 'Test/Preview' trusts pods.eks.amazonaws.com without a condition on the cluster");
    const logicalId = stack.getLogicalId(preview.role.node.defaultChild as iam.CfnRole);
    expect(template.toJSON().Resources[logicalId].Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'pr-1', ServiceAccount: 'web' });
  });
});

describe('refused', () => {
  test('an unsafe pattern, with the rule it breaks', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    expect(() => new WorkloadIdentity(stack, 'All', { cluster, namespacePattern: '*', serviceAccountName: 'web' })).toThrow(
      "Invalid namespacePattern '*': a pattern needs a literal prefix before its first '*' or '?'");
    expect(() => new WorkloadIdentity(stack, 'System', { cluster, namespacePattern: 'kube-*', serviceAccountName: 'web' })).toThrow(
      "Invalid namespacePattern 'kube-*': it matches the cluster's own namespace 'kube-system'");
    expect(() => new WorkloadIdentity(stack, 'Cross', { cluster, namespace: 'ci', serviceAccountPattern: 'runner-*:x' })).toThrow(
      "Invalid serviceAccountPattern 'runner-*:x': it contains ':', which separates namespace and ServiceAccount name");
  });

  test('both a name and a pattern for one half, or neither', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    expect(() => new WorkloadIdentity(stack, 'Both', { cluster, namespace: 'pr-1', namespacePattern: 'pr-*', serviceAccountName: 'web' })).toThrow(
      "WorkloadIdentity 'Test/Both' has both namespace 'pr-1' and namespacePattern 'pr-*': give one (a pattern admits the names it matches).");
    expect(() => new WorkloadIdentity(stack, 'Neither', { cluster, namespacePattern: 'pr-*' })).toThrow(
      "WorkloadIdentity 'Test/Neither' has neither serviceAccountName nor serviceAccountPattern: give one.");
    const exact = new WorkloadIdentity(stack, 'Exact', { cluster, namespace: 'a', serviceAccountName: 'b' });
    expect(() => exact.addSubjectPattern({ cluster, namespace: 'a', serviceAccountName: 'c' })).toThrow(
      "WorkloadIdentity 'Test/Exact' addSubjectPattern got no namespacePattern or serviceAccountPattern: bind one ServiceAccount with addSubject.");
  });

  test('a match the pattern does not admit (a near miss, or another cluster)', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const other = eksCluster(stack, 'Other', 'other');
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' });
    expect(() => preview.addPatternMatch({ cluster, namespace: 'prx-1', serviceAccountName: 'web' })).toThrow(
      "ServiceAccount 'prx-1/web' on cluster 'campus' matches no pattern of WorkloadIdentity 'Test/Preview' on that cluster (its patterns there: 'pr-*/web'): " +
      'its role would not trust it. Bind it with addSubject, or declare a pattern that matches it with addSubjectPattern.');
    expect(() => preview.addPatternMatch({ cluster: other, namespace: 'pr-1', serviceAccountName: 'web' })).toThrow(
      "ServiceAccount 'pr-1/web' on cluster 'other' matches no pattern of WorkloadIdentity 'Test/Preview' on that cluster (it declares none there)");
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });

  test("a pattern that matches another identity's ServiceAccount on the cluster, naming both (either order)", () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    new WorkloadIdentity(stack, 'Payments', { cluster, namespace: 'pr-payments', serviceAccountName: 'web' });
    expect(() => new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' })).toThrow(
      "ServiceAccount pattern 'pr-*/web' of 'Test/Preview' on cluster 'campus' also matches 'pr-payments/web', which 'Test/Payments' binds. " +
      'A ServiceAccount carries one role: narrow the pattern (a longer literal prefix) so it leaves that ServiceAccount out, or move the ServiceAccount out of the pattern.');

    const later = newStack('Later');
    const laterCluster = eksCluster(later);
    new WorkloadIdentity(later, 'Preview', { cluster: laterCluster, namespacePattern: 'pr-*', serviceAccountName: 'web' });
    expect(() => new WorkloadIdentity(later, 'Payments', { cluster: laterCluster, namespace: 'pr-payments', serviceAccountName: 'web' })).toThrow(
      "ServiceAccount 'pr-payments/web' on cluster 'campus' is bound by 'Later/Payments' and also matches the pattern 'pr-*/web' of 'Later/Preview'. " +
      'A ServiceAccount carries one role: give it a namespace or name outside the pattern, or narrow the pattern (a longer literal prefix).');
  });

  test("overlapping patterns of two identities, naming both; another cluster's or a disjoint pattern is fine", () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const other = eksCluster(stack, 'Other', 'other');
    new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' });
    expect(() => new WorkloadIdentity(stack, 'Wide', { cluster, namespacePattern: 'pr-1-*', serviceAccountPattern: 'we-*' })).not.toThrow();
    expect(() => new WorkloadIdentity(stack, 'Overlap', { cluster, namespacePattern: 'pr-1-*', serviceAccountName: 'web' })).toThrow(
      "ServiceAccount pattern 'pr-1-*/web' of 'Test/Overlap' on cluster 'campus' overlaps the pattern 'pr-*/web' of 'Test/Preview': " +
      'a ServiceAccount matching both would be trusted by both roles. Give the two patterns prefixes that cannot both match one name.');
    expect(() => new WorkloadIdentity(stack, 'Elsewhere', { cluster: other, namespacePattern: 'pr-*', serviceAccountName: 'web' })).not.toThrow();
    expect(() => new WorkloadIdentity(stack, 'Tenants', { cluster, namespacePattern: 'prx-*', serviceAccountName: 'web' })).not.toThrow();
  });

  test('the same match twice', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' });
    preview.addPatternMatch({ cluster, namespace: 'pr-1', serviceAccountName: 'web' });
    expect(() => preview.addPatternMatch({ cluster, namespace: 'pr-1', serviceAccountName: 'web' })).toThrow(
      "ServiceAccount 'pr-1/web' on cluster 'campus' is bound twice by 'Test/Preview'.");
  });

  test('an existing role, or a migration, with a pattern', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${ACCOUNT}:role/preview`);
    expect(() => new WorkloadIdentity(stack, 'Given', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', role })).toThrow(
      "ServiceAccount pattern 'pr-*/web' on cluster 'campus' needs a role this WorkloadIdentity creates");
    expect(() => new WorkloadIdentity(stack, 'Moving', {
      cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA,
      migration: { to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.PREPARED },
    })).toThrow("ServiceAccount pattern 'pr-*/web' on cluster 'campus' cannot follow the identity's migration: a pattern has no per-ServiceAccount phases.");
  });

  test('Pod Identity on a cluster that is not EKS', () => {
    const stack = newStack();
    const cluster = selfManagedCluster(stack);
    expect(() => new WorkloadIdentity(stack, 'Tenants', { cluster, namespacePattern: 'team-*', serviceAccountName: 'app', mechanism: IdentityMechanism.POD_IDENTITY })).toThrow(
      "ServiceAccount pattern 'team-*/app' on cluster 'edge' cannot use POD_IDENTITY: the cluster is NOT_EKS");
  });
});

describe('WI-AWS-4 accepts exactly the patterns the library wrote', () => {
  test('a declared pattern passes; a hand-written wildcard on the same role is still refused', () => {
    // GIVEN
    const declared = reportingStack();
    new WorkloadIdentity(declared, 'Preview', { cluster: eksCluster(declared), namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA });
    expect(open(awsFindings(declared), 'WI-AWS-4')).toEqual([]);

    // WHEN a wider pattern is added to such a role by hand
    const stack = reportingStack();
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster: eksCluster(stack), namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA });
    (preview.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [new iam.FederatedPrincipal(PROVIDER_ARN)],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: { StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:*:web' }, StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' } },
    }));

    // THEN
    expect(open(awsFindings(stack), 'WI-AWS-4')).toEqual([
      "WI-AWS-4 Role 'Test/Preview' trusts the wildcard subject 'system:serviceaccount:*:web', which no one declared as a pattern.",
    ]);
  });

  test("another role's library pattern does not excuse the same wildcard written by hand", () => {
    const stack = reportingStack();
    const cluster = eksCluster(stack);
    new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.IRSA });
    new iam.Role(stack, 'ByHand', {
      assumedBy: new iam.WebIdentityPrincipal(PROVIDER_ARN, {
        StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:pr-*:web' },
        StringEquals: { [`${ISSUER_KEY}:aud`]: 'sts.amazonaws.com' },
      }),
    });
    expect(open(awsFindings(stack), 'WI-AWS-4')).toEqual([
      "WI-AWS-4 Role 'Test/ByHand' trusts the wildcard subject 'system:serviceaccount:pr-*:web', which no one declared as a pattern.",
    ]);
  });

  test('the app with patterns synthesizes under the default guardrails', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const preview = new WorkloadIdentity(stack, 'Preview', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', mechanism: IdentityMechanism.BOTH });
    preview.addPatternMatch({ cluster, namespace: 'pr-7', serviceAccountName: 'web' });
    expect(() => (stack.node.root as any).synth()).not.toThrow();
    expect(REGION).toBe('eu-west-1');
  });
});

describe('subjectPatterns: what a bindings file records of the patterns, for a cdk8s-only repository (issue 25 leftover)', () => {
  test('GIVEN an IRSA pattern WHEN recorded THEN the record names the cluster, the pattern as the trust states it, the role and the audience', () => {
    // GIVEN
    const stack = newStack();
    const cluster = eksCluster(stack);
    const seeder = new WorkloadIdentity(stack, 'Seeder', {
      cluster, namespacePattern: 'pr-*', serviceAccountName: 'seeder', mechanism: IdentityMechanism.IRSA, roleName: 'previews-seeder', irsa: { audience: 'example.com/previews' },
    });

    // WHEN
    const recorded = seeder.subjectPatterns;

    // THEN
    expect(recorded).toEqual([{
      clusterName: 'campus', clusterArn: CLUSTER_ARN, subjectPattern: 'pr-*/seeder', mechanism: IdentityMechanism.IRSA,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/previews-seeder`, irsa: { audience: 'example.com/previews' },
    }]);
    // The trust states the same pattern and audience.
    expect(trustStatements(seeder)[0].Condition).toEqual({
      StringLike: { [`${ISSUER_KEY}:sub`]: 'system:serviceaccount:pr-*:seeder' }, StringEquals: { [`${ISSUER_KEY}:aud`]: 'example.com/previews' },
    });
  });

  test('GIVEN an IRSA pattern WHEN a new match is bound from the file alone THEN its binding is the one addPatternMatch returns', () => {
    // GIVEN the record, through a file
    const stack = newStack();
    const cluster = eksCluster(stack);
    const seeder = new WorkloadIdentity(stack, 'Seeder', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'seeder', mechanism: IdentityMechanism.IRSA, irsa: { stsRegionalEndpoints: true } });
    const { subjectPatterns } = WorkloadBindingFile.documentFromJson(WorkloadBindingFile.toJson([], seeder.subjectPatterns));

    // WHEN
    const fromFile = WorkloadBindingFile.bindPatternMatch(subjectPatterns!, { namespace: 'pr-200', serviceAccountName: 'seeder' });

    // THEN
    expect(fromFile).toEqual(seeder.addPatternMatch({ cluster, namespace: 'pr-200', serviceAccountName: 'seeder' }));
    expect(WorkloadBindingFile.toJson([fromFile])).toEqual(WorkloadBindingFile.toJson(seeder.bindings));
  });

  test('GIVEN a cluster with Fargate profiles WHEN a match on Fargate is bound from the file THEN it equals addPatternMatch\'s (selectors and reason)', () => {
    const stack = newStack();
    const fargateProfileSelectors = [
      { profileName: 'previews', namespace: 'pr-2*' },
      { profileName: 'batch', namespace: 'batch' },
      { profileName: 'labelled', namespace: 'pr-*', labels: { compute: 'fargate' } },
    ];
    const cluster = eksCluster(stack, 'Cluster', 'campus', { fargateProfileSelectors });
    const seeder = new WorkloadIdentity(stack, 'Seeder', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'seeder', mechanism: IdentityMechanism.IRSA });

    // Only the selectors that can select a namespace the pattern matches are recorded.
    expect(seeder.subjectPatterns[0].fargateSelectors).toEqual([fargateProfileSelectors[0], fargateProfileSelectors[2]]);
    for (const namespace of ['pr-200', 'pr-300']) {
      const fromFile = WorkloadBindingFile.bindPatternMatch(seeder.subjectPatterns, { namespace, serviceAccountName: 'seeder' });
      expect(fromFile).toEqual(seeder.addPatternMatch({ cluster, namespace, serviceAccountName: 'seeder' }));
    }
  });

  test('GIVEN a Pod Identity pattern WHEN recorded THEN it is in the file, and binding a new match from it is refused with the fix', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    const web = new WorkloadIdentity(stack, 'Web', { cluster, namespacePattern: 'pr-*', serviceAccountName: 'web', roleName: 'previews-web' });

    expect(web.subjectPatterns).toEqual([{
      clusterName: 'campus', clusterArn: CLUSTER_ARN, subjectPattern: 'pr-*/web', mechanism: IdentityMechanism.POD_IDENTITY, roleArn: `arn:aws:iam::${ACCOUNT}:role/previews-web`,
    }]);
    expect(() => WorkloadBindingFile.bindPatternMatch(web.subjectPatterns, { namespace: 'pr-200', serviceAccountName: 'web' })).toThrow(
      "ServiceAccount 'pr-200/web' matches subject pattern 'pr-*/web' on cluster 'campus' (" + CLUSTER_ARN + `) (role 'arn:aws:iam::${ACCOUNT}:role/previews-web'), ` +
      'which uses EKS Pod Identity (mechanism POD_IDENTITY)');
  });

  test('GIVEN an exact identity WHEN recorded THEN it records no pattern; an IRSA pattern of a stack without account refuses to record without a role ARN', () => {
    const stack = newStack();
    const cluster = eksCluster(stack);
    expect(new WorkloadIdentity(stack, 'Exact', { cluster, namespace: 'staging', serviceAccountName: 'web' }).subjectPatterns).toEqual([]);

    const agnostic = new Stack(new App(), 'Agnostic');
    const seeder = new WorkloadIdentity(agnostic, 'Seeder', {
      cluster: eksCluster(agnostic), namespacePattern: 'pr-*', serviceAccountName: 'seeder', mechanism: IdentityMechanism.IRSA,
    });
    expect(() => seeder.subjectPatterns).toThrow("Subject pattern 'pr-*/seeder' uses IRSA, so its matches must carry the role ARN");
  });
});
