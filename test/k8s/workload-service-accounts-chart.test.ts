import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadBindingFile } from '../../lib/core/workload-binding-file';
import { WorkloadServiceAccountsChart } from '../../lib/k8s/workload-service-accounts-chart';
// Only the file round trip needs the AWS side (aws-cdk-lib): it proves the two sides agree.
import { WorkloadIdentity } from '../../lib/aws/identity/workload-identity';
import { eksCluster, newStack, selfManagedCluster } from '../fixtures';

function podIdentity(clusterName: string, namespace: string, serviceAccountName: string): WorkloadBinding {
  return { clusterName, namespace, serviceAccountName, mechanism: IdentityMechanism.POD_IDENTITY };
}

function irsa(clusterName: string, namespace: string, serviceAccountName: string): WorkloadBinding {
  const roleArn = `arn:aws:iam::123456789012:role/${clusterName}-${serviceAccountName}`;
  return {
    clusterName, namespace, serviceAccountName, mechanism: IdentityMechanism.IRSA, roleArn,
  };
}

/** (kind, namespace/name, annotations) of every rendered object, in order. */
function rendered(chart: WorkloadServiceAccountsChart): Array<[string, string, any]> {
  return Testing.synth(chart).map(m => [m.kind, `${m.metadata.namespace}/${m.metadata.name}`, m.metadata.annotations]);
}

describe('WorkloadServiceAccountsChart', () => {
  const bindings = [
    podIdentity('campus', 'payments', 'payment'),
    irsa('edge', 'reporting', 'report'),
    podIdentity('campus', 'uploads', 'upload'),
  ];

  test('GIVEN bindings of one cluster WHEN rendered THEN there is one ServiceAccount per binding, in order, marked with the cluster', () => {
    const oneCluster = [podIdentity('campus', 'payments', 'payment'), irsa('campus', 'reporting', 'report'), podIdentity('campus', 'uploads', 'upload')];
    const chart = new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', { bindings: oneCluster });

    const forCampus = { 'cdk-eks-workload-identity/cluster': 'campus' };
    expect(rendered(chart)).toEqual([
      ['ServiceAccount', 'payments/payment', forCampus],
      ['ServiceAccount', 'reporting/report', { ...forCampus, 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/campus-report' }],
      ['ServiceAccount', 'uploads/upload', forCampus],
    ]);
    expect(chart.serviceAccounts.map(sa => sa.binding)).toEqual(oneCluster);
  });

  test('GIVEN bindings of two clusters and no clusterName WHEN rendered THEN the error says to pass clusterName', () => {
    // One folder is applied to one cluster: the other cluster's ServiceAccounts would land where no role trusts them.
    expect(() => new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', { bindings }))
      .toThrow("WorkloadServiceAccountsChart 'service-accounts' has bindings of clusters 'campus', 'edge'; one chart renders one cluster, " +
        "in that cluster's cdk8s app. Pass clusterName, with one cdk8s.App per cluster (outdir 'dist/<cluster>').");
  });

  test('GIVEN clusterName WHEN rendered THEN only that cluster\'s bindings render', () => {
    const campus = new WorkloadServiceAccountsChart(Testing.app(), 'campus', { bindings, clusterName: 'campus' });
    const edge = new WorkloadServiceAccountsChart(Testing.app(), 'edge', { bindings, clusterName: 'edge' });
    const none = new WorkloadServiceAccountsChart(Testing.app(), 'none', { bindings, clusterName: 'other' });

    expect(rendered(campus).map(r => r[1])).toEqual(['payments/payment', 'uploads/upload']);
    expect(rendered(edge).map(r => r[1])).toEqual(['reporting/report']);
    expect(Testing.synth(none)).toEqual([]);
  });

  test('GIVEN an invalid binding of another cluster WHEN rendered with clusterName THEN it is not looked at', () => {
    const invalid = { ...irsa('edge', 'reporting', 'report'), roleArn: undefined };
    const chart = new WorkloadServiceAccountsChart(Testing.app(), 'campus', { bindings: [invalid, ...bindings], clusterName: 'campus' });

    expect(chart.serviceAccounts).toHaveLength(2);
  });

  test('GIVEN an invalid binding WHEN rendered THEN it is rejected by name', () => {
    const invalid = { ...irsa('edge', 'reporting', 'report'), roleArn: undefined };

    expect(() => new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', { bindings: [...bindings, invalid], clusterName: 'edge' }))
      .toThrow("Invalid binding for 'reporting/report' on cluster 'edge': IRSA needs roleArn, the literal ARN the ServiceAccount carries.");
  });

  test('GIVEN names that join to the same string with "-" WHEN rendered THEN both ServiceAccounts render', () => {
    // 'a-b'/'c' and 'a'/'b-c' once collided as the construct id 'a-b-c'.
    const chart = new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', {
      bindings: [podIdentity('campus', 'a-b', 'c'), podIdentity('campus', 'a', 'b-c')],
    });

    expect(rendered(chart).map(r => r[1])).toEqual(['a-b/c', 'a/b-c']);
  });

  test('GIVEN the same ServiceAccount on two clusters WHEN rendered into one chart THEN the error says to pass clusterName', () => {
    const twice = [podIdentity('campus', 'payments', 'payment'), podIdentity('campus-dr', 'payments', 'payment')];

    expect(() => new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', { bindings: twice }))
      .toThrow("WorkloadServiceAccountsChart 'service-accounts' has bindings of clusters 'campus', 'campus-dr'; one chart renders one cluster");
    expect(new WorkloadServiceAccountsChart(Testing.app(), 'dr', { bindings: twice, clusterName: 'campus-dr' }).serviceAccounts)
      .toHaveLength(1);
  });

  describe('same-named clusters of two accounts (issue 18)', () => {
    const BLUE = 'arn:aws:eks:eu-west-1:111111111111:cluster/campus';
    const GREEN = 'arn:aws:eks:eu-west-1:222222222222:cluster/campus';
    const bindings = [{ ...podIdentity('campus', 'uploads', 'upload'), clusterArn: BLUE }, { ...podIdentity('campus', 'uploads', 'upload'), clusterArn: GREEN }];

    test('GIVEN a file with both and only clusterName WHEN rendered THEN the error says to pass clusterArn', () => {
      expect(() => new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', { bindings, clusterName: 'campus' })).toThrow(
        `WorkloadServiceAccountsChart 'service-accounts' has bindings of clusters 'campus' (${BLUE}), 'campus' (${GREEN}); ` +
        "one chart renders one cluster, in that cluster's cdk8s app. Pass clusterArn, with one cdk8s.App per cluster (outdir 'dist/<account>-<region>-<cluster>').");
    });

    test('GIVEN clusterArn WHEN rendered THEN only that cluster\'s binding renders', () => {
      const chart = new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', { bindings, clusterArn: GREEN });
      expect(chart.serviceAccounts.map(sa => sa.binding.clusterArn)).toEqual([GREEN]);
    });
  });

  test('GIVEN the same ServiceAccount twice on one cluster WHEN rendered THEN the duplicate is named', () => {
    const twice = [podIdentity('campus', 'payments', 'payment'), irsa('campus', 'payments', 'payment')];

    expect(() => new WorkloadServiceAccountsChart(Testing.app(), 'service-accounts', { bindings: twice }))
      .toThrow("ServiceAccount 'payments/payment' on cluster 'campus' has two bindings; " +
        'a ServiceAccount has one role. Remove the duplicate binding.');
  });

  describe('from a bindings file', () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-bindings-')); });
    afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

    test('GIVEN the AWS side\'s bindings WHEN written, read back in a cdk8s-only app and rendered THEN the YAML is the in-app YAML', () => {
      // GIVEN identities of all three mechanisms, with IRSA token settings (several annotations to order)
      const stack = newStack();
      const campus = eksCluster(stack);
      const edge = selfManagedCluster(stack);
      const payment = new WorkloadIdentity(stack, 'Payment', { cluster: campus, namespace: 'payments', serviceAccountName: 'payment' });
      const report = new WorkloadIdentity(stack, 'Report', {
        cluster: edge, namespace: 'reporting', serviceAccountName: 'report',
        irsa: { stsRegionalEndpoints: true, tokenExpiration: Duration.hours(2) },
      });
      const upload = new WorkloadIdentity(stack, 'Upload', {
        cluster: campus, namespace: 'uploads', serviceAccountName: 'upload', mechanism: IdentityMechanism.BOTH,
      });
      const inApp = [...payment.bindings, ...report.bindings, ...upload.bindings];
      const file = path.join(dir, 'k8s', 'bindings.json');

      // WHEN
      WorkloadBindingFile.writeFile(file, inApp);
      const fromFile = WorkloadBindingFile.readFile(file);
      const render = (all: WorkloadBinding[]) => ['campus', 'edge'].map(clusterName => {
        const app = Testing.app();
        new WorkloadServiceAccountsChart(app, 'service-accounts', { bindings: all, clusterName });
        return app.synthYaml();
      }).join('# next cluster\n');

      // THEN
      const yaml = render(inApp);
      expect(render(fromFile)).toBe(yaml);
      expect(fromFile.map(b => [b.clusterName, b.mechanism])).toEqual([
        ['campus', IdentityMechanism.POD_IDENTITY], ['edge', IdentityMechanism.IRSA], ['campus', IdentityMechanism.BOTH],
      ]);
      expect(yaml).toMatchSnapshot();
    });
  });
});
