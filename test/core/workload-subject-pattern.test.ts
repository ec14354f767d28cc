import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadBindingFile } from '../../lib/core/workload-binding-file';
import { WorkloadSubjectPattern } from '../../lib/core/workload-subject-pattern';

const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:123456789012:cluster/campus-previews';
const SEEDER_ROLE = 'arn:aws:iam::123456789012:role/campus-previews-seeder';
const WEB_ROLE = 'arn:aws:iam::123456789012:role/campus-previews-web';

/** What WorkloadIdentity.subjectPatterns records for `{ namespacePattern: 'pr-*', serviceAccountName: 'seeder', mechanism: IRSA }`. */
function seeder(more: Partial<WorkloadSubjectPattern> = {}): WorkloadSubjectPattern {
  return { clusterName: 'campus-previews', clusterArn: CLUSTER_ARN, subjectPattern: 'pr-*/seeder', mechanism: IdentityMechanism.IRSA, roleArn: SEEDER_ROLE, ...more };
}

/** A Pod Identity pattern: `pr-*` then `/web`. */
function web(more: Partial<WorkloadSubjectPattern> = {}): WorkloadSubjectPattern {
  return { clusterName: 'campus-previews', clusterArn: CLUSTER_ARN, subjectPattern: 'pr-*/web', mechanism: IdentityMechanism.POD_IDENTITY, roleArn: WEB_ROLE, ...more };
}

/** A match of the Pod Identity pattern the CDK app declared (addPatternMatch): in the file as a binding. */
const DECLARED_WEB: WorkloadBinding = {
  clusterName: 'campus-previews', clusterArn: CLUSTER_ARN, namespace: 'pr-123', serviceAccountName: 'web',
  mechanism: IdentityMechanism.POD_IDENTITY, roleArn: WEB_ROLE, subjectPattern: 'pr-*/web',
};

describe('a bindings file records subject patterns (format version 3)', () => {
  test('GIVEN bindings and subject patterns WHEN written THEN the file is version 3, patterns after bindings, in a stable key order', () => {
    // WHEN
    const json = WorkloadBindingFile.toJson([DECLARED_WEB], [{ ...seeder(), irsa: { audience: 'sts.amazonaws.com', stsRegionalEndpoints: true } }, web()]);

    // THEN
    expect(JSON.parse(json)).toEqual({
      version: 3,
      bindings: [DECLARED_WEB],
      subjectPatterns: [
        { ...seeder(), irsa: { audience: 'sts.amazonaws.com', stsRegionalEndpoints: true } },
        web(),
      ],
    });
    expect(Object.keys(JSON.parse(json).subjectPatterns[0])).toEqual(['clusterName', 'clusterArn', 'subjectPattern', 'mechanism', 'roleArn', 'irsa']);
  });

  test('GIVEN no subject patterns WHEN written THEN the file stays version 2, byte for byte what earlier releases read', () => {
    expect(WorkloadBindingFile.toJson([DECLARED_WEB], [])).toEqual(WorkloadBindingFile.toJson([DECLARED_WEB]));
    expect(JSON.parse(WorkloadBindingFile.toJson([DECLARED_WEB], []))).toEqual({ version: 2, bindings: [DECLARED_WEB] });
  });

  test('GIVEN a version 3 file WHEN read THEN bindings and patterns come back, and fromJson/readFile still give the bindings', () => {
    const json = WorkloadBindingFile.toJson([DECLARED_WEB], [seeder(), web()]);

    expect(WorkloadBindingFile.documentFromJson(json)).toEqual({ version: 3, bindings: [DECLARED_WEB], subjectPatterns: [seeder(), web()] });
    expect(WorkloadBindingFile.fromJson(json)).toEqual([DECLARED_WEB]);
    expect(WorkloadBindingFile.documentFromJson(WorkloadBindingFile.toJson([DECLARED_WEB]))).toEqual({ version: 2, bindings: [DECLARED_WEB] });
  });

  test('GIVEN a version 4 file WHEN read THEN the fix is to upgrade the reader', () => {
    expect(() => WorkloadBindingFile.fromJson('{"version": 4, "bindings": []}')).toThrow(new Error(
      'Invalid bindings document: expected {"version": 2, "bindings": [...]} (or version 1, or 3 with "subjectPatterns"), got version 4. ' +
      'A later release of cdk-eks-workload-identity wrote it: upgrade the package where the file is read to the writer\'s version.'));
  });

  test('GIVEN subjectPatterns in a version 2 file WHEN read THEN they are not dropped: the fix is version 3', () => {
    const json = JSON.stringify({ version: 2, bindings: [], subjectPatterns: [seeder()] });
    expect(() => WorkloadBindingFile.documentFromJson(json)).toThrow(new Error(
      'Invalid bindings document: "subjectPatterns" is part of format version 3, and reading the file as version 2 would drop them. ' +
      'Set "version": 3 (what WorkloadBindingFile.toJson writes with subject patterns), or write the file again from the CDK app.'));
  });

  test.each([
    ['no subjectPatterns', { version: 3, bindings: [] }, 'Invalid bindings document: version 3 records subject patterns, but "subjectPatterns" is undefined. ' +
      'Write the file again from the CDK app (a file without subject patterns is version 2).'],
    ['an unknown top-level field', { version: 3, bindings: [], subjectPatterns: [seeder()], roles: [] },
      "Invalid bindings document: unknown field 'roles'; the fields of version 3 are version, bindings, subjectPatterns."],
    ['a null pattern', { version: 3, bindings: [], subjectPatterns: [null] }, 'Invalid bindings document: subject pattern #1 must be an object, got null.'],
  ])('GIVEN a version 3 document with %s WHEN read THEN it is refused, saying what is wrong', (_, document, message) => {
    expect(() => WorkloadBindingFile.documentFromJson(JSON.stringify(document))).toThrow(new Error(message));
  });
});

describe('every recorded pattern is validated as the library writes it', () => {
  test.each<[string, Partial<WorkloadSubjectPattern> | object, string]>([
    ['a pattern that admits every namespace', { subjectPattern: '*/seeder' },
      "Invalid namespacePattern '*': a pattern needs a literal prefix before its first '*' or '?' (e.g. 'pr-*', 'team-*'): " +
      "'*' there matches any namespace, including ones created later by anyone who may create them."],
    ['a pattern widened past the word', { subjectPattern: 'pr*/seeder' },
      "Invalid namespacePattern 'pr*': its literal prefix 'pr' must end in '-' (e.g. 'pr-*'): IAM's '*' and '?' match any characters, " +
      "so 'pr*' also matches 'prx', a name that only begins with the same letters."],
    ['a pattern over the cluster\'s own namespaces', { subjectPattern: 'kube-*/seeder' },
      "Invalid namespacePattern 'kube-*': it matches the cluster's own namespace 'kube-system' (default, kube-system, kube-public, kube-node-lease and every kube-* namespace run the cluster itself). " +
      'Bind a ServiceAccount there by its exact namespace, never by a pattern.'],
    ['a pattern across the separator', { subjectPattern: 'pr-*:seeder' },
      "Invalid subject pattern 'pr-*:seeder' on cluster 'campus-previews': subjectPattern 'pr-*:seeder' must be '<namespace or pattern>/<name or pattern>' with a '*' or '?', e.g. 'pr-*/web'."],
    ['no wildcard (an exact subject, which is a binding)', { subjectPattern: 'pr-1/seeder' },
      "Invalid subject pattern 'pr-1/seeder' on cluster 'campus-previews': subjectPattern 'pr-1/seeder' must be '<namespace or pattern>/<name or pattern>' with a '*' or '?', e.g. 'pr-*/web'."],
    ['an invalid literal name', { subjectPattern: 'pr-*/Seeder' }, "Invalid ServiceAccount name 'Seeder'"],
    ['IRSA without role ARN', { roleArn: undefined },
      "Invalid subject pattern 'pr-*/seeder' on cluster 'campus-previews': IRSA needs roleArn, the literal ARN each match's ServiceAccount carries."],
    ['an unknown mechanism', { mechanism: 'WEBHOOK' },
      "Invalid subject pattern 'pr-*/seeder' on cluster 'campus-previews': mechanism 'WEBHOOK' is not one of IRSA, POD_IDENTITY, BOTH."],
    ['Pod Identity with IRSA settings', { mechanism: IdentityMechanism.POD_IDENTITY, irsa: { audience: 'sts.amazonaws.com' } },
      "Invalid subject pattern 'pr-*/seeder' on cluster 'campus-previews': a Pod Identity pattern's ServiceAccounts carry no IRSA settings, found irsa {\"audience\":\"sts.amazonaws.com\"}. Remove them."],
    ['an audience with a wildcard', { irsa: { audience: '*' } }, "Invalid IRSA audience of the subject pattern 'pr-*/seeder' on cluster 'campus-previews' '*': it contains '*', a wildcard."],
    ['a token as role ARN', { roleArn: '${Token[TOKEN.123]}' }, 'roleArn of the subject pattern'],
    ['a role of another partition', { roleArn: 'arn:aws-cn:iam::123456789012:role/seeder' },
      "Invalid subject pattern 'pr-*/seeder' on cluster 'campus-previews': roleArn 'arn:aws-cn:iam::123456789012:role/seeder' is in partition 'aws-cn' but the cluster"],
    ['an unknown field', { subject: 'system:serviceaccount:pr-*:seeder' },
      "Invalid subject pattern 'pr-*/seeder' on cluster 'campus-previews': unknown field 'subject'; the fields are clusterName, clusterArn, subjectPattern, mechanism, roleArn, irsa, fargateSelectors."],
    ['a Fargate selector of another namespace', { fargateSelectors: [{ profileName: 'batch', namespace: 'batch-*' }] },
      "Invalid subject pattern 'pr-*/seeder' on cluster 'campus-previews': fargateSelectors holds Fargate profile 'batch' (namespace 'batch-*'), which selects no namespace the pattern matches. " +
      'A pattern carries the selectors of its own namespaces only: write the file again from the CDK app.'],
  ])('GIVEN a file whose pattern has %s WHEN read THEN it is refused, naming the value', (_, change, message) => {
    // GIVEN a file the CDK app wrote, then edited
    const json = JSON.stringify({ version: 3, bindings: [], subjectPatterns: [{ ...seeder(), ...change }] });

    // WHEN / THEN
    expect(() => WorkloadBindingFile.documentFromJson(json)).toThrow(message);
    expect(() => WorkloadBindingFile.validateSubjectPattern({ ...seeder(), ...change } as WorkloadSubjectPattern)).toThrow(message);
  });

  test('GIVEN a pattern that admits a binding of another role WHEN read THEN both are named (a merge or an edit)', () => {
    const other: WorkloadBinding = { ...DECLARED_WEB, namespace: 'pr-7', serviceAccountName: 'seeder', mechanism: IdentityMechanism.IRSA, roleArn: WEB_ROLE, subjectPattern: undefined };
    const json = JSON.stringify({ version: 3, bindings: [other], subjectPatterns: [seeder()] });
    expect(() => WorkloadBindingFile.documentFromJson(json)).toThrow(new Error(
      `Invalid bindings document: binding #1 ('pr-7/seeder', role '${WEB_ROLE}' (IRSA)) is admitted by subject pattern #1 ` +
      `(subject pattern 'pr-*/seeder' on cluster 'campus-previews' (${CLUSTER_ARN}), role '${SEEDER_ROLE}' (IRSA)); a ServiceAccount has one role. ` +
      'Remove the one that is not what the CDK app declares (a merge of two files, or an edit?), or write the file again with WorkloadOutputs.synth.'));
  });

  test('GIVEN two patterns of two roles that can match one ServiceAccount WHEN written THEN both are named', () => {
    expect(() => WorkloadBindingFile.toJson([], [seeder(), seeder({ subjectPattern: 'pr-1-*/seeder', roleArn: WEB_ROLE })])).toThrow(new Error(
      `Invalid bindings document: subject pattern #1 ('pr-*/seeder', role '${SEEDER_ROLE}' (IRSA)) and subject pattern #2 ('pr-1-*/seeder', role '${WEB_ROLE}' (IRSA)) ` +
      `can match one ServiceAccount on cluster 'campus-previews' (${CLUSTER_ARN}); a ServiceAccount has one role. ` +
      'Remove the one that is not what the CDK app declares (a merge of two files, or an edit?), or write the file again with WorkloadOutputs.synth.'));
  });

  test('GIVEN a pattern of a cluster whose name is a CDK token WHEN written THEN it is refused', () => {
    expect(() => WorkloadBindingFile.toJson([], [seeder({ clusterName: '${Token[TOKEN.42]}', clusterArn: undefined })])).toThrow(
      "Invalid clusterName '${Token[TOKEN.42]}' of the subject pattern 'pr-*/seeder' on cluster '${Token[TOKEN.42]}': it is an unresolved CDK token, " +
      'which means nothing outside the app that made it. Write bindings of clusters and roles known by literal names and ARNs.');
  });
});

describe('WorkloadBindingFile.bindPatternMatch: a new match of an IRSA pattern, from the file alone', () => {
  const patterns = () => WorkloadBindingFile.documentFromJson(WorkloadBindingFile.toJson([DECLARED_WEB], [seeder(), web()])).subjectPatterns!;

  test('GIVEN the IRSA pattern pr-* then /seeder WHEN a new preview namespace pr-200 binds its seeder THEN the binding carries the role and the pattern', () => {
    // WHEN
    const binding = WorkloadBindingFile.bindPatternMatch(patterns(), { namespace: 'pr-200', serviceAccountName: 'seeder' });

    // THEN
    expect(binding).toEqual({
      clusterName: 'campus-previews', clusterArn: CLUSTER_ARN, namespace: 'pr-200', serviceAccountName: 'seeder',
      mechanism: IdentityMechanism.IRSA, roleArn: SEEDER_ROLE, subjectPattern: 'pr-*/seeder',
    });
    expect(Object.keys(binding)).toEqual(['clusterName', 'clusterArn', 'namespace', 'serviceAccountName', 'mechanism', 'roleArn', 'subjectPattern']);
  });

  test('GIVEN IRSA settings on the pattern WHEN a match is bound THEN its binding carries them', () => {
    const irsa = { audience: 'example.com/previews', tokenExpirationSeconds: 7200 };
    expect(WorkloadBindingFile.bindPatternMatch([seeder({ irsa })], { namespace: 'pr-200', serviceAccountName: 'seeder' }).irsa).toEqual(irsa);
  });

  test('GIVEN a match in a namespace a Fargate profile selects WHEN bound THEN the binding carries the selector and why IRSA serves it', () => {
    const fargateSelectors = [{ profileName: 'previews', namespace: 'pr-2*' }, { profileName: 'labelled', namespace: 'pr-*', labels: { compute: 'fargate' } }];
    const binding = WorkloadBindingFile.bindPatternMatch([seeder({ fargateSelectors })], { namespace: 'pr-200', serviceAccountName: 'seeder' });
    expect(binding.fargateSelectors).toEqual(fargateSelectors);
    expect(binding.mechanismReason).toEqual("IRSA as declared: Fargate profile 'previews' (namespace 'pr-2*') runs every pod of namespace 'pr-200' on Fargate, where IRSA serves them");
    // Outside the profile's namespaces, only the selectors that match it.
    expect(WorkloadBindingFile.bindPatternMatch([seeder({ fargateSelectors })], { namespace: 'pr-300', serviceAccountName: 'seeder' }).fargateSelectors).toEqual([fargateSelectors[1]]);
  });

  test.each([
    ['prx-1', 'seeder'], ['pr1', 'seeder'], ['kube-system', 'seeder'], ['default', 'seeder'], ['pr-200', 'seeder-2'],
  ])('GIVEN a near miss %s/%s WHEN bound THEN it is refused: no role trusts it', (namespace, serviceAccountName) => {
    expect(() => WorkloadBindingFile.bindPatternMatch([seeder()], { namespace, serviceAccountName })).toThrow(new Error(
      `ServiceAccount '${namespace}/${serviceAccountName}' on cluster 'campus-previews' (${CLUSTER_ARN}) matches no subject pattern of the bindings file ` +
      "(its patterns: 'pr-*/seeder'), so no role trusts it. Declare it in the CDK app (addSubject, or addSubjectPattern with a pattern that matches it) and write the file again."));
  });

  test('GIVEN a match of a Pod Identity pattern WHEN bound from the file THEN it is refused, naming the pattern and the fix (an association first)', () => {
    expect(() => WorkloadBindingFile.bindPatternMatch(patterns(), { namespace: 'pr-200', serviceAccountName: 'web' })).toThrow(new Error(
      `ServiceAccount 'pr-200/web' matches subject pattern 'pr-*/web' on cluster 'campus-previews' (${CLUSTER_ARN}) (role '${WEB_ROLE}'), ` +
      'which uses EKS Pod Identity (mechanism POD_IDENTITY): EKS gives its pods credentials only through a pod identity association, and has no wildcard ' +
      "association, so it cannot be bound from the bindings file alone. Declare it in the CDK app (identity.addPatternMatch({ cluster, namespace: 'pr-200', serviceAccountName: 'web' })), " +
      'deploy, and render it from its binding in the file written then; or declare the pattern with IdentityMechanism.IRSA, whose new matches need only their ServiceAccount.'));
  });

  test('GIVEN a BOTH pattern WHEN a match is bound from the file THEN it is refused: its Pod Identity half needs an association', () => {
    expect(() => WorkloadBindingFile.bindPatternMatch([seeder({ mechanism: IdentityMechanism.BOTH })], { namespace: 'pr-200', serviceAccountName: 'seeder' }))
      .toThrow("matches subject pattern 'pr-*/seeder' on cluster 'campus-previews' (" + CLUSTER_ARN + `) (role '${SEEDER_ROLE}'), whose Pod Identity half uses EKS Pod Identity (mechanism BOTH)`);
  });

  test('GIVEN patterns of two clusters WHEN bound without a cluster THEN the fix is to name it; with it, its pattern binds', () => {
    const other = seeder({ clusterName: 'campus', clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/campus', roleArn: WEB_ROLE });
    expect(() => WorkloadBindingFile.bindPatternMatch([seeder(), other], { namespace: 'pr-200', serviceAccountName: 'seeder' })).toThrow(new Error(
      "ServiceAccount 'pr-200/seeder' cannot be bound from subject patterns of several clusters " +
      `('campus-previews' (${CLUSTER_ARN}), 'campus' (arn:aws:eks:eu-west-1:123456789012:cluster/campus)): pass clusterName (and clusterArn), the cluster this app renders.`));
    expect(WorkloadBindingFile.bindPatternMatch([seeder(), other], { namespace: 'pr-200', serviceAccountName: 'seeder', clusterName: 'campus' }).roleArn).toEqual(WEB_ROLE);
    expect(() => WorkloadBindingFile.bindPatternMatch([seeder()], { namespace: 'pr-200', serviceAccountName: 'seeder', clusterName: 'campus' })).toThrow(
      "ServiceAccount 'pr-200/seeder' on cluster 'campus' matches no subject pattern of the bindings file (it records none on that cluster), so no role trusts it.");
  });

  test('GIVEN two patterns of one subject with two roles (given directly, not from a file) WHEN bound THEN both roles are named', () => {
    expect(() => WorkloadBindingFile.bindPatternMatch([seeder(), seeder({ subjectPattern: 'pr-2-*/seeder', roleArn: WEB_ROLE })], { namespace: 'pr-2-0', serviceAccountName: 'seeder' }))
      .toThrow(`ServiceAccount 'pr-2-0/seeder' matches subject pattern 'pr-*/seeder' on cluster 'campus-previews' (${CLUSTER_ARN}) (role '${SEEDER_ROLE}' (IRSA)) and 'pr-2-*/seeder' (role '${WEB_ROLE}' (IRSA))`);
  });

  test.each([
    [{ namespace: 'PR-200', serviceAccountName: 'seeder' }, "Invalid namespace 'PR-200'"],
    [{ namespace: 'pr-200', serviceAccountName: '' }, 'Invalid ServiceAccount name'],
  ])('GIVEN an invalid name %j WHEN bound THEN the name rule refuses it', (match, message) => {
    expect(() => WorkloadBindingFile.bindPatternMatch([seeder()], match)).toThrow(message);
  });
});
