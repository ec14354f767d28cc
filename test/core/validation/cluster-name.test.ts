import { validateClusterName } from '../../../lib/core/validation';

const RULE = "A cluster name has 1-100 characters: letters, digits, '-' and '_', starting with a letter or digit " +
  '(the EKS CreateCluster rule, which also applies to the label of a cluster that is not EKS).';
const FIX = 'Pass the name exactly as `aws eks list-clusters` prints it, or for a cluster that is not EKS a label by that rule';
const POLICY_VARIABLE = "contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared";

describe('validateClusterName', () => {
  test.each([
    ['campus'], ['a'], ['0'], ['Campus_DR-2'], ['c'.repeat(100)],
    // A created cluster's name is a token: CloudFormation resolves it.
    ['${Token[TOKEN.123]}'], ['prod-${Token[TOKEN.123]}'],
  ])('GIVEN %j WHEN validated THEN it is accepted', (name) => {
    expect(() => validateClusterName(name)).not.toThrow();
  });

  // Issue 10 §2: each of these reached the trust policy and the YAML before.
  test.each([
    ['whitespace', 'my cluster', 'contains whitespace (U+0020)', 'my-cluster'],
    ['a tab', 'my\tcluster', 'contains the control character U+0009', 'my-cluster', 'my\\u0009cluster'],
    ['a newline', 'campus\n', 'contains the control character U+000A', 'campus-', 'campus\\u000A'],
    ['a wildcard', 'camp*', "contains '*', a wildcard", 'camp-'],
    ['a slash', 'team/campus', "contains '/'", 'team-campus'],
    ['a colon', 'team:campus', "contains ':'", 'team-campus'],
    ['a dot', 'edge.example', "contains '.'", 'edge-example'],
    ['non-ASCII', 'campüs', 'contains the non-ASCII character U+00FC', 'camp-s', 'camp\\u00FCs'],
    ['an invisible character', 'cam\u200bpus', 'contains the invisible formatting character U+200B', 'cam-pus', 'cam\\u200Bpus'],
    ['a policy variable', '${aws:PrincipalTag/cluster}', POLICY_VARIABLE, 'aws-PrincipalTag-cluster-'],
    ['a policy variable after a literal', 'campus-${aws:username}', POLICY_VARIABLE, 'campus-aws-username-'],
    ['a leading hyphen', '-campus', "starts with '-'", 'campus'],
    ['a leading underscore', '_campus', "starts with '_'", 'campus'],
    ['101 characters', 'c'.repeat(101), 'has 101 characters', 'c'.repeat(100)],
    ['300 characters', 'c'.repeat(300), 'has 300 characters', 'c'.repeat(100), `${'c'.repeat(160)}…`],
    ['no character', '', 'is empty', 'my-cluster'],
  ])('GIVEN a cluster name with %s WHEN validated THEN the error names it, the rule and a valid name', (_what, name, why, suggestion, shown = name) => {
    // Invisible characters are shown escaped, and long values cut after 160 characters.
    expect(() => validateClusterName(name)).toThrow(`Invalid cluster name '${shown}': it ${why}. ${RULE} ${FIX}, e.g. '${suggestion}'.`);
  });

  test('GIVEN a token with a space beside it WHEN validated THEN the literal text is still checked', () => {
    expect(() => validateClusterName('my ${Token[TOKEN.1]}')).toThrow("Invalid cluster name 'my ${Token[TOKEN.1]}': it contains whitespace (U+0020).");
  });

  test.each([[undefined], [null]])('GIVEN %s WHEN validated THEN the library says it is missing, not a TypeError', (name) => {
    expect(() => validateClusterName(name)).toThrow(`The cluster name is missing (got ${name}). ${FIX}.`);
  });

  test('GIVEN a number WHEN validated THEN the library says it must be a string', () => {
    expect(() => validateClusterName(42)).toThrow(`The cluster name must be a string, got 42. ${FIX}.`);
  });
});
