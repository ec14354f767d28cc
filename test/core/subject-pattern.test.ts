import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadBindingFile } from '../../lib/core/workload-binding-file';
import {
  iamLikeMatches, likePatternsOverlap, subjectPatternAnnotations, validateNamespacePattern, validateServiceAccountPattern,
} from '../../lib/core/subject-pattern';

describe('namespace patterns', () => {
  test.each([
    ['*', "Invalid namespacePattern '*': a pattern needs a literal prefix before its first '*' or '?' (e.g. 'pr-*', 'team-*'): " +
      "'*' there matches any namespace, including ones created later by anyone who may create them."],
    ['?r-*', "Invalid namespacePattern '?r-*': a pattern needs a literal prefix before its first '*' or '?' (e.g. 'pr-*', 'team-*'): " +
      "'?' there matches any namespace, including ones created later by anyone who may create them."],
    ['pr-*:web', "Invalid namespacePattern 'pr-*:web': it contains ':', which separates namespace and ServiceAccount name (system:serviceaccount:<namespace>:<name>), " +
      "and IAM's '*' and '?' match across it. Give the namespace and the name each their own pattern (namespacePattern: 'pr-*', serviceAccountName: 'web')."],
    ['pr-*/web', "Invalid namespacePattern 'pr-*/web': it contains '/', which separates namespace and ServiceAccount name (system:serviceaccount:<namespace>:<name>), " +
      "and IAM's '*' and '?' match across it. Give the namespace and the name each their own pattern (namespacePattern: 'pr-*', serviceAccountName: 'web')."],
    ['kube-*', "Invalid namespacePattern 'kube-*': it matches the cluster's own namespace 'kube-system' (default, kube-system, kube-public, kube-node-lease " +
      'and every kube-* namespace run the cluster itself). Bind a ServiceAccount there by its exact namespace, never by a pattern.'],
    ['kube-sys?em', "Invalid namespacePattern 'kube-sys?em': it matches the cluster's own namespace 'kube-system' (default, kube-system, kube-public, kube-node-lease " +
      'and every kube-* namespace run the cluster itself). Bind a ServiceAccount there by its exact namespace, never by a pattern.'],
    ['kube-x*', "Invalid namespacePattern 'kube-x*': it matches the cluster's own namespaces 'kube-*' (default, kube-system, kube-public, kube-node-lease " +
      'and every kube-* namespace run the cluster itself). Bind a ServiceAccount there by its exact namespace, never by a pattern.'],
    ['de*', "Invalid namespacePattern 'de*': it matches the cluster's own namespace 'default' (default, kube-system, kube-public, kube-node-lease " +
      'and every kube-* namespace run the cluster itself). Bind a ServiceAccount there by its exact namespace, never by a pattern.'],
    ['pr*', "Invalid namespacePattern 'pr*': its literal prefix 'pr' must end in '-' (e.g. 'pr-*'): IAM's '*' and '?' match any characters, " +
      "so 'pr*' also matches 'prx', a name that only begins with the same letters."],
    ['PR-*', "Invalid namespacePattern 'PR-*': 'P' is not in any namespace (lowercase letters, digits and '-', starting with a letter or digit), " +
      'and IAM compares case-sensitively: the pattern would match nothing the cluster sends. Write the literal part as the names are written.'],
    ['pr.*', "Invalid namespacePattern 'pr.*': '.' is not in any namespace (lowercase letters, digits and '-', starting with a letter or digit), " +
      'and IAM compares case-sensitively: the pattern would match nothing the cluster sends. Write the literal part as the names are written.'],
    ['-pr-*', "Invalid namespacePattern '-pr-*': '-' at the start is not in any namespace (lowercase letters, digits and '-', starting with a letter or digit), " +
      'and IAM compares case-sensitively: the pattern would match nothing the cluster sends. Write the literal part as the names are written.'],
    ['pr-*-', "Invalid namespacePattern 'pr-*-': no namespace can match it (names end with a letter or digit)."],
    [`pr-${'a'.repeat(61)}-?`, `Invalid namespacePattern 'pr-${'a'.repeat(61)}-?': no namespace can match it (at least 66 characters, the most is 63).`],
    ['pr-1', "Invalid namespacePattern 'pr-1': it has no '*' or '?', so it is a name, not a pattern. Pass it as namespace."],
    ['', "Invalid namespacePattern '': a pattern is a non-empty string such as 'pr-*'."],
    ['${Token[TOKEN.12]}-*', "Invalid namespacePattern '${Token[TOKEN.12]}-*': it is an unresolved CDK token; the trust policy and the manifests need the same literal pattern."],
  ])('%s is refused, naming the pattern and the rule', (pattern, message) => {
    expect(() => validateNamespacePattern(pattern)).toThrow(message);
  });

  test.each(['pr-*', 'team-*', 'team-a-?', 'preview-??'])('%s is a safe pattern', pattern => {
    expect(() => validateNamespacePattern(pattern)).not.toThrow();
  });
});

describe('ServiceAccount name patterns', () => {
  test.each([
    ['*', "Invalid serviceAccountPattern '*': a pattern needs a literal prefix before its first '*' or '?' (e.g. 'pr-*', 'team-*'): " +
      "'*' there matches any ServiceAccount name, including ones created later by anyone who may create them."],
    ['runner*', "Invalid serviceAccountPattern 'runner*': its literal prefix 'runner' must end in '-' or '.' (e.g. 'runner-*'): IAM's '*' and '?' match any characters, " +
      "so 'runner*' also matches 'runnerx', a name that only begins with the same letters."],
    ['web:*', "Invalid serviceAccountPattern 'web:*': it contains ':', which separates namespace and ServiceAccount name (system:serviceaccount:<namespace>:<name>), " +
      "and IAM's '*' and '?' match across it. Give the namespace and the name each their own pattern (namespacePattern: 'pr-*', serviceAccountName: 'web')."],
  ])('%s is refused, naming the pattern and the rule', (pattern, message) => {
    expect(() => validateServiceAccountPattern(pattern)).toThrow(message);
  });

  test.each(['runner-*', 'web.*', 'ci-runner-??'])('%s is a safe pattern', pattern => {
    expect(() => validateServiceAccountPattern(pattern)).not.toThrow();
  });
});

describe("IAM's StringLike, as the library reads it", () => {
  test.each([
    ['pr-*', 'pr-123', true],
    ['pr-*', 'prx-1', false],
    ['pr-*', 'pr-', true],
    ['pr-?', 'pr-12', false],
    ['pr-??', 'pr-12', true],
    ['pr-*', 'PR-1', false],
    ['a.b*', 'axb', false],
    ['system:serviceaccount:pr-*:web', 'system:serviceaccount:pr-1:x:web', true],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(iamLikeMatches(pattern, value)).toBe(expected);
  });

  test.each([
    ['pr-*', 'pr-1*', true],
    ['pr-*', 'prx-*', false],
    ['pr-?', 'pr-12', false],
    ['pr-?*', 'pr-12', true],
    ['a*c', '*c', true],
    ['a*b', '*c', false],
    ['team-a-*', 'team-*', true],
    ['team-*-x', 'team-*-y', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(likePatternsOverlap(a, b)).toBe(expected);
    expect(likePatternsOverlap(b, a)).toBe(expected);
  });
});

test('a match of a pattern carries the pattern as an annotation; an exact binding none', () => {
  expect(subjectPatternAnnotations({ subjectPattern: 'pr-*/web' })).toEqual({ 'cdk-eks-workload-identity/subject-pattern': 'pr-*/web' });
  expect(subjectPatternAnnotations({})).toEqual({});
});

describe('a binding of a pattern match in a bindings file', () => {
  const match: WorkloadBinding = {
    clusterName: 'campus', namespace: 'pr-123', serviceAccountName: 'web', mechanism: IdentityMechanism.POD_IDENTITY, subjectPattern: 'pr-*/web',
  };

  test('keeps its pattern through the file', () => {
    expect(WorkloadBindingFile.fromJson(WorkloadBindingFile.toJson([match]))).toEqual([match]);
  });

  test.each([
    ['prx-*/web', "Invalid binding for 'pr-123/web' on cluster 'campus': subjectPattern 'prx-*/web' does not match 'pr-123/web', so the role would not trust it. " +
      'Write the binding again from WorkloadIdentity.addPatternMatch.'],
    ['*/web', "Invalid namespacePattern '*': a pattern needs a literal prefix before its first '*' or '?'"],
    ['pr-*', "Invalid binding for 'pr-123/web' on cluster 'campus': subjectPattern 'pr-*' must be '<namespace or pattern>/<name or pattern>' with a '*' or '?', e.g. 'pr-*/web'."],
  ])('a pattern edited to %s is refused', (subjectPattern, message) => {
    const json = JSON.stringify({ version: 2, bindings: [{ ...match, subjectPattern }] });
    expect(() => WorkloadBindingFile.fromJson(json)).toThrow(message);
  });
});
