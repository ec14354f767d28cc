import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, WorkloadBinding, WorkloadBindingFile, WorkloadServiceAccount, WorkloadSubjectPattern } from '../../../lib';
import { roleArnAnnotationOf, serviceAccountAnnotations } from '../../../lib/core/binding-annotations';
import { k8sFindings, newChart, open } from '../../guardrails/helpers';

const ROLE = 'arn:aws:iam::123456789012:role/report';
const binding: WorkloadBinding = {
  clusterName: 'campus', namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA,
  roleArn: ROLE,
};

describe('WI-K8S-5 unbacked-role-arn', () => {
  test('a hand-annotated ServiceAccount is an error', () => {
    const chart = newChart();
    new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'report', namespace: 'reporting', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } });
    expect(open(k8sFindings(chart), 'WI-K8S-5')).toEqual([
      `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which no declared identity backs.`,
    ]);
  });

  test('the same annotation backed by a declared binding is fine', () => {
    const chart = newChart();
    new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'report', namespace: 'reporting', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } });
    expect(open(k8sFindings(chart, { bindings: [binding] }), 'WI-K8S-5')).toEqual([]);
  });

  test('a WorkloadServiceAccount is backed by its binding', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'sa', { binding });
    expect(open(k8sFindings(chart))).toEqual([]);
  });

  describe('a binding of another cluster backs nothing (issue 18)', () => {
    const annotated = (chart: ReturnType<typeof newChart>) =>
      new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'report', namespace: 'reporting', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } });

    test('GIVEN an app of cluster campus WHEN a hand-annotated ServiceAccount is backed only by a binding of cluster edge THEN it is an error naming both', () => {
      // GIVEN the app renders campus (a WorkloadServiceAccount says so) and declares edge's binding
      const chart = newChart();
      new WorkloadServiceAccount(chart, 'upload', { binding: { clusterName: 'campus', namespace: 'uploads', serviceAccountName: 'upload', mechanism: IdentityMechanism.POD_IDENTITY } });
      annotated(chart);

      // WHEN
      const findings = open(k8sFindings(chart, { bindings: [{ ...binding, clusterName: 'edge' }] }), 'WI-K8S-5');

      // THEN
      expect(findings).toEqual([
        `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which only a binding of cluster 'edge' backs, not of cluster 'campus' that this app renders.`,
      ]);
    });

    test('GIVEN a same-named cluster of another account WHEN its binding is the only backing THEN it is an error', () => {
      const chart = newChart();
      annotated(chart);
      const other = { ...binding, clusterArn: 'arn:aws:eks:eu-west-1:210987654321:cluster/campus' };

      expect(open(k8sFindings(chart, { bindings: [other], clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/campus' }), 'WI-K8S-5')).toEqual([
        `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which only a binding of cluster 'campus' (arn:aws:eks:eu-west-1:210987654321:cluster/campus) backs, ` +
        "not of cluster 'campus' (arn:aws:eks:eu-west-1:123456789012:cluster/campus) that this app renders.",
      ]);
    });

    test('GIVEN bindings of two clusters and no cluster named WHEN checked THEN neither backs it, and the fix is to name the cluster', () => {
      const chart = newChart();
      annotated(chart);

      expect(open(k8sFindings(chart, { bindings: [binding, { ...binding, clusterName: 'edge' }] }), 'WI-K8S-5')).toEqual([
        `WI-K8S-5 ServiceAccount 'reporting/report' is annotated with role '${ROLE}', which bindings of clusters 'campus', 'edge' back; ` +
        'say which cluster this app renders (KubernetesGuardrails.of(app, { clusterName, clusterArn })).',
      ]);
      expect(open(k8sFindings(chart, { clusterName: 'campus' }), 'WI-K8S-5')).toEqual([]);
    });
  });
});

describe('a subject pattern of a bindings file backs the ServiceAccounts it matches (issue 25 leftover)', () => {
  const SEEDER = 'arn:aws:iam::123456789012:role/previews-seeder';
  const seederPattern: WorkloadSubjectPattern = {
    clusterName: 'campus', subjectPattern: 'pr-*/seeder', mechanism: IdentityMechanism.IRSA, roleArn: SEEDER,
  };
  const annotated = (chart: ReturnType<typeof newChart>, namespace: string, roleArn = SEEDER) =>
    new kplus.ServiceAccount(chart, `sa-${namespace}`, { metadata: { name: 'seeder', namespace, annotations: { 'eks.amazonaws.com/role-arn': roleArn } } });

  test('GIVEN an IRSA pattern pr-* then /seeder WHEN a hand-made ServiceAccount of a new preview carries its role THEN it is backed', () => {
    const chart = newChart();
    annotated(chart, 'pr-200');
    expect(open(k8sFindings(chart), 'WI-K8S-5')).toHaveLength(1);
    expect(open(k8sFindings(chart, { subjectPatterns: [seederPattern] }), 'WI-K8S-5')).toEqual([]);
  });

  test.each([
    ['a near miss of the pattern', 'prx-1', SEEDER, undefined],
    ['another role than the pattern\'s', 'pr-200', ROLE, undefined],
    ['a Pod Identity pattern (its matches carry no role ARN)', 'pr-200', SEEDER, IdentityMechanism.POD_IDENTITY],
  ])('GIVEN %s WHEN annotated THEN the pattern backs nothing', (_, namespace, roleArn, mechanism) => {
    const chart = newChart();
    annotated(chart, namespace, roleArn);
    const pattern = { ...seederPattern, ...(mechanism ? { mechanism } : {}) };
    expect(open(k8sFindings(chart, { subjectPatterns: [pattern] }), 'WI-K8S-5')).toEqual([
      `WI-K8S-5 ServiceAccount '${namespace}/seeder' is annotated with role '${roleArn}', which no declared identity backs.`,
    ]);
  });

  test('GIVEN the app renders cluster edge WHEN only a pattern of cluster campus matches THEN it backs nothing', () => {
    const chart = newChart();
    annotated(chart, 'pr-200');
    expect(open(k8sFindings(chart, { subjectPatterns: [seederPattern], clusterName: 'edge' }), 'WI-K8S-5')).toHaveLength(1);
  });

  test('GIVEN a ServiceAccount bound from the file with bindPatternMatch WHEN rendered THEN it needs no pattern listed', () => {
    const chart = newChart();
    new WorkloadServiceAccount(chart, 'sa', { binding: WorkloadBindingFile.bindPatternMatch([seederPattern], { namespace: 'pr-200', serviceAccountName: 'seeder' }) });
    expect(open(k8sFindings(chart))).toEqual([]);
  });

  test('GIVEN an unsafe pattern WHEN passed to the guardrails THEN it is refused, naming it', () => {
    const chart = newChart();
    expect(() => k8sFindings(chart, { subjectPatterns: [{ ...seederPattern, subjectPattern: '*/seeder' }] })).toThrow("Invalid namespacePattern '*'");
  });
});

describe('WI-K8S-5 reads the role ARN a binding renders (issue 22)', () => {
  test.each([
    [IdentityMechanism.IRSA, ROLE], [IdentityMechanism.BOTH, ROLE], [IdentityMechanism.POD_IDENTITY, ROLE], [IdentityMechanism.IRSA, undefined],
  ])('the %s binding with role %s renders the annotation roleArnAnnotationOf reads', (mechanism, roleArn) => {
    const b: WorkloadBinding = { ...binding, mechanism, roleArn, irsa: { audience: 'sts.example.com', tokenExpirationSeconds: 3600 } };
    expect(roleArnAnnotationOf(b)).toBe(serviceAccountAnnotations(b)['eks.amazonaws.com/role-arn']);
  });

  test('GIVEN 20 annotated ServiceAccounts backed by declared bindings WHEN the guardrails evaluate the app THEN no binding\'s other annotations are rendered', () => {
    // GIVEN bindings that count reads of their IRSA settings (the annotations beside the role ARN)
    const chart = newChart();
    let reads = 0;
    const declared = Array.from({ length: 20 }, (_, i) => {
      const b = { ...binding, serviceAccountName: `report-${i}`, roleArn: `${ROLE}-${i}` };
      Object.defineProperty(b, 'irsa', { enumerable: true, get: () => { reads++; return undefined; } });
      new kplus.ServiceAccount(chart, `sa${i}`, { metadata: { name: `report-${i}`, namespace: 'reporting', annotations: { 'eks.amazonaws.com/role-arn': `${ROLE}-${i}` } } });
      return b as WorkloadBinding;
    });

    // WHEN
    const findings = k8sFindings(chart, { bindings: declared });

    // THEN every annotation is backed, and only the role ARN was compared (all annotations were rendered once per ServiceAccount)
    expect(open(findings, 'WI-K8S-5')).toEqual([]);
    expect(reads).toBe(0);
  });
});
