import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IdentityMechanism, KubernetesGuardrails, WorkloadServiceAccount } from '../../../lib';
import { synthError } from '../../guardrails/helpers';

describe('KubernetesGuardrails', () => {
  test('a plain cdk8s chart can turn them on; errors fail synth', () => {
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1' }] });
    KubernetesGuardrails.of(chart);
    expect(synthError(() => app.synth())).toContain("WI-K8S-3: Deployment 'shop/web' runs as ServiceAccount 'default'.");
  });

  test('they are on by default in a chart with a WorkloadServiceAccount, and an acknowledgement with a reason passes', () => {
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'shop');
    new WorkloadServiceAccount(chart, 'sa', {
      binding: { clusterName: 'campus', namespace: 'shop', serviceAccountName: 'web', mechanism: IdentityMechanism.POD_IDENTITY },
    });
    const legacy = new kplus.Deployment(chart, 'legacy', { metadata: { name: 'legacy', namespace: 'shop' }, containers: [{ image: 'legacy:1' }] });
    expect(synthError(() => app.synth())).toContain("WI-K8S-3: Deployment 'shop/legacy' runs as ServiceAccount 'default'.");
    KubernetesGuardrails.acknowledge(legacy, 'WI-K8S-3', 'Needs no AWS access; retired next quarter.');
    expect(synthError(() => app.synth())).toBe('');
  });

  test('GIVEN a WI-K8S-3 acknowledged with only zero-width characters WHEN synthesized THEN it still fails (issue 18)', () => {
    // GIVEN
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    const legacy = new kplus.Deployment(chart, 'legacy', { metadata: { name: 'legacy' }, containers: [{ image: 'legacy:1' }] });
    KubernetesGuardrails.of(chart);
    legacy.node.addMetadata('aws:cdk:acknowledged-rules', { 'WI-K8S-3': '\u200B\u00AD' });

    // WHEN
    const error = synthError(() => app.synth());

    // THEN
    expect(error).toContain("WI-K8S-3: Deployment 'shop/legacy' runs as ServiceAccount 'default'. The acknowledgement of WI-K8S-3 at 'shop/legacy' has no reason ('\\u200B\\u00AD' has no visible letter or digit), so it does not count.");
    expect(() => KubernetesGuardrails.acknowledge(legacy, 'WI-K8S-3', '\u2060')).toThrow(
      "Cannot acknowledge WI-K8S-3 at 'shop/legacy' with the reason '\\u2060': it has no visible letter or digit (only invisible, formatting or space characters). Say why it is acceptable here, in words.");
  });

  describe('one ServiceAccount, one role, across every chart (issue 18)', () => {
    const ROLE = 'arn:aws:iam::123456789012:role/report';
    const report = { clusterName: 'campus', namespace: 'reporting', serviceAccountName: 'report', mechanism: IdentityMechanism.IRSA, roleArn: ROLE };

    test('GIVEN a plain ServiceAccount of the same name as a WorkloadServiceAccount in another chart WHEN synthesized THEN it fails, naming both', () => {
      // GIVEN
      const app = cdk8s.Testing.app();
      new WorkloadServiceAccount(new cdk8s.Chart(app, 'identity'), 'report', { binding: report });
      new kplus.ServiceAccount(new cdk8s.Chart(app, 'legacy', { namespace: 'reporting' }), 'sa', { metadata: { name: 'report' }, automountToken: false });

      // WHEN
      const error = synthError(() => app.synth());

      // THEN
      expect(error).toContain("ServiceAccount 'reporting/report' is written twice in this cluster's folder: by the WorkloadServiceAccount 'identity/report' " +
        `(role '${ROLE}' (IRSA)) and by 'legacy/sa/Resource'; kubectl apply keeps whichever comes last, with its annotations. ` +
        'Remove the other object, and run pods as the WorkloadServiceAccount.');
    });

    test('GIVEN a declared binding that gives a WorkloadServiceAccount another role WHEN synthesized THEN it fails, naming both roles', () => {
      // GIVEN
      const app = cdk8s.Testing.app();
      new WorkloadServiceAccount(new cdk8s.Chart(app, 'identity'), 'report', { binding: report });
      KubernetesGuardrails.of(app, { bindings: [{ ...report, roleArn: 'arn:aws:iam::123456789012:role/admin' }] });

      // WHEN / THEN
      expect(synthError(() => app.synth())).toContain(
        `ServiceAccount 'reporting/report' of cluster 'campus' has two bindings with different identities, role '${ROLE}' (IRSA) and ` +
        "role 'arn:aws:iam::123456789012:role/admin' (IRSA); a ServiceAccount has one role. Remove the binding that is not what the CDK app declares " +
        '(passed to KubernetesGuardrails, or read from a merged or edited bindings file).');
    });

    test('GIVEN the same binding declared again, or one of another cluster WHEN synthesized THEN there is no conflict', () => {
      const app = cdk8s.Testing.app();
      new WorkloadServiceAccount(new cdk8s.Chart(app, 'identity'), 'report', { binding: report });
      KubernetesGuardrails.of(app, { bindings: [{ ...report }, { ...report, clusterName: 'edge', roleArn: 'arn:aws:iam::123456789012:role/edge' }] });

      expect(synthError(() => app.synth())).toBe('');
    });

    test('GIVEN guardrails told another cluster than the app\'s WorkloadServiceAccounts WHEN synthesized THEN it fails', () => {
      const app = cdk8s.Testing.app();
      new WorkloadServiceAccount(new cdk8s.Chart(app, 'identity'), 'report', { binding: report });
      KubernetesGuardrails.of(app, { clusterName: 'edge' });

      expect(synthError(() => app.synth())).toContain(
        "This app renders ServiceAccounts of cluster 'campus' ('reporting/report'), but its KubernetesGuardrails were told cluster 'edge'.");
    });
  });

  test('guardrails on the app cover its charts once', () => {
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1' }] });
    KubernetesGuardrails.of(chart);
    KubernetesGuardrails.of(app);
    expect(synthError(() => app.synth()).match(/WI-K8S-3:/g)).toHaveLength(1);
  });

  describe('cost on apps of many charts', () => {
    function podIdentityAccount(chart: cdk8s.Chart, namespace: string, name: string): WorkloadServiceAccount {
      return new WorkloadServiceAccount(chart, name, {
        binding: { clusterName: 'campus', namespace, serviceAccountName: name, mechanism: IdentityMechanism.POD_IDENTITY },
      });
    }

    test('each object is rendered once per synth by the guardrails, however many charts the app has', () => {
      // GIVEN three charts, each with its own guardrails and two ServiceAccounts
      const app = cdk8s.Testing.app();
      for (const team of ['a', 'b', 'c']) {
        const chart = new cdk8s.Chart(app, team);
        podIdentityAccount(chart, team, 'one');
        podIdentityAccount(chart, team, 'two');
      }
      const render = jest.spyOn(cdk8s.ApiObject.prototype, 'toJson');
      try {
        // WHEN
        app.synth();
        // THEN cdk8s validates the app 1 + 4 times (once per synth, once per chart, the
        // library's namespaces chart included), and the guardrails render the 6 ServiceAccounts
        // in the first pass only; then 6 + 3 renders of the output (the ServiceAccounts and their
        // 3 Namespaces). Once per pass would be 5 x 6 + 9 = 39; once per pass and chart, 99.
        expect(render).toHaveBeenCalledTimes(6 + 6 + 3);
      } finally {
        render.mockRestore();
      }
    });

    test('objects of kinds no rule reads are not rendered by the guardrails', () => {
      const app = cdk8s.Testing.app();
      const chart = new cdk8s.Chart(app, 'shop');
      podIdentityAccount(chart, 'shop', 'web');
      const service = new cdk8s.ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
      const render = jest.spyOn(service, 'toJson');
      app.synth();
      expect(render).toHaveBeenCalledTimes(1); // the output only
    });

    test('synthYaml renders each object once for the guardrails too', () => {
      const app = cdk8s.Testing.app();
      for (const team of ['a', 'b']) { podIdentityAccount(new cdk8s.Chart(app, team), team, 'one'); }
      const render = jest.spyOn(cdk8s.ApiObject.prototype, 'toJson');
      try {
        app.synthYaml();
        expect(render).toHaveBeenCalledTimes(2 + 2 + 2); // guardrails, then the output: 2 ServiceAccounts, 2 Namespaces
      } finally {
        render.mockRestore();
      }
    });

    test('each Chart.toJson() of the user validates afresh: the app may have changed in between', () => {
      // GIVEN two charts; the first renders cleanly
      const app = cdk8s.Testing.app();
      const shop = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
      podIdentityAccount(shop, 'shop', 'web');
      const other = new cdk8s.Chart(app, 'other', { namespace: 'shop' });
      const web = new kplus.Deployment(other, 'deploy', { metadata: { name: 'web' }, serviceAccount: kplus.ServiceAccount.fromServiceAccountName(other, 'web-sa', 'web'), containers: [{ image: 'web:1' }] });
      expect(synthError(() => cdk8s.Testing.synth(shop))).toBe('');
      // WHEN a static key is added to the other chart, without yielding
      web.containers[0].env.addVariable('AWS_SECRET_ACCESS_KEY', kplus.EnvValue.fromValue('x'.repeat(40)));
      // THEN rendering either chart fails
      expect(synthError(() => cdk8s.Testing.synth(shop))).toContain('WI-K8S-1');
      expect(synthError(() => cdk8s.Testing.synth(other))).toContain('WI-K8S-1');
    });

    test('a change between two synths in one tick is seen: nothing carries over between synths', () => {
      // GIVEN an app that synthesizes cleanly
      const app = cdk8s.Testing.app();
      const chart = new cdk8s.Chart(app, 'shop');
      podIdentityAccount(chart, 'shop', 'web');
      const web = new kplus.Deployment(chart, 'deploy', {
        metadata: { name: 'web', namespace: 'shop' },
        serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'web-sa', 'web'),
        containers: [{ image: 'web:1' }],
      });
      expect(synthError(() => app.synth())).toBe('');
      // WHEN a static key is added right after, without yielding
      web.containers[0].env.addVariable('AWS_SECRET_ACCESS_KEY', kplus.EnvValue.fromValue('x'.repeat(40)));
      // THEN the next synth renders afresh and fails
      expect(synthError(() => app.synth())).toContain('WI-K8S-1');
    });

    test('a manual validation after a change renders afresh', () => {
      const app = cdk8s.Testing.app();
      const chart = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
      podIdentityAccount(chart, 'shop', 'web');
      const web = new kplus.Deployment(chart, 'deploy', { metadata: { name: 'web' }, serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'web-sa', 'web'), containers: [{ image: 'web:1' }] });
      const guardrails = KubernetesGuardrails.of(app);
      expect(guardrails.node.validate()).toEqual([]);
      web.containers[0].env.addVariable('AWS_ACCESS_KEY_ID', kplus.EnvValue.fromValue('AKIAIOSFODNN7EXAMPLE'));
      expect(guardrails.node.validate().join('\n')).toContain('WI-K8S-1');
    });
  });
});
