/**
 * Issue 10 §2 on the Kubernetes side: bindings, annotations and labels the
 * API server or the AWS side would refuse fail at synth with the library's
 * error, and undefined props are the library's error, not a TypeError.
 */
import { Chart, Testing } from 'cdk8s';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadIdentityErrors } from '../../lib/core/validation-error';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { KubernetesGuardrails } from '../../lib/k8s/guardrails/kubernetes-guardrails';
import { WorkloadChart } from '../../lib/k8s/workload-chart';
import { WorkloadServiceAccount } from '../../lib/k8s/workload-service-account';
import { WorkloadServiceAccountsChart } from '../../lib/k8s/workload-service-accounts-chart';

// No test/fixtures: it loads aws-cdk-lib, and this side must work without it.
function newChart(): Chart {
  return new Chart(Testing.app(), 'test');
}

const BINDING: WorkloadBinding = {
  clusterName: 'campus', namespace: 'payments', serviceAccountName: 'payment', mechanism: IdentityMechanism.POD_IDENTITY,
};
const KEY_RULE = (kind: string) => `A Kubernetes ${kind} key is an optional prefix (a DNS subdomain of at most 253 lowercase characters) ` +
  "and '/', then a name of 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit. Rename or remove it.";

describe('WorkloadServiceAccount', () => {
  test('GIVEN no props WHEN declared THEN the library says so, not a TypeError', () => {
    expect(() => new WorkloadServiceAccount(newChart(), 'payment', undefined as any))
      .toThrow("WorkloadServiceAccount 'payment' props is missing (got undefined). Pass { binding }.");
  });

  test('GIVEN props without a binding WHEN declared THEN the library says so', () => {
    expect(() => new WorkloadServiceAccount(newChart(), 'payment', {} as any))
      .toThrow('The binding is missing (got undefined). Pass WorkloadIdentity.primaryBinding, or one entry of a bindings file.');
  });

  test('GIVEN a binding whose cluster name holds an IAM policy variable WHEN declared THEN nothing is rendered', () => {
    const binding = { ...BINDING, clusterName: '${aws:PrincipalTag/cluster}' };
    expect(() => new WorkloadServiceAccount(newChart(), 'payment', { binding }))
      .toThrow("Invalid cluster name '${aws:PrincipalTag/cluster}': it contains '${', which IAM reads as a policy variable");
  });

  test.each([
    ['Team/owner', "it has the prefix 'Team', which is not a lowercase DNS subdomain"],
    ['owner name', "it has the name 'owner name', which is not letters, digits, '-', '_' or '.' between a letter or digit at each end"],
  ])('GIVEN the annotation key %j WHEN declared THEN the API server\'s rule refuses it at synth', (key, why) => {
    expect(() => new WorkloadServiceAccount(newChart(), 'payment', { binding: BINDING, annotations: { [key]: 'x' } }))
      .toThrow(`Invalid annotation key '${key}' of ServiceAccount 'payments/payment': ${why}. ${KEY_RULE('annotation')}`);
  });

  test('GIVEN an invalid label key WHEN declared THEN the same rule refuses it', () => {
    expect(() => new WorkloadServiceAccount(newChart(), 'payment', { binding: BINDING, labels: { 'a/b/c': 'x' } }))
      .toThrow(`Invalid label key 'a/b/c' of ServiceAccount 'payments/payment': it has more than one '/'. ${KEY_RULE('label')}`);
  });
});

describe('WorkloadServiceAccountsChart', () => {
  test.each([
    ['no props', undefined],
    ['no bindings', {}],
  ])('GIVEN %s WHEN declared THEN the library says so, not a TypeError', (_what, props) => {
    expect(() => new WorkloadServiceAccountsChart(Testing.app(), 'accounts', props as any))
      .toThrow("WorkloadServiceAccountsChart 'accounts' bindings is missing (got undefined). Pass WorkloadIdentity.bindings, or WorkloadBindingFile.readFile(...).");
  });

  test('GIVEN a cluster name filter with a space WHEN declared THEN it is refused instead of silently matching nothing', () => {
    expect(() => new WorkloadServiceAccountsChart(Testing.app(), 'accounts', { bindings: [BINDING], clusterName: 'campus ' }))
      .toThrow("Invalid cluster name 'campus ': it contains whitespace (U+0020).");
  });
});

describe('Kubernetes-side errors name their construct (issue 18, issue 21)', () => {
  /** The error `create` throws. */
  function errorOf(create: () => unknown): unknown {
    try {
      create();
    } catch (e) {
      return e;
    }
    throw new Error('expected an error');
  }

  test.each([
    ['a bad cluster name', { ...BINDING, clusterName: 'campus dr' }, "Invalid cluster name 'campus dr': it contains whitespace (U+0020)."],
    ['a bad namespace', { ...BINDING, namespace: 'Payments' }, "Invalid namespace 'Payments': a Kubernetes namespace must be an RFC 1123 label"],
  ])('GIVEN %s WHEN a WorkloadChart, WorkloadServiceAccount or WorkloadServiceAccountsChart is declared THEN the WorkloadIdentityError names it', (_, binding, message) => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'team');

    // WHEN
    const errors = [
      errorOf(() => new WorkloadChart(app, 'payment', { binding })),
      errorOf(() => new WorkloadServiceAccount(chart, 'payment', { binding })),
      errorOf(() => new WorkloadServiceAccountsChart(app, 'service-accounts', { bindings: [binding] })),
    ];

    // THEN
    expect(errors.map(e => WorkloadIdentityErrors.isWorkloadIdentityError(e))).toEqual([true, true, true]);
    expect(errors.map(e => WorkloadIdentityErrors.constructPathOf(e))).toEqual(['payment', 'team/payment', 'service-accounts']);
    errors.forEach(e => expect((e as Error).message).toContain(message));
  });

  test('GIVEN a bad clusterName for the guardrails WHEN given THEN the error names the guardrails construct', () => {
    const e = errorOf(() => KubernetesGuardrails.of(Testing.app(), { clusterName: 'campus/dr' }));
    expect(WorkloadIdentityErrors.constructPathOf(e)).toBe('KubernetesGuardrails');
  });

  test('GIVEN an acknowledgement without a reason WHEN made THEN the error names the construct acknowledged', () => {
    const chart = new Chart(Testing.app(), 'team');
    const e = errorOf(() => KubernetesGuardrails.acknowledge(chart, 'WI-K8S-3', ' '));
    expect((e as Error).message).toBe("Cannot acknowledge WI-K8S-3 at 'team' without a reason. Say why it is acceptable here.");
    expect(WorkloadIdentityErrors.constructPathOf(e)).toBe('team');
  });
});
