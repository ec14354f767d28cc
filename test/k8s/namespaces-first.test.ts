import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml, YamlOutputType } from 'cdk8s';
import { IdentityMechanism } from '../../lib/core/identity-mechanism';
import { WorkloadBinding } from '../../lib/core/workload-binding';
import { WorkloadServiceAccount } from '../../lib/k8s/workload-service-account';

/**
 * The order the README promises: `0000-workload-namespaces.k8s.yaml` first,
 * so `kubectl apply -f <folder>` creates each Namespace before what lives in
 * it, however the app's charts are declared and whatever dependencies the
 * user adds between them.
 */

function podIdentity(namespace: string, serviceAccountName: string): WorkloadBinding {
  return { clusterName: 'campus', namespace, serviceAccountName, mechanism: IdentityMechanism.POD_IDENTITY };
}

function serviceAccount(chart: Chart, namespace: string, name: string): WorkloadServiceAccount {
  return new WorkloadServiceAccount(chart, name, { binding: podIdentity(namespace, name) });
}

/** A namespaced object of the user's, not the library's. */
function configMap(chart: Chart, namespace: string, name: string): ApiObject {
  return new ApiObject(chart, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });
}

describe('the namespaces chart is written first', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'namespaces-first-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  /** The files in the order kubectl applies a folder (by name), after checking each namespaced object follows its Namespace. */
  function appliedFiles(): string[] {
    const files = fs.readdirSync(dir).sort();
    const applied = files.flatMap(f => Yaml.load(path.join(dir, f)));
    applied.forEach((o, i) => {
      const namespace = o.metadata.namespace;
      if (namespace) {
        // Every namespace of these apps is one the library creates.
        expect(`${o.kind} ${namespace}/${o.metadata.name} after Namespace ${namespace}: ` +
          applied.slice(0, i).some(n => n.kind === 'Namespace' && n.metadata.name === namespace)).toMatch(/: true$/);
      }
    });
    return files;
  }

  test('GIVEN ServiceAccounts declared in another order than their charts WHEN synthesized THEN the namespaces come first, then the charts in order', () => {
    // GIVEN the chart declared last gets the first ServiceAccount (which creates the namespaces chart)
    const app = new App({ outdir: dir });
    const [a, b, c] = ['a', 'b', 'c'].map(id => new Chart(app, id));
    serviceAccount(c, 'team-c', 'reader');
    serviceAccount(a, 'team-a', 'reader');
    serviceAccount(b, 'team-b', 'reader');

    // WHEN
    app.synth();

    // THEN
    expect(appliedFiles()).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-a.k8s.yaml', '0002-b.k8s.yaml', '0003-c.k8s.yaml']);
  });

  test('GIVEN a user\'s dependency of an earlier chart on a later one WHEN synthesized THEN the namespaces come first, then the dependency', () => {
    // GIVEN
    const app = new App({ outdir: dir });
    const frontend = new Chart(app, 'frontend');
    const backend = new Chart(app, 'backend');
    serviceAccount(frontend, 'web', 'frontend');
    configMap(frontend, 'web', 'frontend-config');
    serviceAccount(backend, 'api', 'backend');
    frontend.addDependency(backend);

    // WHEN
    app.synth();

    // THEN
    expect(appliedFiles()).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-backend.k8s.yaml', '0002-frontend.k8s.yaml']);
  });

  test('GIVEN a user\'s dependency declared before the ServiceAccounts WHEN synthesized THEN the namespaces still come first', () => {
    // GIVEN cdk8s follows a chart's dependencies in the order they were added: the user's comes before the library's
    const app = new App({ outdir: dir });
    const frontend = new Chart(app, 'frontend');
    const backend = new Chart(app, 'backend');
    frontend.addDependency(backend);
    serviceAccount(frontend, 'web', 'frontend');
    serviceAccount(backend, 'api', 'backend');

    // WHEN
    app.synth();

    // THEN
    expect(appliedFiles()).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-backend.k8s.yaml', '0002-frontend.k8s.yaml']);
  });

  test('GIVEN an earlier chart without ServiceAccounts that depends on a chart with them WHEN synthesized THEN the namespaces come first', () => {
    // GIVEN a chart of the user's objects in a namespace the library creates, declared first
    const app = new App({ outdir: dir });
    const config = new Chart(app, 'config');
    configMap(config, 'api', 'settings');
    const backend = new Chart(app, 'backend');
    serviceAccount(backend, 'api', 'backend');
    config.addDependency(backend);

    // WHEN
    app.synth();

    // THEN
    expect(appliedFiles()).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-backend.k8s.yaml', '0002-config.k8s.yaml']);
  });

  test('GIVEN an object of an earlier chart depending on a ServiceAccount of a later one WHEN synthesized THEN the namespaces come first', () => {
    // GIVEN an object-level dependency across charts, which cdk8s turns into one between the charts
    const app = new App({ outdir: dir });
    const config = new Chart(app, 'config');
    const settings = configMap(config, 'api', 'settings');
    const backend = new Chart(app, 'backend');
    const sa = serviceAccount(backend, 'api', 'backend');
    settings.addDependency(sa);

    // WHEN
    app.synth();

    // THEN
    expect(appliedFiles()).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-backend.k8s.yaml', '0002-config.k8s.yaml']);
  });

  test('GIVEN ServiceAccounts in a chart nested in the user\'s chart WHEN synthesized THEN the namespaces come first', () => {
    // GIVEN cdk8s writes a nested chart before the chart holding it
    const app = new App({ outdir: dir });
    const platform = new Chart(app, 'platform');
    configMap(platform, 'api', 'settings');
    const team = new Chart(platform, 'team');
    serviceAccount(team, 'api', 'backend');

    // WHEN
    app.synth();

    // THEN
    const files = appliedFiles();
    expect(files[0]).toBe('0000-workload-namespaces.k8s.yaml');
    expect(files).toHaveLength(3);
    expect(files[2]).toBe('0002-platform.k8s.yaml');
  });

  test('GIVEN a chain of user dependencies across many charts WHEN synthesized THEN the namespaces come first and the chain keeps its order', () => {
    // GIVEN each chart depends on the one declared after it
    const app = new App({ outdir: dir });
    const charts = Array.from({ length: 5 }, (_, i) => new Chart(app, `c${i}`));
    charts.forEach((chart, i) => serviceAccount(chart, `team-${i}`, 'reader'));
    charts.slice(0, -1).forEach((chart, i) => chart.addDependency(charts[i + 1]));

    // WHEN
    app.synth();

    // THEN
    expect(appliedFiles()).toEqual([
      '0000-workload-namespaces.k8s.yaml', '0001-c4.k8s.yaml', '0002-c3.k8s.yaml', '0003-c2.k8s.yaml', '0004-c1.k8s.yaml', '0005-c0.k8s.yaml',
    ]);
  });

  test('GIVEN a synthesized app WHEN a chart is added and it synthesizes again THEN the namespaces still come first', () => {
    // GIVEN
    const app = new App({ outdir: dir });
    serviceAccount(new Chart(app, 'b'), 'team-b', 'reader');
    app.synth();
    // WHEN
    const a = new Chart(app, 'a');
    serviceAccount(a, 'team-a', 'reader');
    new Chart(app, 'c').addDependency(a);
    fs.rmSync(dir, { recursive: true, force: true });
    app.synth();
    // THEN
    expect(appliedFiles()).toEqual(['0000-workload-namespaces.k8s.yaml', '0001-b.k8s.yaml', '0002-a.k8s.yaml', '0003-c.k8s.yaml']);
  });

  test('GIVEN one file per app WHEN synthesized THEN the Namespaces open it, before the charts in dependency order', () => {
    // GIVEN
    const app = new App({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_APP });
    const frontend = new Chart(app, 'frontend');
    serviceAccount(frontend, 'web', 'frontend');
    const backend = new Chart(app, 'backend');
    serviceAccount(backend, 'api', 'backend');
    frontend.addDependency(backend);

    // WHEN
    app.synth();

    // THEN
    expect(appliedFiles()).toEqual(['app.k8s.yaml']);
    expect(Yaml.load(path.join(dir, 'app.k8s.yaml')).map(o => `${o.kind} ${o.metadata.name}`)).toEqual([
      'Namespace web', 'Namespace api', 'ServiceAccount backend', 'ServiceAccount frontend',
    ]);
  });

  test('GIVEN synthYaml WHEN charts depend on each other THEN the Namespaces come first', () => {
    const app = Testing.app();
    const frontend = new Chart(app, 'frontend');
    serviceAccount(frontend, 'web', 'frontend');
    const backend = new Chart(app, 'backend');
    serviceAccount(backend, 'api', 'backend');
    frontend.addDependency(backend);

    expect(app.synthYaml().match(/^kind: .*$/gm)).toEqual(['kind: Namespace', 'kind: Namespace', 'kind: ServiceAccount', 'kind: ServiceAccount']);
    expect(app.charts.map(c => c.node.id)).toEqual(['workload-namespaces', 'backend', 'frontend']);
  });
});

describe('what the order costs cdk8s', () => {
  test('GIVEN charts of ServiceAccounts WHEN synthesized THEN no object depends on each Namespace (cdk8s fans a dependency between charts out per pair of objects, in every pass)', () => {
    // GIVEN 3 charts of 4 ServiceAccounts in 2 namespaces
    const app = Testing.app();
    for (let c = 0; c < 3; c++) {
      const chart = new Chart(app, `team-${c}`);
      for (let i = 0; i < 4; i++) { serviceAccount(chart, `ns-${i % 2}`, `sa-${c}-${i}`); }
    }

    // WHEN
    app.synthYaml();

    // THEN the charts are ordered after the namespaces chart, and no ServiceAccount object carries a dependency on a Namespace
    expect(app.charts.map(c => c.node.path)).toEqual(['workload-namespaces', 'team-0', 'team-1', 'team-2']);
    const objectDependencies = app.node.findAll()
      .filter(c => c instanceof ApiObject)
      .flatMap(o => o.node.dependencies.map(d => `${o.node.path} -> ${d.node.path}`));
    expect(objectDependencies).toEqual([]);
  });

  test('GIVEN a cdk8s that would not order a chart after a stand-in WHEN a chart is written after the namespaces THEN it depends on the namespaces chart itself', () => {
    jest.isolateModules(() => {
      // GIVEN a cdk8s whose App.charts ignores the stand-in (a fresh copy of the module checks cdk8s again)
      const cdk8s: typeof import('cdk8s') = require('cdk8s');
      const { writeAfterNamespaces } = require('../../lib/k8s/namespaces-first');
      const charts = jest.spyOn(cdk8s.App.prototype, 'charts', 'get').mockReturnValue([]);
      const app = new cdk8s.App();
      const namespaces = new cdk8s.Chart(app, 'workload-namespaces');
      const team = new cdk8s.Chart(app, 'team');
      // WHEN
      writeAfterNamespaces(team, namespaces);
      charts.mockRestore();
      // THEN slower, in the same order
      expect(team.node.dependencies.map(d => d === namespaces)).toEqual([true]);
      expect(app.charts.map(c => c.node.id)).toEqual(['workload-namespaces', 'team']);
    });
  });
});
