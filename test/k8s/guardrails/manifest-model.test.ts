import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppManifests } from '../../../lib/k8s/guardrails/manifest-model';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/shop-app';

/** Every object and array reachable from `value`, not following the records' `construct` (the app's own tree). */
function reachable(value: unknown, seen = new Set<object>()): Set<object> {
  if (value === null || typeof value !== 'object' || seen.has(value)) { return seen; }
  seen.add(value);
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'construct') { reachable(v, seen); }
  }
  return seen;
}

/** An app with one object of each kind the rules read. */
function shopApp(): App {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const sa = new kplus.ServiceAccount(chart, 'sa', {
    metadata: { name: 'app', annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN } }, automountToken: false,
  });
  new kplus.Secret(chart, 'creds', { metadata: { name: 'creds' }, stringData: { token: 'x' } });
  new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { region: 'eu-west-1' } } as any);
  const deployment = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, serviceAccount: sa, podMetadata: { labels: { tier: 'web' } } });
  deployment.addContainer({
    name: 'app', image: 'registry.example.com/shop/app:1.2.3', portNumber: 8080,
    envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, liveness: kplus.Probe.fromHttpGet('/live'),
  });
  return app;
}

describe('AppManifests', () => {
  afterEach(() => jest.restoreAllMocks());

  test('keeps what the rules read of each object, not the rendered object', () => {
    // GIVEN
    const app = shopApp();
    const render = jest.spyOn(ApiObject.prototype, 'toJson');

    // WHEN
    const model = new AppManifests(app);

    // THEN the rendered objects, their metadata and pod specs are out of the model's reach
    const rendered = render.mock.results.map(r => r.value);
    expect(rendered.map(o => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Secret', 'ServiceAccount']);
    const held = reachable([model.all(), model.pods()]);
    for (const object of rendered) {
      for (const part of [object, object.metadata, object.spec, object.spec?.template, object.spec?.template?.spec]) {
        if (part) { expect(held.has(part)).toBe(false); }
      }
    }
  });

  test('the facts are those of the rendered objects', () => {
    // GIVEN
    const app = shopApp();

    // WHEN
    const model = new AppManifests(app);

    // THEN
    const byKind = new Map(model.all().map(m => [m.kind, m]));
    expect(model.all().map(m => m.display)).toEqual([
      "ServiceAccount 'shop/app'", "Secret 'shop/creds'", "ConfigMap 'shop/config'", "Deployment 'shop/web'",
    ]);
    expect(byKind.get('ServiceAccount')).toMatchObject({ roleArnAnnotation: ROLE_ARN, automountServiceAccountToken: false, entries: [] });
    expect(byKind.get('Secret')!.entries).toEqual([['token', 'x']]);
    expect(byKind.get('ConfigMap')!.entries).toEqual([['region', 'eu-west-1']]);
    expect(byKind.get('Deployment')).toMatchObject({ entries: [] });
    expect(byKind.get('Deployment')!.roleArnAnnotation).toBeUndefined();
    const [pod] = model.pods();
    expect(pod.manifest).toBe(byKind.get('Deployment'));
    expect(pod.serviceAccountName).toBe('app');
    expect(pod.labels).toMatchObject({ tier: 'web' });
    // Only the container fields the rules read: no image, ports or probes.
    expect(pod.spec.containers).toEqual([{ name: 'app', env: [{ name: 'LOG_LEVEL', value: 'info' }], envFrom: undefined }]);
    expect(pod.spec.hostNetwork).toBe(false);
  });
});
