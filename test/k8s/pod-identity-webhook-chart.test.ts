import * as cdk8s from 'cdk8s';
import { IdentityMechanism, WorkloadIdentityErrors } from '../../lib/core';
import { PodIdentityWebhookChart, WorkloadChart, WorkloadServiceAccount } from '../../lib/k8s';
import upstream from './upstream/pod-identity-webhook-v0.6.17.json';

function render(props: Partial<ConstructorParameters<typeof PodIdentityWebhookChart>[2]> = {}): any[] {
  const app = new cdk8s.App();
  new PodIdentityWebhookChart(app, 'webhook', { clusterName: 'lab', ...props });
  return app.charts.flatMap(c => c.toJson());
}
const find = (objects: any[], kind: string) => objects.find(o => o.kind === kind);

describe('PodIdentityWebhookChart', () => {
  describe('GIVEN a self-managed cluster in eu-west-1 WHEN the webhook is rendered', () => {
    const objects = render({ region: 'eu-west-1' });
    const deployment = find(objects, 'Deployment');
    const command: string[] = deployment.spec.template.spec.containers[0].command;

    test('THEN every flag is one the webhook defines at v0.6.17, and it runs out of cluster on cert-manager\'s certificate', () => {
      const names = command.slice(1).map(a => a.replace(/^--/, '').replace(/=.*$/, ''));
      expect(names.filter(n => !upstream.flags.includes(n))).toEqual([]);
      expect(command).toEqual(expect.arrayContaining(['--in-cluster=false', '--token-audience=sts.amazonaws.com', '--annotation-prefix=eks.amazonaws.com',
        '--aws-default-region=eu-west-1', '--sts-regional-endpoint=true', '--namespace=pod-identity-webhook']));
      expect(deployment.spec.template.spec.containers[0].image).toBe(upstream.image.split(' ')[0]);
    });

    test('THEN the certificate, its secret, the service and the webhook configuration name each other', () => {
      const certificate = find(objects, 'Certificate');
      const webhook = find(objects, 'MutatingWebhookConfiguration');
      const service = find(objects, 'Service');
      expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'cert', secret: { secretName: certificate.spec.secretName } }]);
      expect(webhook.metadata.annotations['cert-manager.io/inject-ca-from']).toBe(`${certificate.metadata.namespace}/${certificate.metadata.name}`);
      expect(webhook.webhooks[0].clientConfig.service).toEqual({ name: service.metadata.name, namespace: service.metadata.namespace, path: upstream.webhookPath });
      expect(certificate.spec.dnsNames).toContain(`${service.metadata.name}.${service.metadata.namespace}.svc`);
      expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
      expect(webhook.webhooks[0]).toMatchObject({ name: upstream.webhookName, admissionReviewVersions: upstream.admissionReviewVersions, sideEffects: 'None' });
      expect(webhook.webhooks[0].objectSelector.matchExpressions[0].key).toBe(upstream.skipLabel);
    });

    test('THEN its RBAC reads ServiceAccounts only: no secrets, no certificate signing requests', () => {
      expect(find(objects, 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'watch', 'list'] }]);
      expect(objects.filter(o => o.kind === 'Role')).toEqual([]);
      expect(find(objects, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'pod-identity-webhook', namespace: 'pod-identity-webhook' }]);
    });

    test('THEN its pods mount their API token: the webhook builds its client from the in-cluster config (no --kubeconfig, no --kube-api)', () => {
      // GIVEN upstream's main.go at v0.6.17: clientcmd.BuildConfigFromFlags(--kube-api, --kubeconfig), both empty here, reads
      // the mounted ServiceAccount token; without it the webhook exits and (failurePolicy Ignore) pods start without credentials
      const account = find(objects, 'ServiceAccount');
      const pod = deployment.spec.template.spec;
      expect(command.some(a => /^--(kubeconfig|kube-api)=/.test(a))).toBe(false);
      // THEN the token is mounted: the pod's setting, else its ServiceAccount's, else Kubernetes' default (true)
      expect(pod.automountServiceAccountToken ?? account.automountServiceAccountToken ?? true).toBe(true);
      // AND only in the webhook's pods: its ServiceAccount (which has no AWS identity) keeps WI-K8S-6's automount off
      expect(account.automountServiceAccountToken).toBe(false);
    });

    test('THEN its namespace is created first, in the app\'s namespaces file', () => {
      expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'pod-identity-webhook' } });
    });
  });

  test('GIVEN the webhook of one cluster WHEN a ServiceAccount of another cluster joins its app THEN it is refused: one app is one cluster\'s folder', () => {
    const app = new cdk8s.App();
    new PodIdentityWebhookChart(app, 'webhook', { clusterName: 'lab' });
    const binding = { clusterName: 'prod', namespace: 'ingest', serviceAccountName: 'ingest', mechanism: IdentityMechanism.IRSA, roleArn: 'arn:aws:iam::123456789012:role/ingest' };
    expect(() => new WorkloadChart(app, 'ingest', { binding })).toThrow("renders ServiceAccounts of cluster 'lab' ('webhook') and of cluster 'prod'");
  });

  describe('the audience of the tokens the webhook projects is the one each IRSA ServiceAccount\'s identity declared', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/ingest';
    const appWith = (tokenAudience: string | undefined, binding: object) => {
      const app = new cdk8s.App();
      new PodIdentityWebhookChart(app, 'webhook', { clusterName: 'lab', tokenAudience });
      new WorkloadChart(app, 'ingest', { binding: { clusterName: 'lab', namespace: 'ingest', serviceAccountName: 'ingest', roleArn, ...binding } as any });
      return app;
    };

    test('GIVEN tokenAudience api.example.com WHEN an IRSA ServiceAccount of the default audience (no audience annotation) joins its app THEN the synth refuses it', () => {
      // The webhook projects --token-audience for a ServiceAccount without eks.amazonaws.com/audience (its README); the
      // role's trust and the OIDC provider accept sts.amazonaws.com only: STS would refuse every token of its pods
      const app = appWith('api.example.com', { mechanism: IdentityMechanism.IRSA });
      expect(() => app.synthYaml()).toThrow(
        "PodIdentityWebhookChart 'webhook' projects tokens of audience 'api.example.com' (tokenAudience) for ServiceAccounts without an eks.amazonaws.com/audience " +
        "annotation, but ServiceAccount 'ingest/ingest' is bound for IRSA with audience 'sts.amazonaws.com', the one its role's trust accepts: STS would refuse its pods' tokens. " +
        "Give its identity irsa.audience 'api.example.com', or remove tokenAudience.");
    });

    test.each([
      ['the same audience, annotated', 'api.example.com', { mechanism: IdentityMechanism.IRSA, irsa: { audience: 'api.example.com' } }],
      ['another audience, annotated (the annotation wins)', undefined, { mechanism: IdentityMechanism.IRSA, irsa: { audience: 'api.example.com' } }],
      ['the default audience on both sides', 'sts.amazonaws.com', { mechanism: IdentityMechanism.IRSA }],
      ['Pod Identity (the webhook gives it no web identity)', 'api.example.com', { mechanism: IdentityMechanism.POD_IDENTITY, roleArn: undefined }],
    ])('GIVEN %s THEN it is accepted', (_, tokenAudience, binding) => {
      expect(() => appWith(tokenAudience, binding).synthYaml()).not.toThrow();
    });

    test('GIVEN an app of many charts WHEN synthesized THEN the check reads each ServiceAccount once per synth, not once per chart cdk8s renders', () => {
      // GIVEN the webhook and three charts of two IRSA ServiceAccounts each (with the namespaces chart, 5 charts: cdk8s validates the app 1 + 5 times)
      const app = new cdk8s.App();
      new PodIdentityWebhookChart(app, 'webhook', { clusterName: 'lab' });
      const accounts = ['a', 'b', 'c'].flatMap(team => {
        const chart = new cdk8s.Chart(app, team);
        return ['one', 'two'].map(name => new WorkloadServiceAccount(chart, name, {
          binding: { clusterName: 'lab', namespace: team, serviceAccountName: name, mechanism: IdentityMechanism.IRSA, roleArn: `arn:aws:iam::123456789012:role/${team}-${name}` },
        }));
      });
      const reads = accounts.map(sa => jest.spyOn(sa.metadata, 'toJson'));
      // WHEN
      app.synthYaml();
      // THEN each metadata is read 3 times: by the Kubernetes guardrails and by cdk8s's output, each once, and by this check once
      // (once per validation pass, it was 2 + 6)
      reads.forEach(read => expect(read).toHaveBeenCalledTimes(3));
    });

    test('GIVEN an app that synthesized WHEN an IRSA ServiceAccount of another audience is added before the next synth THEN that synth refuses it', () => {
      // GIVEN
      const app = appWith('api.example.com', { mechanism: IdentityMechanism.IRSA, irsa: { audience: 'api.example.com' } });
      expect(() => app.synthYaml()).not.toThrow();
      // WHEN, without yielding
      new WorkloadChart(app, 'report', { binding: { clusterName: 'lab', namespace: 'report', serviceAccountName: 'report', roleArn, mechanism: IdentityMechanism.IRSA } });
      // THEN nothing of the first synth carries over
      expect(() => app.synthYaml()).toThrow("but ServiceAccount 'report/report' is bound for IRSA with audience 'sts.amazonaws.com'");
    });
  });

  test.each([
    [{ region: 'eu-west' }, "PodIdentityWebhookChart 'webhook' has region 'eu-west', which is not an AWS region: pass e.g. 'eu-west-1'."],
    [{ replicas: 0 }, "PodIdentityWebhookChart 'webhook' has replicas 0: pass a whole number of 1 or more (2 keeps pods getting credentials through a restart)."],
    [{ namespace: 'Bad_NS' }, "Invalid namespace 'Bad_NS'"],
  ])('GIVEN %j WHEN rendered THEN it is refused naming the value and the chart', (props, message) => {
    let error: unknown;
    try { render(props); } catch (e) { error = e; }
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(error)).toBe(true);
    expect((error as Error).message).toContain(message);
    expect(WorkloadIdentityErrors.constructPathOf(error)).toBe('webhook');
  });

  test.each([
    ['no props', undefined, "PodIdentityWebhookChart 'webhook' props is missing (got undefined). Pass { clusterName }."],
    ['a cluster name with a space', { clusterName: 'lab 1' }, "Invalid cluster name 'lab 1': it contains whitespace (U+0020)."],
  ])('GIVEN %s WHEN declared THEN the library\'s error names the chart, not a TypeError', (_what, props, message) => {
    let error: unknown;
    try { new PodIdentityWebhookChart(new cdk8s.App(), 'webhook', props as any); } catch (e) { error = e; }
    expect(WorkloadIdentityErrors.isWorkloadIdentityError(error)).toBe(true);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect(WorkloadIdentityErrors.constructPathOf(error)).toBe('webhook');
  });
});
