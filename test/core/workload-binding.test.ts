import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding, WorkloadBindingFile } from '../../lib/core/workload-binding';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/campus-payment';
const WHERE = "Invalid binding for 'payments/payment' on cluster 'campus'";

function irsa(overrides: Partial<WorkloadBinding> = {}): WorkloadBinding {
  return {
    clusterName: 'campus',
    namespace: 'payments',
    serviceAccountName: 'payment',
    mechanism: IdentityMechanism.IRSA,
    roleArn: ROLE_ARN,
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN },
    ...overrides,
  };
}

function podIdentity(overrides: Partial<WorkloadBinding> = {}): WorkloadBinding {
  return {
    clusterName: 'campus',
    namespace: 'payments',
    serviceAccountName: 'payment',
    mechanism: IdentityMechanism.POD_IDENTITY,
    serviceAccountAnnotations: {},
    ...overrides,
  };
}

describe('WorkloadBindingFile.validate', () => {
  test.each([
    ['IRSA', irsa()],
    ['IRSA without roleArn', irsa({ roleArn: undefined })],
    ['IRSA with a role path', irsa({
      roleArn: 'arn:aws:iam::123456789012:role/service/payments/payment',
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/service/payments/payment' },
    })],
    ['IRSA in aws-cn', irsa({
      roleArn: undefined,
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws-cn:iam::123456789012:role/payment' },
    })],
    ['IRSA with token settings', irsa({
      serviceAccountAnnotations: {
        'eks.amazonaws.com/role-arn': ROLE_ARN,
        'eks.amazonaws.com/audience': 'sts.amazonaws.com',
        'eks.amazonaws.com/sts-regional-endpoints': 'true',
        'eks.amazonaws.com/token-expiration': '3600',
      },
    })],
    ['BOTH', irsa({ mechanism: IdentityMechanism.BOTH })],
    ['Pod Identity', podIdentity()],
    ['Pod Identity with its role ARN', podIdentity({ roleArn: ROLE_ARN })],
    ['Pod Identity with other annotations', podIdentity({ serviceAccountAnnotations: { 'example.com/team': 'payments' } })],
  ])('GIVEN a valid %s binding WHEN validated THEN it is accepted', (_what, binding) => {
    expect(() => WorkloadBindingFile.validate(binding)).not.toThrow();
  });

  test.each([IdentityMechanism.IRSA, IdentityMechanism.BOTH])(
    'GIVEN %s without the role-arn annotation WHEN validated THEN it is rejected', (mechanism) => {
      expect(() => WorkloadBindingFile.validate(irsa({ mechanism, roleArn: undefined, serviceAccountAnnotations: {} })))
        .toThrow(`${WHERE}: ${mechanism} needs the annotation 'eks.amazonaws.com/role-arn' with a literal role ARN, got ''.`);
    });

  test.each([
    ['an unresolved token', '${Token[TOKEN.42]}'],
    ['a token as role name', 'arn:aws:iam::123456789012:role/${Token[TOKEN.42]}'],
    ['a token in the role path', 'arn:aws:iam::123456789012:role/${Token[TOKEN.42]}/payment'],
    ['an unresolved account', 'arn:aws:iam::${Token[AWS.AccountId.7]}:role/payment'],
  ])('GIVEN IRSA with %s as role ARN WHEN validated THEN it is rejected as not literal', (_what, arn) => {
    expect(() => WorkloadBindingFile.validate(irsa({ roleArn: undefined, serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': arn } })))
      .toThrow(`Invalid eks.amazonaws.com/role-arn annotation of the ${WHERE.replace('Invalid ', '')} '${arn}': it is an unresolved CDK token, ` +
        "and the Kubernetes manifest needs the literal ARN. Pass the role's ARN as `aws iam get-role --query Role.Arn` prints it.");
  });

  test.each([
    ['a user ARN', 'arn:aws:iam::123456789012:user/payment', "its resource 'user/payment' does not start with 'role/'"],
    ['an 11-digit account', 'arn:aws:iam::12345678901:role/payment', "its account '12345678901' has 11 digits; an AWS account id has exactly 12"],
    ['an empty role name', 'arn:aws:iam::123456789012:role/', "its role name '' is not 1-64 letters, digits or + = , . @ _ -"],
    ['a role name with a space', 'arn:aws:iam::123456789012:role/pay ment', 'it contains whitespace (U+0020)'],
    ['a role name of 65 characters', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, `its role name '${'r'.repeat(65)}' is not 1-64 letters, digits or + = , . @ _ -`],
    ['a bare role name', 'campus-payment', 'it is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)'],
    ['a wildcard', 'arn:aws:iam::123456789012:role/*', "it contains '*', a wildcard"],
    ['a policy variable', 'arn:aws:iam::123456789012:role/${aws:username}',
      "it contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared"],
  ])('GIVEN IRSA with %s as role ARN WHEN validated THEN it is rejected by the IAM rule', (_what, arn, why) => {
    expect(() => WorkloadBindingFile.validate(irsa({ roleArn: undefined, serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': arn } })))
      .toThrow(`Invalid eks.amazonaws.com/role-arn annotation of the ${WHERE.replace('Invalid ', '')} '${arn}': ${why}. ` +
        'An IAM role ARN is arn:<partition>:iam::<12-digit account>:role/<optional path/><role name of 1-64 letters, digits or + = , . @ _ ->. ' +
        "Pass the role's ARN as `aws iam get-role --query Role.Arn` prints it.");
  });

  test('GIVEN IRSA whose roleArn differs from its annotation WHEN validated THEN it is rejected', () => {
    const other = 'arn:aws:iam::123456789012:role/campus-report';
    expect(() => WorkloadBindingFile.validate(irsa({ roleArn: other })))
      .toThrow(`${WHERE}: roleArn '${other}' differs from its annotation '${ROLE_ARN}'.`);
  });

  test.each([
    ['eks.amazonaws.com/role-arn', ROLE_ARN],
    ['eks.amazonaws.com/audience', 'sts.amazonaws.com'],
    ['eks.amazonaws.com/sts-regional-endpoints', 'true'],
    ['eks.amazonaws.com/token-expiration', '3600'],
    // The whole prefix is the webhook's, not only the four keys it reads today.
    ['eks.amazonaws.com/some-future-key', 'x'],
  ])('GIVEN Pod Identity with %s WHEN validated THEN it is rejected', (key, value) => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ serviceAccountAnnotations: { 'example.com/team': 'payments', [key]: value } })))
      .toThrow(`${WHERE}: Pod Identity ServiceAccounts carry no IRSA annotations, found ${key}. ` +
        'Remove them, or use mechanism BOTH while migrating from IRSA.');
  });

  test('GIVEN an unknown mechanism WHEN validated THEN it is rejected with the known ones', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ mechanism: 'WEB_IDENTITY' as IdentityMechanism })))
      .toThrow(`${WHERE}: mechanism 'WEB_IDENTITY' is not one of IRSA, POD_IDENTITY, BOTH.`);
  });

  test('GIVEN no clusterName WHEN validated THEN it is rejected', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ clusterName: '' })))
      .toThrow("Invalid cluster name '': it is empty.");
  });

  test('GIVEN an invalid namespace WHEN validated THEN the namespace rule is the message', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ namespace: 'Payments' })))
      .toThrow("Invalid namespace 'Payments': a Kubernetes namespace must be an RFC 1123 label");
  });

  test('GIVEN an invalid ServiceAccount name WHEN validated THEN the name rule is the message', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ serviceAccountName: 'pay..ment' })))
      .toThrow("Invalid ServiceAccount name 'pay..ment': it must be an RFC 1123 subdomain");
  });

  test('GIVEN a non-string annotation value WHEN validated THEN it is rejected', () => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ serviceAccountAnnotations: { 'example.com/replicas': 3 as any } })))
      .toThrow(`${WHERE}: annotation 'example.com/replicas' must be a string, got 3.`);
  });

  test.each([
    ['a string', 'xy'],
    ['an array', ['a']],
  ])('GIVEN annotations that are %s WHEN validated THEN they are rejected', (_what, annotations) => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ serviceAccountAnnotations: annotations as any })))
      .toThrow(`${WHERE}: serviceAccountAnnotations must be an object of strings, got ${JSON.stringify(annotations)}.`);
  });

  test.each([[null], [undefined]])('GIVEN Pod Identity annotations %s WHEN validated THEN they mean none', (annotations) => {
    expect(() => WorkloadBindingFile.validate(podIdentity({ serviceAccountAnnotations: annotations as any }))).not.toThrow();
  });
});

describe('WorkloadBindingFile.toJson / fromJson', () => {
  const bindings = [
    irsa({
      serviceAccountAnnotations: {
        'eks.amazonaws.com/token-expiration': '3600',
        'eks.amazonaws.com/role-arn': ROLE_ARN,
        'eks.amazonaws.com/audience': 'sts.amazonaws.com',
      },
    }),
    podIdentity({ namespace: 'reporting', serviceAccountName: 'report' }),
  ];

  test('GIVEN bindings WHEN serialized THEN keys come in a stable order and an absent roleArn is omitted', () => {
    // Keys given in another order must not change the file: it is diffed and committed.
    const shuffled = bindings.map(b => Object.fromEntries(Object.entries(b).reverse()) as unknown as WorkloadBinding);
    const json = WorkloadBindingFile.toJson(shuffled);

    expect(json).toBe(WorkloadBindingFile.toJson(bindings));
    expect(json).toBe(`{
  "version": 1,
  "bindings": [
    {
      "clusterName": "campus",
      "namespace": "payments",
      "serviceAccountName": "payment",
      "mechanism": "IRSA",
      "roleArn": "${ROLE_ARN}",
      "serviceAccountAnnotations": {
        "eks.amazonaws.com/audience": "sts.amazonaws.com",
        "eks.amazonaws.com/role-arn": "${ROLE_ARN}",
        "eks.amazonaws.com/token-expiration": "3600"
      }
    },
    {
      "clusterName": "campus",
      "namespace": "reporting",
      "serviceAccountName": "report",
      "mechanism": "POD_IDENTITY",
      "serviceAccountAnnotations": {}
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

  test('GIVEN fields the format does not know WHEN parsed THEN they are dropped', () => {
    const parsed = WorkloadBindingFile.fromJson(JSON.stringify({ version: 1, bindings: [{ ...podIdentity(), extra: 'x' }] }));
    expect(parsed).toEqual([podIdentity()]);
  });

  test('GIVEN an invalid binding WHEN serialized THEN nothing is written and the binding is named', () => {
    expect(() => WorkloadBindingFile.toJson([podIdentity({ serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN } })]))
      .toThrow(`${WHERE}: Pod Identity ServiceAccounts carry no IRSA annotations, found eks.amazonaws.com/role-arn.`);
  });

  test('GIVEN text that is not JSON WHEN parsed THEN the parser message is included', () => {
    let parserMessage = '';
    try { JSON.parse('not json'); } catch (e) { parserMessage = (e as Error).message; }
    expect(() => WorkloadBindingFile.fromJson('not json')).toThrow(`Invalid bindings document: not JSON (${parserMessage}).`);
  });

  test.each([
    ['version 2', '{"version": 2, "bindings": []}', 'version 2'],
    ['no version', '{"bindings": []}', 'version undefined'],
    ['a string version', '{"version": "1", "bindings": []}', 'version "1"'],
    ['null', 'null', 'version undefined'],
    ['an array', '[]', 'version undefined'],
    ['no bindings', '{"version": 1}', '"bindings" is undefined'],
    ['bindings as an object', '{"version": 1, "bindings": {}}', '"bindings" is {}'],
  ])('GIVEN a document with %s WHEN parsed THEN it is rejected', (_what, json, got) => {
    expect(() => WorkloadBindingFile.fromJson(json))
      .toThrow(`Invalid bindings document: expected {"version": 1, "bindings": [...]}, got ${got}.`);
  });

  test('GIVEN a null binding WHEN parsed THEN its position is named', () => {
    expect(() => WorkloadBindingFile.fromJson(JSON.stringify({ version: 1, bindings: [podIdentity(), null] })))
      .toThrow('Invalid bindings document: binding #2 must be an object, got null.');
  });

  test('GIVEN a binding that fails validation WHEN parsed THEN it is rejected', () => {
    const json = JSON.stringify({ version: 1, bindings: [{ ...irsa(), serviceAccountAnnotations: {} }] });
    expect(() => WorkloadBindingFile.fromJson(json))
      .toThrow(`${WHERE}: IRSA needs the annotation 'eks.amazonaws.com/role-arn' with a literal role ARN, got ''.`);
  });

  test('GIVEN annotations that are a string in the file WHEN parsed THEN they are rejected, not split into characters', () => {
    const json = JSON.stringify({ version: 1, bindings: [{ ...podIdentity(), serviceAccountAnnotations: 'xy' }] });
    expect(() => WorkloadBindingFile.fromJson(json))
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
    expect(() => WorkloadBindingFile.writeFile(file, [irsa({ serviceAccountAnnotations: {} })]))
      .toThrow(`${WHERE}: IRSA needs the annotation`);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('GIVEN a file edited to an invalid binding WHEN read THEN it is rejected', () => {
    const file = path.join(dir, 'bindings.json');
    WorkloadBindingFile.writeFile(file, [podIdentity()]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace('"serviceAccountAnnotations": {}',
      `"serviceAccountAnnotations": {"eks.amazonaws.com/role-arn": "${ROLE_ARN}"}`));

    expect(() => WorkloadBindingFile.readFile(file))
      .toThrow(`${WHERE}: Pod Identity ServiceAccounts carry no IRSA annotations, found eks.amazonaws.com/role-arn.`);
  });
});

test('GIVEN a binding whose cluster name is a CDK token WHEN written to JSON THEN it is rejected, naming the ServiceAccount', () => {
  const binding = {
    clusterName: '${Token[TOKEN.123]}',
    namespace: 'analytics',
    serviceAccountName: 'report-reader',
    mechanism: IdentityMechanism.POD_IDENTITY,
    serviceAccountAnnotations: {},
  };
  expect(() => WorkloadBindingFile.toJson([binding])).toThrow(
    "Cannot write the binding for 'analytics/report-reader': its cluster name '${Token[TOKEN.123]}' is an unresolved CDK token " +
    '(a cluster created in this app). Write bindings of clusters known by a literal name, or render this ServiceAccount in the same app from WorkloadIdentity.primaryBinding.');
});
