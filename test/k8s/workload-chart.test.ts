import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadChart } from '../../lib/k8s/workload-chart';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/campus-upload';
const UPLOAD: WorkloadBinding = {
  clusterName: 'campus', namespace: 'uploads', serviceAccountName: 'upload', mechanism: IdentityMechanism.IRSA, roleArn: ROLE_ARN,
};
const container = { image: 'public.ecr.aws/campus/upload:0.9.0', securityContext: { user: 1000 } };

describe('WorkloadChart', () => {
  test('GIVEN a binding WHEN a Deployment is created in its chart with no namespace THEN it runs in the binding\'s namespace as its ServiceAccount', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new WorkloadChart(app, 'upload', { binding: UPLOAD });

    // WHEN
    new kplus.Deployment(chart, 'upload', { metadata: { name: 'upload' }, serviceAccount: chart.serviceAccount, containers: [container] });

    // THEN
    const [serviceAccount, deployment] = Testing.synth(chart);
    expect(serviceAccount).toMatchObject({
      kind: 'ServiceAccount',
      metadata: { name: 'upload', namespace: 'uploads', annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN } },
    });
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.metadata.namespace).toBe('uploads');
    expect(deployment.spec.template.spec.serviceAccountName).toBe('upload');
    expect(chart.namespace).toBe('uploads');
    expect(chart.binding).toBe(UPLOAD);
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN ServiceAccount options and chart labels WHEN rendered THEN they reach the objects', () => {
    const app = Testing.app();
    const chart = new WorkloadChart(app, 'upload', {
      binding: UPLOAD,
      labels: { 'app.kubernetes.io/part-of': 'campus' },
      serviceAccount: { automountToken: true, annotations: { 'example.com/owner': 'uploads-team' }, createNamespace: false },
    });

    const [serviceAccount] = Testing.synth(chart);
    expect(serviceAccount.automountServiceAccountToken).toBe(true);
    expect(serviceAccount.metadata.annotations['example.com/owner']).toBe('uploads-team');
    expect(serviceAccount.metadata.labels['app.kubernetes.io/part-of']).toBe('campus');
    // createNamespace: false, so the app has no Namespace object
    expect(app.charts.flatMap(c => Testing.synth(c)).map(o => o.kind)).toEqual(['ServiceAccount']);
  });

  test('GIVEN an invalid binding WHEN the chart is created THEN the binding is rejected by name', () => {
    expect(() => new WorkloadChart(Testing.app(), 'upload', { binding: { ...UPLOAD, namespace: 'Uploads' } }))
      .toThrow("Invalid namespace 'Uploads'");
  });
});
