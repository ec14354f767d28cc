import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serviceAccountAnnotations } from '../../lib/core/binding-annotations';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadBindingFile } from '../../lib/core/workload-binding-file';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/campus-payment';
const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:123456789012:cluster/campus';
const WHERE = "Invalid binding for 'payments/payment' on cluster 'campus'";

function irsa(overrides: Partial<WorkloadBinding> = {}): WorkloadBinding {
  return {
    clusterName: 'campus',
    namespace: 'payments',
    serviceAccountName: 'payment',
    mechanism: IdentityMechanism.IRSA,
    roleArn: ROLE_ARN,
    ...overrides,
  };
}

function podIdentity(overrides: Partial<WorkloadBinding> = {}): WorkloadBinding {
  return {
    clusterName: 'campus',
    namespace: 'payments',
    serviceAccountName: 'payment',
    mechanism: IdentityMechanism.POD_IDENTITY,
    ...overrides,
  };
}

describe('WorkloadBindingFile.validate', () => {
  test.each([
    ['IRSA', irsa()],
    ['IRSA with a role path', irsa({ roleArn: 'arn:aws:iam::123456789012:role/service/payments/payment' })],
    ['IRSA in another partition', irsa({ roleArn: 'arn:aws-cn:iam::123456789012:role/payment' })],
    ['IRSA with every setting', irsa({ irsa: { audience: 'vault', stsRegionalEndpoints: true, tokenExpirationSeconds: 7200 } })],
    ['BOTH', irsa({ mechanism: IdentityMechanism.BOTH, clusterArn: CLUSTER_ARN })],
    ['Pod Identity', podIdentity()],
    ['Pod Identity with its role ARN and cluster ARN', podIdentity({ roleArn: ROLE_ARN, clusterArn: CLUSTER_ARN })],
  ])('GIVEN %s WHEN validated THEN it passes', (_, binding) => {
    expect(() => WorkloadBindingFile.validate(binding)).not.toThrow();
  });

  test.each([IdentityMechanism.IRSA, IdentityMechanism.BOTH])('GIVEN %s without roleArn WHEN validated THEN it is rejected', (mechanism) => {
    expect(() => WorkloadBindingFile.validate(irsa({ mechanism, roleArn: undefined })))
      .toThrow(`${WHERE}: ${mechanism} needs roleArn, the literal ARN the ServiceAccount carries.`);
  });

  test('GIVEN IRSA with a token as role ARN WHEN validated THEN the IAM rule refuses it', () => {
    expect(() => WorkloadBindingFile.validate(irsa({ roleArn: 'arn:aws:iam::${Token[AWS.AccountId.7]}:role/payment' })))
      .toThrow('it is an unresolved CDK token, and the Kubernetes manifest needs the literal ARN');
  });

  test('GIVEN Pod Identity with IRSA settings WHEN validated THEN it is rejected', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ irsa: { stsRegionalEndpoints: true } })))
      .toThrow(`${WHERE}: Pod Identity ServiceAccounts carry no IRSA settings, found irsa {"stsRegionalEndpoints":true}. ` +
        'Remove them, or use mechanism BOTH while migrating from IRSA.');
  });

  test.each([
    [600, '600'], [3600.5, '3600.5'], ['3600' as any, '"3600"'],
  ])('GIVEN tokenExpirationSeconds %s WHEN validated THEN the webhook\'s rule is the message', (seconds, shown) => {
    expect(() => WorkloadBindingFile.validate(irsa({ irsa: { tokenExpirationSeconds: seconds } })))
      .toThrow(`${WHERE}: irsa.tokenExpirationSeconds ${shown} must be a whole number of seconds, at least 3600 (the EKS pod identity webhook's minimum).`);
  });

  test('GIVEN stsRegionalEndpoints that is not a boolean WHEN validated THEN it is rejected', () => {
    expect(() => WorkloadBindingFile.validate(irsa({ irsa: { stsRegionalEndpoints: 'yes' as any } })))
      .toThrow(`${WHERE}: irsa.stsRegionalEndpoints must be true or false, got "yes".`);
  });

  test('GIVEN an IRSA setting the format does not know WHEN validated THEN it is named', () => {
    expect(() => WorkloadBindingFile.validate(irsa({ irsa: { audiences: ['a'] } as any })))
      .toThrow(`${WHERE.replace('Invalid ', 'Invalid irsa of the ')}: unknown field 'audiences'; the fields are audience, stsRegionalEndpoints, tokenExpirationSeconds.`);
  });

  test('GIVEN an unknown mechanism WHEN validated THEN it is rejected with the known ones', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ mechanism: 'WEB_IDENTITY' as IdentityMechanism })))
      .toThrow(`${WHERE}: mechanism 'WEB_IDENTITY' is not one of IRSA, POD_IDENTITY, BOTH.`);
  });

  test('GIVEN an invalid namespace WHEN validated THEN the namespace rule is the message', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ namespace: 'Payments' })))
      .toThrow("Invalid namespace 'Payments'");
  });
});

describe('serviceAccountAnnotations', () => {
  test.each<[string, WorkloadBinding, { [key: string]: string }]>([
    ['IRSA', irsa(), { 'eks.amazonaws.com/role-arn': ROLE_ARN }],
    ['IRSA with the default audience', irsa({ irsa: { audience: 'sts.amazonaws.com' } }), { 'eks.amazonaws.com/role-arn': ROLE_ARN }],
    ['IRSA with every setting', irsa({ irsa: { audience: 'vault', stsRegionalEndpoints: true, tokenExpirationSeconds: 7200 } }), {
      'eks.amazonaws.com/role-arn': ROLE_ARN,
      'eks.amazonaws.com/audience': 'vault',
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
      'eks.amazonaws.com/token-expiration': '7200',
    }],
    ['BOTH', irsa({ mechanism: IdentityMechanism.BOTH }), { 'eks.amazonaws.com/role-arn': ROLE_ARN }],
    ['Pod Identity, even with its role ARN', podIdentity({ roleArn: ROLE_ARN }), {}],
  ])('GIVEN %s WHEN rendered THEN the ServiceAccount carries exactly these annotations', (_, binding, annotations) => {
    expect(serviceAccountAnnotations(binding)).toEqual(annotations);
  });
});

describe('WorkloadBindingFile.toJson / fromJson (format version 2)', () => {
  const bindings = [
    irsa({ clusterArn: CLUSTER_ARN, irsa: { tokenExpirationSeconds: 3600, audience: 'vault' } }),
    podIdentity({ namespace: 'reporting', serviceAccountName: 'report' }),
  ];

  test('GIVEN bindings WHEN serialized THEN fields come in a stable order and absent ones are omitted', () => {
    // Keys given in another order must not change the file: it is diffed and committed.
    const shuffled = bindings.map(b => Object.fromEntries(Object.entries(b).reverse()) as unknown as WorkloadBinding);
    const json = WorkloadBindingFile.toJson(shuffled);

    expect(json).toBe(WorkloadBindingFile.toJson(bindings));
    expect(json).toBe(`{
  "version": 2,
  "bindings": [
    {
      "clusterName": "campus",
      "clusterArn": "${CLUSTER_ARN}",
      "namespace": "payments",
      "serviceAccountName": "payment",
      "mechanism": "IRSA",
      "roleArn": "${ROLE_ARN}",
      "irsa": {
        "audience": "vault",
        "tokenExpirationSeconds": 3600
      }
    },
    {
      "clusterName": "campus",
      "namespace": "reporting",
      "serviceAccountName": "report",
      "mechanism": "POD_IDENTITY"
    }
  ]
}
`);
  });

  test('GIVEN serialized bindings WHEN parsed THEN the same bindings come back, and serialize to the same text', () => {
    const json = WorkloadBindingFile.toJson(bindings);
    const parsed = WorkloadBindingFile.fromJson(json);

    expect(parsed).toEqual(bindings);
    expect(parsed[1]).not.toHaveProperty('roleArn');
    expect(WorkloadBindingFile.toJson(parsed)).toBe(json);
  });

  test('GIVEN a field the format does not know WHEN parsed THEN it is named, not dropped', () => {
    expect(() => WorkloadBindingFile.fromJson(JSON.stringify({ version: 2, bindings: [{ ...podIdentity(), serviceAccountAnnotations: {} }] })))
      .toThrow("Invalid binding #1: unknown field 'serviceAccountAnnotations'; the fields are clusterName, clusterArn, namespace, serviceAccountName, mechanism, roleArn, irsa, migration, subjectPattern, fargateSelectors, mechanismReason.");
  });

  test('GIVEN an invalid binding WHEN serialized THEN nothing is written and the binding is named', () => {
    expect(() => WorkloadBindingFile.toJson([podIdentity({ irsa: { audience: 'vault' } })]))
      .toThrow(`${WHERE}: Pod Identity ServiceAccounts carry no IRSA settings`);
  });

  test('GIVEN text that is not JSON WHEN parsed THEN the parser message is included', () => {
    let parserMessage = '';
    try { JSON.parse('not json'); } catch (e) { parserMessage = (e as Error).message; }
    expect(() => WorkloadBindingFile.fromJson('not json')).toThrow(`Invalid bindings document: not JSON (${parserMessage}).`);
  });

  test.each([
    ['version 0', '{"version": 0, "bindings": []}', 'version 0'],
    ['no version', '{"bindings": []}', 'version undefined'],
    ['a string version', '{"version": "2", "bindings": []}', 'version "2"'],
    ['null', 'null', 'version undefined'],
    ['an array', '[]', 'version undefined'],
    ['no bindings', '{"version": 2}', '"bindings" is undefined'],
    ['bindings as an object', '{"version": 1, "bindings": {}}', '"bindings" is {}'],
  ])('GIVEN a document with %s WHEN parsed THEN it is rejected', (_what, json, got) => {
    expect(() => WorkloadBindingFile.fromJson(json))
      .toThrow(`Invalid bindings document: expected {"version": 2, "bindings": [...]} (or version 1, or 3 with "subjectPatterns"), got ${got}.`);
  });

  test('GIVEN a document of a later format WHEN parsed THEN the fix is to upgrade the reader', () => {
    expect(() => WorkloadBindingFile.fromJson('{"version": 4, "bindings": []}')).toThrow(new Error(
      'Invalid bindings document: expected {"version": 2, "bindings": [...]} (or version 1, or 3 with "subjectPatterns"), got version 4. ' +
      'A later release of cdk-eks-workload-identity wrote it: upgrade the package where the file is read to the writer\'s version.'));
  });

  test('GIVEN a null binding WHEN parsed THEN its position is named', () => {
    expect(() => WorkloadBindingFile.fromJson(JSON.stringify({ version: 2, bindings: [podIdentity(), null] })))
      .toThrow('Invalid bindings document: binding #2 must be an object, got null.');
  });

  test('GIVEN a binding whose cluster name is a CDK token WHEN written to JSON THEN it is rejected, naming the ServiceAccount', () => {
    const binding = podIdentity({ clusterName: '${Token[TOKEN.123]}', namespace: 'analytics', serviceAccountName: 'report-reader' });
    expect(() => WorkloadBindingFile.toJson([binding])).toThrow(
      "Cannot write the binding for 'analytics/report-reader': its cluster name '${Token[TOKEN.123]}' is an unresolved CDK token " +
      '(a cluster created in this app). Write bindings of clusters known by a literal name, or render this ServiceAccount in the same app from WorkloadIdentity.primaryBinding.');
  });
});

describe('WorkloadBindingFile.fromJson (format version 1, written by earlier releases)', () => {
  /** A version 1 document of one binding. */
  function version1(binding: object): string {
    return JSON.stringify({ version: 1, bindings: [binding] });
  }
  const V1_IRSA = {
    clusterName: 'campus', namespace: 'payments', serviceAccountName: 'payment', mechanism: 'IRSA', roleArn: ROLE_ARN,
    serviceAccountAnnotations: {
      'eks.amazonaws.com/role-arn': ROLE_ARN,
      'eks.amazonaws.com/audience': 'vault',
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
      'eks.amazonaws.com/token-expiration': '7200',
    },
  };

  test('GIVEN an IRSA binding with every annotation WHEN read THEN it becomes intent that renders the same annotations', () => {
    const [binding] = WorkloadBindingFile.fromJson(version1(V1_IRSA));

    expect(binding).toEqual(irsa({ irsa: { audience: 'vault', stsRegionalEndpoints: true, tokenExpirationSeconds: 7200 } }));
    expect(serviceAccountAnnotations(binding)).toEqual(V1_IRSA.serviceAccountAnnotations);
    expect(WorkloadBindingFile.toJson([binding])).toContain('"version": 2');
  });

  test('GIVEN a binding whose role ARN is only in its annotation WHEN read THEN roleArn carries it', () => {
    const [binding] = WorkloadBindingFile.fromJson(version1({ ...V1_IRSA, roleArn: undefined, serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN } }));
    expect(binding).toEqual(irsa());
  });

  test('GIVEN a version 1 Pod Identity binding with empty annotations WHEN read THEN it comes back as intent', () => {
    expect(WorkloadBindingFile.fromJson(version1({ ...podIdentity(), serviceAccountAnnotations: {} }))).toEqual([podIdentity()]);
  });

  test.each([
    ['migration', { migration: { to: 'POD_IDENTITY', phase: 'PREPARED' } }],
    ['clusterArn', { clusterArn: CLUSTER_ARN }],
    ['irsa', { irsa: { audience: 'vault' } }],
  ])('GIVEN a version 1 binding with %s, which version 1 cannot carry WHEN read THEN it is refused with the fix: version 2 (issue 18)', (field, extra) => {
    // GIVEN a version 1 file edited or merged by hand: reading it as version 1 would drop the field
    const json = version1({ ...podIdentity(), ...extra });
    // WHEN / THEN
    expect(() => WorkloadBindingFile.fromJson(json)).toThrow(
      `Invalid binding #1 of a version 1 bindings document: '${field}' is not part of format version 1, and reading it as version 1 would drop it. ` +
      'Set "version": 2 (the format WorkloadOutputs.synth and WorkloadBindingFile.toJson write), or write the file again from the CDK app.');
  });

  test('GIVEN a version 1 binding with an unknown field WHEN read THEN it is refused, naming it (issue 18)', () => {
    expect(() => WorkloadBindingFile.fromJson(version1({ ...podIdentity(), serviceAccountAnnotations: {}, extra: 'x' }))).toThrow(
      "Invalid binding #1 of a version 1 bindings document: unknown field 'extra'; the fields of version 1 are " +
      'clusterName, namespace, serviceAccountName, mechanism, roleArn, serviceAccountAnnotations. Remove it, or write the file again from the CDK app (version 2).');
  });

  test('GIVEN an annotation that is not the library\'s WHEN read THEN it is refused with where it belongs', () => {
    expect(() => WorkloadBindingFile.fromJson(version1({ ...podIdentity(), serviceAccountAnnotations: { 'example.com/team': 'payments' } })))
      .toThrow(`${WHERE}: annotation 'example.com/team' is not the library's. ` + "Bindings (version 2) hold only what the library renders; " +
        "set other annotations with WorkloadServiceAccount's annotations.");
  });

  test('GIVEN a Pod Identity binding with a role-arn annotation WHEN read THEN it is rejected', () => {
    expect(() => WorkloadBindingFile.fromJson(version1({ ...podIdentity(), serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN } })))
      .toThrow(`${WHERE}: Pod Identity ServiceAccounts carry no IRSA annotations, found eks.amazonaws.com/role-arn.`);
  });

  test('GIVEN an IRSA binding without a role ARN WHEN read THEN it is rejected', () => {
    expect(() => WorkloadBindingFile.fromJson(version1({ ...V1_IRSA, roleArn: undefined, serviceAccountAnnotations: {} })))
      .toThrow(`${WHERE}: IRSA needs roleArn, the literal ARN the ServiceAccount carries.`);
  });

  test('GIVEN roleArn and annotation that differ WHEN read THEN it is rejected', () => {
    const other = 'arn:aws:iam::123456789012:role/campus-report';
    expect(() => WorkloadBindingFile.fromJson(version1({ ...V1_IRSA, roleArn: other })))
      .toThrow(`${WHERE}: roleArn '${other}' differs from its annotation '${ROLE_ARN}'.`);
  });

  test('GIVEN annotations that are a string WHEN read THEN they are rejected, not split into characters', () => {
    expect(() => WorkloadBindingFile.fromJson(version1({ ...podIdentity(), serviceAccountAnnotations: 'xy' })))
      .toThrow(`${WHERE}: serviceAccountAnnotations must be an object of strings, got "xy".`);
  });
});

describe('WorkloadBindingFile.writeFile / readFile', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-bindings-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('GIVEN bindings WHEN written to a new folder and read back THEN the file is toJson and the bindings are equal', () => {
    const bindings = [irsa(), podIdentity({ namespace: 'reporting', serviceAccountName: 'report' })];
    const file = path.join(dir, 'nested', 'deeper', 'bindings.json');

    WorkloadBindingFile.writeFile(file, bindings);

    expect(fs.readFileSync(file, 'utf-8')).toBe(WorkloadBindingFile.toJson(bindings));
    expect(WorkloadBindingFile.readFile(file)).toEqual(bindings);
  });

  test('GIVEN an invalid binding WHEN written THEN no file is created', () => {
    const file = path.join(dir, 'bindings.json');
    expect(() => WorkloadBindingFile.writeFile(file, [irsa({ roleArn: undefined })])).toThrow(`${WHERE}: IRSA needs roleArn`);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('GIVEN no file at the path WHEN read THEN the error names the path looked at and who writes the file', () => {
    const file = path.join(dir, 'bindings', 'campus.json');
    expect(() => WorkloadBindingFile.readFile(file)).toThrow(new Error(
      `Cannot read bindings file '${file}' (${file}): no such file. ` +
      'The CDK app writes it at the end of a successful synth, with WorkloadOutputs.synth({ apps, bindingsFiles: [{ file, bindings }] }); ' +
      'copy it here, or pass its path (a relative path is read from the working directory).'));
  });

  test('GIVEN a file edited to an invalid binding WHEN read THEN it is rejected', () => {
    const file = path.join(dir, 'bindings.json');
    WorkloadBindingFile.writeFile(file, [podIdentity()]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace('"mechanism": "POD_IDENTITY"', '"mechanism": "POD_IDENTITY", "irsa": {"audience": "vault"}'));

    expect(() => WorkloadBindingFile.readFile(file)).toThrow(`${WHERE}: Pod Identity ServiceAccounts carry no IRSA settings`);
  });
});

describe('a bindings file names each ServiceAccount once (issue 18)', () => {
  const OTHER_ROLE = 'arn:aws:iam::123456789012:role/campus-admin';

  test('GIVEN a merged file with one ServiceAccount twice, with two roles WHEN read THEN it is refused, naming both', () => {
    // GIVEN
    const json = JSON.stringify({ version: 2, bindings: [irsa(), podIdentity({ serviceAccountName: 'refund' }), irsa({ roleArn: OTHER_ROLE })] });
    // WHEN / THEN
    expect(() => WorkloadBindingFile.fromJson(json)).toThrow(
      `Binding #1 and binding #3 are both for ServiceAccount 'payments/payment' on cluster 'campus' (role '${ROLE_ARN}' (IRSA) and role '${OTHER_ROLE}' (IRSA)); ` +
      'a ServiceAccount has one role and is written once per cluster. ' +
      'Remove the one that is not what the CDK app declares (a merge of two files, or an edit?), or write the file again with WorkloadOutputs.synth.');
  });

  test('GIVEN the same binding twice WHEN written THEN it is refused', () => {
    expect(() => WorkloadBindingFile.toJson([podIdentity(), podIdentity()])).toThrow(
      "Binding #1 and binding #2 are both for ServiceAccount 'payments/payment' on cluster 'campus' (both POD_IDENTITY (role associated in AWS)); " +
      "a ServiceAccount has one role and is written once per cluster. Pass each ServiceAccount's binding once (WorkloadIdentity.bindings of each identity, not concatenated twice).");
  });

  test('GIVEN one ServiceAccount on two same-named clusters of two accounts WHEN read THEN both are kept: they are two clusters', () => {
    const json = JSON.stringify({ version: 2, bindings: [
      podIdentity({ clusterArn: CLUSTER_ARN }),
      podIdentity({ clusterArn: 'arn:aws:eks:eu-west-1:210987654321:cluster/campus' }),
    ] });
    expect(WorkloadBindingFile.fromJson(json)).toHaveLength(2);
  });
});

describe('a role ARN is checked against what the binding says of its cluster (issue 18)', () => {
  test('GIVEN a role ARN edited to another partition than the cluster WHEN read THEN it is refused', () => {
    // GIVEN an IRSA binding of a GovCloud cluster whose roleArn was edited to the commercial partition
    const json = JSON.stringify({ version: 2, bindings: [irsa({ clusterArn: 'arn:aws-us-gov:eks:us-gov-west-1:123456789012:cluster/campus' })] });
    // WHEN / THEN
    expect(() => WorkloadBindingFile.fromJson(json)).toThrow(
      `${WHERE}: roleArn '${ROLE_ARN}' is in partition 'aws' but the cluster 'arn:aws-us-gov:eks:us-gov-west-1:123456789012:cluster/campus' is in 'aws-us-gov'; ` +
      'IAM roles are assumed only from their own partition. Write the binding again from the WorkloadIdentity, or correct roleArn to the role of that partition.');
  });

  test('GIVEN a Pod Identity role ARN edited to another account than the cluster WHEN read THEN it is refused', () => {
    const json = JSON.stringify({ version: 2, bindings: [irsa({ mechanism: IdentityMechanism.BOTH, clusterArn: CLUSTER_ARN, roleArn: 'arn:aws:iam::210987654321:role/campus-payment' })] });
    expect(() => WorkloadBindingFile.fromJson(json)).toThrow(
      `${WHERE}: roleArn 'arn:aws:iam::210987654321:role/campus-payment' is in account 210987654321 but the cluster '${CLUSTER_ARN}' is in account 123456789012; ` +
      "EKS Pod Identity (mechanism BOTH) passes a role of the cluster's own account. " +
      "Write the binding again from the WorkloadIdentity, or correct roleArn to the role of the cluster's account (a role of another account is reached as a target role).");
  });

  test('GIVEN an IRSA role in another account than the cluster WHEN read THEN it is accepted: IRSA trusts through the role account\'s provider', () => {
    const json = JSON.stringify({ version: 2, bindings: [irsa({ clusterArn: CLUSTER_ARN, roleArn: 'arn:aws:iam::210987654321:role/campus-payment' })] });
    expect(WorkloadBindingFile.fromJson(json)).toHaveLength(1);
  });
});
