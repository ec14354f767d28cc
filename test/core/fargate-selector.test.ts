import { IdentityMechanism, WorkloadBinding, WorkloadBindingFile } from '../../lib';
import { fargateGlobMatches, fargatePlacement, selectorMatchesPod } from '../../lib/core/fargate-selector';

describe('EKS Fargate selector wildcards (EKS User Guide, "Fargate profile wildcards")', () => {
  test.each([
    ['prod*', 'prod', true], ['prod*', 'prod-metrics', true], ['prod*', 'pro', false],
    ['value?', 'valuea', true], ['value?', 'value', false], ['value?', 'value-a', false],
    ['*dev', 'team-dev', true], ['*dev', 'dev', true], ['*dev', 'devx', false],
    ['frontend*?', 'frontend', false], ['frontend*?', 'frontend1', true], ['frontend*?', 'frontend-12', true],
    ['a.b', 'axb', false], ['a.b', 'a.b', true], ['batch', 'batch', true], ['batch', 'batch2', false],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(fargateGlobMatches(pattern, value)).toBe(expected);
  });

  test('a namespace is placed by the selectors without labels (every pod) apart from those with labels (some pods)', () => {
    const all = { profileName: 'a', namespace: 'web*' };
    const some = { profileName: 'b', namespace: 'web', labels: { compute: 'fargate' } };
    expect(fargatePlacement([all, some], 'web')).toEqual({ everyPod: [all], labelledPods: [some] });
    expect(fargatePlacement([all, some], 'api')).toEqual({ everyPod: [], labelledPods: [] });
  });

  test('a pod is selected when it carries every label of the selector (keys and values with wildcards)', () => {
    const selector = { profileName: 'b', namespace: 'web', labels: { 'compute*': 'far?ate', tier: 'batch' } };
    expect(selectorMatchesPod(selector, 'web', { 'compute-type': 'fargate', tier: 'batch', app: 'x' })).toBe(true);
    expect(selectorMatchesPod(selector, 'web', { 'compute-type': 'fargate' })).toBe(false);
    expect(selectorMatchesPod(selector, 'api', { 'compute-type': 'fargate', tier: 'batch' })).toBe(false);
  });
});

describe('a binding\'s Fargate fields (bindings file)', () => {
  const base: WorkloadBinding = {
    clusterName: 'campus', namespace: 'batch-1', serviceAccountName: 'runner', mechanism: IdentityMechanism.IRSA,
    roleArn: 'arn:aws:iam::123456789012:role/runner',
    fargateSelectors: [{ profileName: 'batch', namespace: 'batch-*' }], mechanismReason: 'IRSA: Fargate',
  };

  test('they are written and read back', () => {
    expect(WorkloadBindingFile.fromJson(WorkloadBindingFile.toJson([base]))).toEqual([base]);
  });

  test('Pod Identity in a namespace every pod of which runs on Fargate is refused', () => {
    expect(() => WorkloadBindingFile.validate({ ...base, mechanism: IdentityMechanism.POD_IDENTITY, roleArn: undefined })).toThrow(
      "Invalid binding for 'batch-1/runner' on cluster 'campus': mechanism POD_IDENTITY in a namespace every pod of which runs on Fargate " +
      "(Fargate profile 'batch' (namespace 'batch-*')), where EKS Pod Identity gives no credentials. Use mechanism IRSA, or write the binding again from the WorkloadIdentity.");
  });

  test('a selector of another namespace, or a bad one, is refused', () => {
    expect(() => WorkloadBindingFile.validate({ ...base, fargateSelectors: [{ profileName: 'x', namespace: 'web' }] }))
      .toThrow("fargateSelectors holds Fargate profile 'x' (namespace 'web'), which does not match namespace 'batch-1'.");
    expect(() => WorkloadBindingFile.validate({ ...base, fargateSelectors: [{ profileName: 'x', namespace: 'Batch' }] }))
      .toThrow(/namespace 'Batch' is not a Kubernetes namespace with EKS's wildcards/);
    expect(() => WorkloadBindingFile.validate({ ...base, mechanismReason: '' })).toThrow(/mechanismReason must be a literal text of 1 to 1024 characters, got ""/);
  });
});
