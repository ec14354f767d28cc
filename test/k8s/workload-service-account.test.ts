import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { IrsaServiceAccountSettings, WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadServiceAccount } from '../../lib/k8s/workload-service-account';

// A local chart rather than test/fixtures' newChart(): fixtures loads aws-cdk-lib,
// and this side must work without it.
function newChart(): Chart {
  return new Chart(Testing.app(), 'test');
}

const ROLE_ARN = 'arn:aws:iam::123456789012:role/campus-payment';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cdk-eks-workload-identity' };
const FOR_CLUSTER = { 'cdk-eks-workload-identity/cluster': 'campus' };

function binding(mechanism: IdentityMechanism, irsa?: IrsaServiceAccountSettings): WorkloadBinding {
  return {
    clusterName: 'campus',
    namespace: 'payments',
    serviceAccountName: 'payment',
    mechanism,
    roleArn: ROLE_ARN,
    ...(irsa ? { irsa } : {}),
  };
}

/** The only manifest of the chart, which must be a ServiceAccount. */
function renderedServiceAccount(chart: Chart): any {
  const manifests = Testing.synth(chart);
  expect(manifests).toHaveLength(1);
  expect(manifests[0]).toMatchObject({ apiVersion: 'v1', kind: 'ServiceAccount' });
  return manifests[0];
}

describe('WorkloadServiceAccount', () => {
  test('GIVEN an IRSA binding WHEN rendered THEN the ServiceAccount has exactly its name, namespace and role-arn, and no API token', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'payment', { binding: binding(IdentityMechanism.IRSA) });

    expect(renderedServiceAccount(chart)).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'payment',
        namespace: 'payments',
        labels: MANAGED_BY,
        annotations: { ...FOR_CLUSTER, 'eks.amazonaws.com/role-arn': ROLE_ARN },
      },
      automountServiceAccountToken: false,
    });
  });

  test('GIVEN IRSA token settings in the binding WHEN rendered THEN every binding annotation is on the ServiceAccount, unchanged', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'payment', {
      binding: binding(IdentityMechanism.IRSA, { audience: 'vault', stsRegionalEndpoints: true, tokenExpirationSeconds: 3600 }),
    });

    expect(renderedServiceAccount(chart).metadata.annotations).toEqual({
      ...FOR_CLUSTER,
      'eks.amazonaws.com/role-arn': ROLE_ARN,
      'eks.amazonaws.com/audience': 'vault',
      'eks.amazonaws.com/sts-regional-endpoints': 'true',
      'eks.amazonaws.com/token-expiration': '3600',
    });
  });

  test('GIVEN a Pod Identity binding WHEN rendered THEN the ServiceAccount carries no annotation but its cluster', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'payment', { binding: binding(IdentityMechanism.POD_IDENTITY) });

    const sa = renderedServiceAccount(chart);
    expect(sa.metadata).toEqual({ name: 'payment', namespace: 'payments', labels: MANAGED_BY, annotations: FOR_CLUSTER });
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('GIVEN a BOTH binding WHEN rendered THEN the role-arn stays, so deleting the association falls back to IRSA', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'payment', { binding: binding(IdentityMechanism.BOTH) });

    expect(renderedServiceAccount(chart).metadata.annotations).toEqual({ ...FOR_CLUSTER, 'eks.amazonaws.com/role-arn': ROLE_ARN });
  });

  test('GIVEN automountToken true WHEN rendered THEN the ServiceAccount mounts the API token', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'payment', { binding: binding(IdentityMechanism.POD_IDENTITY), automountToken: true });

    expect(renderedServiceAccount(chart).automountServiceAccountToken).toBe(true);
  });

  test('GIVEN extra labels and annotations WHEN rendered THEN they are added next to the binding annotations', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'payment', {
      binding: binding(IdentityMechanism.IRSA),
      labels: { 'app.kubernetes.io/part-of': 'campus' },
      annotations: { 'example.com/owner': 'payments-team' },
    });

    const sa = renderedServiceAccount(chart);
    expect(sa.metadata.labels).toEqual({ ...MANAGED_BY, 'app.kubernetes.io/part-of': 'campus' });
    expect(sa.metadata.annotations).toEqual({ ...FOR_CLUSTER, 'eks.amazonaws.com/role-arn': ROLE_ARN, 'example.com/owner': 'payments-team' });
  });

  test.each([
    ['eks.amazonaws.com/role-arn', IdentityMechanism.IRSA],
    ['eks.amazonaws.com/role-arn', IdentityMechanism.POD_IDENTITY],
    ['eks.amazonaws.com/audience', IdentityMechanism.IRSA],
    ['eks.amazonaws.com/token-expiration', IdentityMechanism.BOTH],
    ['eks.amazonaws.com/some-future-key', IdentityMechanism.IRSA],
  ])('GIVEN %s set by hand on a %s ServiceAccount WHEN created THEN it is rejected', (key, mechanism) => {
    // A hand-set role-arn could point the pod at another role than the one the binding trusts.
    expect(() => new WorkloadServiceAccount(newChart(), 'payment', {
      binding: binding(mechanism),
      annotations: { 'example.com/owner': 'payments-team', [key]: 'arn:aws:iam::123456789012:role/admin' },
    })).toThrow(`ServiceAccount 'payments/payment' sets ${key} by hand; these come from the binding so they match the role. ` +
      'Set the mechanism and irsa options on the WorkloadIdentity instead (Pod Identity needs none).');
  });

  test('GIVEN an IRSA binding without role-arn WHEN created THEN the binding is rejected before anything renders', () => {
    const chart = newChart();
    const invalid = { ...binding(IdentityMechanism.IRSA), roleArn: undefined };

    expect(() => new WorkloadServiceAccount(chart, 'payment', { binding: invalid }))
      .toThrow("Invalid binding for 'payments/payment' on cluster 'campus': IRSA needs roleArn, the literal ARN the ServiceAccount carries.");
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('GIVEN a Pod Identity binding with IRSA settings WHEN created THEN it is rejected', () => {
    const invalid = binding(IdentityMechanism.POD_IDENTITY, { audience: 'vault' });

    expect(() => new WorkloadServiceAccount(newChart(), 'payment', { binding: invalid }))
      .toThrow("Invalid binding for 'payments/payment' on cluster 'campus': Pod Identity ServiceAccounts carry no IRSA settings, " +
        'found irsa {"audience":"vault"}.');
  });

  test('GIVEN a binding with an invalid name WHEN created THEN the name rule is the message', () => {
    expect(() => new WorkloadServiceAccount(newChart(), 'payment', {
      binding: { ...binding(IdentityMechanism.POD_IDENTITY), serviceAccountName: 'Payment' },
    })).toThrow("Invalid ServiceAccount name 'Payment': it must be an RFC 1123 subdomain");
  });

  test('GIVEN the ServiceAccount WHEN read back THEN it exposes its binding and name', () => {
    const b = binding(IdentityMechanism.IRSA);
    const sa = new WorkloadServiceAccount(newChart(), 'payment', { binding: b });

    expect(sa.binding).toBe(b);
    expect(sa.name).toBe('payment');
  });

  test('GIVEN it as serviceAccount of a Deployment WHEN rendered THEN the pods run as exactly that ServiceAccount, without the API token', () => {
    const chart = newChart();
    const sa = new WorkloadServiceAccount(chart, 'payment', { binding: binding(IdentityMechanism.IRSA) });
    // The pods must live in the binding's namespace: serviceAccountName resolves there.
    new kplus.Deployment(chart, 'deployment', {
      metadata: { namespace: sa.binding.namespace },
      serviceAccount: sa,
      containers: [{ image: 'public.ecr.aws/campus/payment:1.4.2' }],
    });

    const deployment = Testing.synth(chart).find(m => m.kind === 'Deployment');
    expect(deployment.metadata.namespace).toBe('payments');
    expect(deployment.spec.template.spec.serviceAccountName).toBe('payment');
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
  });
});

describe('a match of a subject pattern', () => {
  test('carries the pattern the role trusts it by as an annotation', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'web', {
      binding: { clusterName: 'campus', namespace: 'pr-123', serviceAccountName: 'web', mechanism: IdentityMechanism.POD_IDENTITY, subjectPattern: 'pr-*/web' },
    });
    expect(renderedServiceAccount(chart).metadata.annotations).toEqual({ ...FOR_CLUSTER, 'cdk-eks-workload-identity/subject-pattern': 'pr-*/web' });
  });
});
