import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadChart } from '../../lib/k8s/workload-chart';
import { WorkloadNamespaces } from '../../lib/k8s/workload-namespaces';
import { WorkloadServiceAccount } from '../../lib/k8s/workload-service-account';
import { WorkloadServiceAccountsChart } from '../../lib/k8s/workload-service-accounts-chart';

function podIdentity(namespace: string, serviceAccountName: string, clusterName = 'campus'): WorkloadBinding {
  return { clusterName, namespace, serviceAccountName, mechanism: IdentityMechanism.POD_IDENTITY };
}

/** kind namespace/name of every object the app renders, in order. */
function objects(app: App): string[] {
  return app.charts.flatMap(c => Testing.synth(c)).map(o => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
}

describe('WorkloadNamespaces', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-namespaces-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('GIVEN ServiceAccounts in two namespaces across charts WHEN synthesized THEN each namespace is one object, in the first file', () => {
    // GIVEN
    const app = new App({ outdir: dir });
    const payments = new Chart(app, 'payments');
    new WorkloadServiceAccount(payments, 'payment', { binding: podIdentity('payments', 'payment') });
    new WorkloadServiceAccount(payments, 'refund', { binding: podIdentity('payments', 'refund') });
    const uploads = new Chart(app, 'uploads');
    new WorkloadServiceAccount(uploads, 'upload', { binding: podIdentity('uploads', 'upload') });

    // WHEN
    app.synth();

    // THEN the files, in the lexical order kubectl applies a folder, create each namespace before what lives in it
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-payments.k8s.yaml', '0002-uploads.k8s.yaml']);
    const applied = files.flatMap(f => Yaml.load(path.join(dir, f)));
    expect(applied.map(o => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace /payments', 'Namespace /uploads',
      'ServiceAccount payments/payment', 'ServiceAccount payments/refund', 'ServiceAccount uploads/upload',
    ]);
    expect(applied[0].metadata.annotations).toEqual({ 'cdk-eks-workload-identity/cluster': 'campus' });
    applied.forEach((o, i) => {
      if (o.metadata.namespace) {
        expect(applied.slice(0, i).some(n => n.kind === 'Namespace' && n.metadata.name === o.metadata.namespace)).toBe(true);
      }
    });
  });

  test('GIVEN one app output file WHEN synthesized THEN the namespaces still come first', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a');
    new WorkloadServiceAccount(chart, 'upload', { binding: podIdentity('uploads', 'upload') });

    expect(app.synthYaml().match(/^kind: .*$/gm)).toEqual(['kind: Namespace', 'kind: ServiceAccount']);
  });

  test('GIVEN createNamespace false WHEN synthesized THEN that namespace has no object', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a');
    new WorkloadServiceAccount(chart, 'payment', { binding: podIdentity('payments', 'payment'), createNamespace: false });
    new WorkloadServiceAccount(chart, 'upload', { binding: podIdentity('uploads', 'upload') });

    expect(objects(app)).toEqual(['Namespace /uploads', 'ServiceAccount payments/payment', 'ServiceAccount uploads/upload']);
  });

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])('GIVEN a ServiceAccount in %s WHEN synthesized THEN no Namespace object claims it', (namespace) => {
    // A declared kube-system would be deleted by a GitOps prune of the folder.
    const app = Testing.app();
    new WorkloadServiceAccount(new Chart(app, 'a'), 'agent', { binding: podIdentity(namespace, 'agent') });

    expect(objects(app)).toEqual([`ServiceAccount ${namespace}/agent`]);
  });

  test('GIVEN createNamespace set both ways for one namespace WHEN created THEN the error names both', () => {
    const chart = new Chart(Testing.app(), 'a');
    new WorkloadServiceAccount(chart, 'payment', { binding: podIdentity('payments', 'payment') });

    expect(() => new WorkloadServiceAccount(chart, 'refund', { binding: podIdentity('payments', 'refund'), createNamespace: false }))
      .toThrow("Namespace 'payments' is created by 'a/payment' but 'a/refund' says it is managed elsewhere (createNamespace: false). " +
        'Set createNamespace the same way for every ServiceAccount of one namespace.');
  });

  test('GIVEN ServiceAccounts of two clusters in one app WHEN created THEN the error says one app per cluster', () => {
    const app = new App({ outdir: dir });
    const chart = new Chart(app, 'a');
    new WorkloadServiceAccount(chart, 'payment', { binding: podIdentity('payments', 'payment', 'blue') });

    expect(() => new WorkloadServiceAccount(chart, 'payment-green', { binding: podIdentity('payments', 'payment', 'green') }))
      .toThrow(`The cdk8s app writing '${dir}' renders ServiceAccounts of cluster 'blue' ('a/payment') and of cluster 'green' ('a/payment-green'); ` +
        "one app writes one cluster's folder. Create one cdk8s.App per cluster (outdir 'dist/<cluster>'), or pass clusterName to WorkloadServiceAccountsChart.");
  });

  describe('one ServiceAccount per cluster folder, one role per ServiceAccount (issue 18)', () => {
    const ROLE_A = 'arn:aws:iam::123456789012:role/upload';
    const ROLE_B = 'arn:aws:iam::123456789012:role/admin';
    const irsa = (roleArn: string, clusterArn?: string): WorkloadBinding =>
      ({ clusterName: 'campus', ...(clusterArn ? { clusterArn } : {}), namespace: 'uploads', serviceAccountName: 'upload', mechanism: IdentityMechanism.IRSA, roleArn });

    test('GIVEN one ServiceAccount rendered in two charts with two roles WHEN the second is created THEN the error names both and the fix', () => {
      // GIVEN
      const app = Testing.app();
      new WorkloadChart(app, 'upload', { binding: irsa(ROLE_A) });

      // WHEN / THEN
      expect(() => new WorkloadChart(app, 'upload-admin', { binding: irsa(ROLE_B) })).toThrow(
        "ServiceAccount 'uploads/upload' of cluster 'campus' is rendered twice, by 'upload/service-account' and by 'upload-admin/service-account' " +
        `(with role '${ROLE_A}' (IRSA) and role '${ROLE_B}' (IRSA)); a cluster's folder holds each ServiceAccount once, with one role. ` +
        'Render each binding once (one WorkloadChart or WorkloadServiceAccount), and remove the duplicate binding.');
    });

    test('GIVEN duplicate bindings of a merged file rendered by two charts WHEN created THEN the same binding twice is refused too', () => {
      // GIVEN two charts of one cluster, each from its half of a merged bindings file
      const app = Testing.app();
      new WorkloadServiceAccountsChart(app, 'team-a', { bindings: [podIdentity('uploads', 'upload'), podIdentity('payments', 'payment')] });

      // WHEN / THEN
      expect(() => new WorkloadServiceAccountsChart(app, 'team-b', { bindings: [podIdentity('uploads', 'upload')] })).toThrow(
        "ServiceAccount 'uploads/upload' of cluster 'campus' is rendered twice, by 'team-a/uploads:upload' and by 'team-b/uploads:upload' " +
        "(both with POD_IDENTITY (role associated in AWS)); a cluster's folder holds each ServiceAccount once, with one role.");
    });

    test('GIVEN two same-named clusters of two accounts in one app WHEN the second renders THEN the error says they are two clusters', () => {
      // GIVEN
      const app = new App({ outdir: dir });
      const blue = 'arn:aws:eks:eu-west-1:111111111111:cluster/campus';
      const green = 'arn:aws:eks:eu-west-1:222222222222:cluster/campus';
      new WorkloadServiceAccount(new Chart(app, 'a'), 'upload', { binding: { ...irsa(ROLE_A, blue) } });

      // WHEN / THEN
      expect(() => new WorkloadServiceAccount(new Chart(app, 'b'), 'report', { binding: { ...irsa(ROLE_A, green), serviceAccountName: 'report' } })).toThrow(
        `The cdk8s app writing '${dir}' renders ServiceAccounts of cluster 'campus' (${blue}) ('a/upload') and of cluster 'campus' (${green}) ('b/report'): ` +
        "two clusters of one name, in different accounts or regions; one app writes one cluster's folder. " +
        "Create one cdk8s.App per cluster (outdir 'dist/<account>-<region>-<cluster>'), or pass clusterArn to WorkloadServiceAccountsChart.");
    });

    test('GIVEN a binding without ARN and one with WHEN rendered in one app THEN they may be one cluster, and a third ARN is still refused', () => {
      const app = Testing.app();
      const blue = 'arn:aws:eks:eu-west-1:111111111111:cluster/campus';
      new WorkloadServiceAccount(new Chart(app, 'a'), 'upload', { binding: podIdentity('uploads', 'upload') });
      new WorkloadServiceAccount(new Chart(app, 'b'), 'report', { binding: { ...podIdentity('reporting', 'report'), clusterArn: blue } });

      expect(() => new WorkloadServiceAccount(new Chart(app, 'c'), 'pay', { binding: { ...podIdentity('payments', 'pay'), clusterArn: blue.replace('eu-west-1', 'us-east-1') } }))
        .toThrow(/renders ServiceAccounts of cluster 'campus' \(arn:aws:eks:eu-west-1:111111111111:cluster\/campus\) \('b\/report'\) and of cluster 'campus' \(arn:aws:eks:us-east-1:111111111111:cluster\/campus\) \('c\/pay'\): two clusters of one name/);
    });
  });

  test('GIVEN a cluster name that is a CDK token WHEN rendered THEN no object carries it', () => {
    // A cluster created in the CDK app without a literal name: its name is known only at deployment.
    const app = Testing.app();
    new WorkloadServiceAccount(new Chart(app, 'a'), 'upload', { binding: podIdentity('uploads', 'upload', '${Token[TOKEN.123]}') });

    expect(app.charts.flatMap(c => Testing.synth(c)).map(o => o.metadata.annotations)).toEqual([undefined, undefined]);
  });

  test('GIVEN the reserved chart id taken WHEN a ServiceAccount is created THEN the error says so', () => {
    const app = Testing.app();
    new Chart(app, 'workload-namespaces');

    expect(() => new WorkloadServiceAccount(new Chart(app, 'a'), 'upload', { binding: podIdentity('uploads', 'upload') }))
      .toThrow("'workload-namespaces' is not the library's namespaces chart; the id 'workload-namespaces' is reserved for it.");
  });

  test('GIVEN any construct of the app WHEN asked THEN there is one namespaces chart, naming the cluster', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a');
    new WorkloadServiceAccount(chart, 'upload', { binding: podIdentity('uploads', 'upload') });

    expect(WorkloadNamespaces.ofApp(chart)).toBe(WorkloadNamespaces.ofApp(app));
    expect(WorkloadNamespaces.ofApp(app).clusterName).toBe('campus');
  });

  describe('pods running as a WorkloadServiceAccount', () => {
    const container = { image: 'public.ecr.aws/campus/upload:1', securityContext: { user: 1000 } };

    test('GIVEN a Deployment in another namespace than its ServiceAccount WHEN synthesized THEN the error names both namespaces', () => {
      // GIVEN
      const app = Testing.app();
      const chart = new Chart(app, 'uploads', { namespace: 'upload' });
      const serviceAccount = new WorkloadServiceAccount(chart, 'upload-sa', { binding: podIdentity('uploads', 'upload') });
      new kplus.Deployment(chart, 'upload', { serviceAccount, containers: [container] });

      // WHEN / THEN Kubernetes would refuse the pods; synth says so first
      expect(() => app.synth()).toThrow("Deployment 'uploads/upload' runs as ServiceAccount 'uploads/upload' but has namespace 'upload'; " +
        'a pod can only use a ServiceAccount of its own namespace. Create the pod in a WorkloadChart of that binding ' +
        "(its namespace comes from the binding), or set metadata.namespace to 'uploads'.");
    });

    test('GIVEN a Job with no namespace WHEN synthesized THEN the error says it would run in default', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'batch');
      const serviceAccount = new WorkloadServiceAccount(chart, 'report-sa', { binding: podIdentity('reporting', 'report') });
      new kplus.Job(chart, 'report', { serviceAccount, containers: [container] });

      expect(() => app.synth()).toThrow("Job 'batch/report' runs as ServiceAccount 'reporting/report' but has no namespace (so 'default')");
    });

    test('GIVEN a clean synth WHEN a misplaced pod is added in the same tick THEN the next synth sees it', () => {
      // GIVEN
      const app = Testing.app();
      const chart = new Chart(app, 'uploads', { namespace: 'uploads' });
      const serviceAccount = new WorkloadServiceAccount(chart, 'upload-sa', { binding: podIdentity('uploads', 'upload') });
      expect(() => app.synth()).not.toThrow();
      // WHEN
      new kplus.Pod(new Chart(app, 'debug', { namespace: 'debug' }), 'debug', { serviceAccount, containers: [container] });
      // THEN the check runs once per synth, not once per app
      expect(() => app.synth()).toThrow("Pod 'debug/debug' runs as ServiceAccount 'uploads/upload' but has namespace 'debug'");
    });

    test('GIVEN pods in their ServiceAccount\'s namespace WHEN synthesized THEN there is no error', () => {
      const app = new App({ outdir: dir });
      const chart = new Chart(app, 'uploads', { namespace: 'uploads' });
      const serviceAccount = new WorkloadServiceAccount(chart, 'upload-sa', { binding: podIdentity('uploads', 'upload') });
      new kplus.Deployment(chart, 'upload', { serviceAccount, containers: [container] });
      new kplus.Pod(chart, 'debug', { metadata: { namespace: 'uploads' }, serviceAccount, containers: [container] });

      expect(() => app.synth()).not.toThrow();
    });
  });
});
