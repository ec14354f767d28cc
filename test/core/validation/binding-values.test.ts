/**
 * Issue 10 §2: a bindings file accepted values its constructors refuse. The
 * reader now applies the same rules (lib/core/validation) as the constructors.
 */
import { WorkloadBindingFile } from '../../../lib/core/workload-binding-file';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/campus-payment';
const BINDING = "binding for 'payments/payment' on cluster 'campus'";
const POLICY_VARIABLE = "contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared";

/** A bindings file of one IRSA binding, with `changes` applied to it. */
function file(changes: { [key: string]: unknown }, annotations: { [key: string]: string } = {}): string {
  const binding = {
    clusterName: 'campus', namespace: 'payments', serviceAccountName: 'payment', mechanism: 'IRSA', roleArn: ROLE_ARN,
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN, ...annotations },
    ...changes,
  };
  return JSON.stringify({ version: 1, bindings: [binding] });
}

/** A version 2 file of one IRSA binding (version 1 has no clusterArn), with `changes` applied to it. */
function file2(changes: { [key: string]: unknown }): string {
  return JSON.stringify({ version: 2, bindings: [{ clusterName: 'campus', namespace: 'payments', serviceAccountName: 'payment', mechanism: 'IRSA', roleArn: ROLE_ARN, ...changes }] });
}

describe('a bindings file accepts nothing its constructors refuse', () => {
  test('GIVEN a file the library writes WHEN read THEN it is accepted', () => {
    expect(WorkloadBindingFile.fromJson(file({}, { 'eks.amazonaws.com/audience': 'vault', 'eks.amazonaws.com/token-expiration': '7200' }))).toHaveLength(1);
  });

  test('GIVEN audience * WHEN read THEN the audience rule refuses it', () => {
    expect(() => WorkloadBindingFile.fromJson(file({}, { 'eks.amazonaws.com/audience': '*' })))
      .toThrow(`Invalid eks.amazonaws.com/audience annotation of the ${BINDING} '*': it contains '*', a wildcard. ` +
        "An OIDC audience (client id) has 1-255 characters, without whitespace, control characters, '*' or '${'.");
  });

  test('GIVEN an audience with a newline WHEN read THEN the audience rule refuses it', () => {
    expect(() => WorkloadBindingFile.fromJson(file({}, { 'eks.amazonaws.com/audience': 'sts.amazonaws.com\n' })))
      .toThrow(`Invalid eks.amazonaws.com/audience annotation of the ${BINDING} 'sts.amazonaws.com\\u000A': it contains the control character U+000A.`);
  });

  test.each([
    ['Example.com/team', "it has the prefix 'Example.com', which is not a lowercase DNS subdomain"],
    ['a/b/c', "it has more than one '/'"],
    ['team name', "it has the name 'team name', which is not letters, digits, '-', '_' or '.' between a letter or digit at each end"],
  ])('GIVEN the annotation key %j WHEN read THEN the Kubernetes rule refuses it', (key, why) => {
    expect(() => WorkloadBindingFile.fromJson(file({}, { [key]: 'x' })))
      .toThrow(`Invalid annotation key '${key}' of the ${BINDING}: ${why}.`);
  });

  test('GIVEN a policy variable as cluster name WHEN read THEN the cluster name rule refuses it', () => {
    expect(() => WorkloadBindingFile.fromJson(file({ clusterName: '${aws:PrincipalTag/cluster}' })))
      .toThrow(`Invalid cluster name '\${aws:PrincipalTag/cluster}': it ${POLICY_VARIABLE}.`);
  });

  test.each([
    ['whitespace', 'my cluster', 'it contains whitespace (U+0020)'],
    ['a slash', '../campus', "it starts with '.'"],
    ['a colon', 'team:campus', "it contains ':'"],
  ])('GIVEN a cluster name with %s WHEN read THEN the cluster name rule refuses it', (_what, clusterName, why) => {
    expect(() => WorkloadBindingFile.fromJson(file({ clusterName }))).toThrow(`Invalid cluster name '${clusterName}': ${why}.`);
  });

  test('GIVEN a policy variable in the role ARN WHEN read THEN the role ARN rule refuses it', () => {
    const arn = 'arn:aws:iam::123456789012:role/${aws:username}';
    expect(() => WorkloadBindingFile.fromJson(file({ roleArn: arn }, { 'eks.amazonaws.com/role-arn': arn })))
      .toThrow(`Invalid roleArn of the ${BINDING} '${arn}': it ${POLICY_VARIABLE}.`);
  });

  test('GIVEN a wildcard cluster ARN WHEN read THEN the cluster ARN rule refuses it', () => {
    expect(() => WorkloadBindingFile.fromJson(file2({ clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/*' })))
      .toThrow("Invalid EKS cluster ARN 'arn:aws:eks:eu-west-1:123456789012:cluster/*': its cluster name '*' contains '*', a wildcard.");
  });

  test('GIVEN a cluster ARN with a 2-digit account WHEN read THEN the cluster ARN rule refuses it', () => {
    expect(() => WorkloadBindingFile.fromJson(file2({ clusterArn: 'arn:aws:eks:eu-west-1:12:cluster/campus' })))
      .toThrow("Invalid EKS cluster ARN 'arn:aws:eks:eu-west-1:12:cluster/campus': its account '12' has 2 digits; an AWS account id has exactly 12.");
  });

  test('GIVEN a CDK token as cluster name WHEN read THEN it is refused: it means nothing outside its app', () => {
    expect(() => WorkloadBindingFile.fromJson(file({ clusterName: '${Token[TOKEN.12]}' })))
      .toThrow("Invalid clusterName '${Token[TOKEN.12]}' of the binding #1: it is an unresolved CDK token, which means nothing outside the app that made it.");
  });

  test.each([
    ['eks.amazonaws.com/token-expiration', '600', 'it must be a whole number of seconds, at least 3600 (the EKS pod identity webhook\'s minimum).'],
    ['eks.amazonaws.com/token-expiration', '1h', 'it must be a whole number of seconds, at least 3600 (the EKS pod identity webhook\'s minimum).'],
    ['eks.amazonaws.com/sts-regional-endpoints', 'yes', "it must be 'true' or 'false'."],
    ['eks.amazonaws.com/skip-containers', 'x', 'the library writes only eks.amazonaws.com/role-arn, eks.amazonaws.com/audience, ' +
      'eks.amazonaws.com/sts-regional-endpoints, eks.amazonaws.com/token-expiration under eks.amazonaws.com/. Remove it.'],
  ])('GIVEN %s %j WHEN read THEN the value is refused as the constructors would', (key, value, why) => {
    expect(() => WorkloadBindingFile.fromJson(file({}, { [key]: value }))).toThrow(`Invalid ${key} annotation of the ${BINDING} '${value}': ${why}`);
  });

  test.each([[undefined], [null]])('GIVEN the binding %s WHEN validated THEN the library says it is missing', (binding) => {
    expect(() => WorkloadBindingFile.validate(binding as any))
      .toThrow(`The binding is missing (got ${binding}). Pass WorkloadIdentity.primaryBinding, or one entry of a bindings file.`);
  });
});

// Every binding of a cluster carries the same cluster name and ARN: each pair is checked once per
// process (issue 22). What passed once is the exact pair; any other value is checked as before.
describe('the cluster checks, once per cluster', () => {
  const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:123456789012:cluster/campus';

  test('GIVEN a binding of a cluster that passed WHEN another names the same cluster with a wrong ARN THEN it is refused', () => {
    expect(WorkloadBindingFile.fromJson(file2({ clusterArn: CLUSTER_ARN }))).toHaveLength(1);
    expect(() => WorkloadBindingFile.fromJson(file2({ clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/other' })))
      .toThrow("Invalid EKS cluster ARN 'arn:aws:eks:eu-west-1:123456789012:cluster/other': it names cluster 'other', not 'campus'.");
  });

  test('GIVEN a binding without clusterArn that passed WHEN another has an empty clusterArn THEN it is refused', () => {
    expect(WorkloadBindingFile.fromJson(file2({}))).toHaveLength(1);
    expect(() => WorkloadBindingFile.fromJson(file2({ clusterArn: '' }))).toThrow("Invalid EKS cluster ARN '':");
  });

  test('GIVEN a cluster that passed WHEN a binding of it has a bad role ARN THEN the role is still checked', () => {
    expect(WorkloadBindingFile.fromJson(file2({ clusterArn: CLUSTER_ARN }))).toHaveLength(1);
    expect(() => WorkloadBindingFile.fromJson(file2({ clusterArn: CLUSTER_ARN, roleArn: 'arn:aws:iam::123456789012:user/campus' })))
      .toThrow("its resource 'user/campus' does not start with 'role/'");
  });

  test('GIVEN a cluster name that failed WHEN checked again THEN it fails again, with the same error', () => {
    const bad = () => WorkloadBindingFile.fromJson(file2({ clusterName: '-campus' }));
    expect(bad).toThrow("Invalid cluster name '-campus': it starts with '-'.");
    expect(bad).toThrow("Invalid cluster name '-campus': it starts with '-'.");
  });
});
