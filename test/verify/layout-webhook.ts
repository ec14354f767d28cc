/**
 * The pod identity webhook on the issuer kit's clusters (issue 23, a leftover of issue 18): a NOT_EKS cluster
 * serving its issuer with `ServiceAccountIssuer` renders `PodIdentityWebhookChart` into its folder, drawn with
 * its options. Without a webhook no pod of such a cluster gets a web identity token, whatever the AWS side says,
 * so the proof judges what the rendered objects make the webhook do, from the upstream
 * aws/amazon-eks-pod-identity-webhook's README and deploy/ at v0.6.17 (never from lib/):
 *
 * - the API server calls it: a MutatingWebhookConfiguration whose rules cover CREATE of v1 pods, calling a Service
 *   of the folder at `/mutate` (the path the webhook serves), on a port that reaches the webhook's `--port`
 *   (default 443) in a Deployment's pods the Service selects;
 * - it runs out of cluster (`--in-cluster=false`: the README says the in-cluster mode no longer works since v0.3.0),
 *   with TLS from cert-manager: `--tls-cert` and `--tls-key` (defaults `/etc/webhook/certs/tls.{crt,key}`) in a
 *   mounted Secret that a cert-manager Certificate writes, for the Service's DNS name `<service>.<namespace>.svc`,
 *   whose CA cert-manager injects into the configuration (`cert-manager.io/inject-ca-from: <namespace>/<certificate>`),
 *   issued by an Issuer of its namespace or a ClusterIssuer of the folder;
 * - it can read ServiceAccounts (it looks each pod's ServiceAccount up): its own ServiceAccount bound to a
 *   ClusterRole allowing get, list and watch on `serviceaccounts`, and an API token mounted in its pods (its
 *   main.go builds its client from `--kube-api` and `--kubeconfig`, both empty by default, so from the in-cluster
 *   config, which reads the mounted ServiceAccount token); its namespace is declared;
 * - every flag is one the README's usage lists at v0.6.17;
 * - what each IRSA pod of the cluster gets: the role of `<annotation-prefix>/role-arn` (prefix default
 *   `eks.amazonaws.com`) on its ServiceAccount, and a token of audience `<annotation-prefix>/audience`, else
 *   `--token-audience` (default `sts.amazonaws.com`): that audience must be the one its identity declared (the one
 *   its role's trust and the provider accept), else STS refuses the pod's token;
 * - with a region given, `--aws-default-region=<region>` and `--sts-regional-endpoint=true` (the README: the
 *   regional STS endpoint instead of the global one); without, neither.
 */
import * as fc from 'fast-check';
import { KubernetesObject } from './synthesized-app';

/** The chart's options a layout draws for an issuer kit's cluster. */
export interface WebhookSpec {
  /** `namespace` (undefined: the chart's default). */
  readonly namespace?: string;
  /** Whether `region` is given (the cluster's region). */
  readonly region: boolean;
  /** `tokenAudience` (undefined: the chart's default). */
  readonly tokenAudience?: string;
  readonly replicas?: number;
}

export const webhookSpecArb: fc.Arbitrary<WebhookSpec> = fc.record({
  namespace: fc.constantFrom(undefined, undefined, 'identity-webhook'),
  region: fc.boolean(),
  tokenAudience: fc.constantFrom(undefined, undefined, 'sts.amazonaws.com', 'api.example.com'),
  replicas: fc.constantFrom(undefined, 1, 3),
}, { requiredKeys: ['region'] });

/** The flags the webhook defines at v0.6.17, from its README's usage (klog's flags included). */
const UPSTREAM_FLAGS = new Set([
  'add_dir_header', 'alsologtostderr', 'annotation-prefix', 'aws-default-region', 'enable-debugging-handlers', 'in-cluster', 'kube-api',
  'kubeconfig', 'log_backtrace_at', 'log_dir', 'log_file', 'log_file_max_size', 'logtostderr', 'metrics-port', 'namespace', 'port',
  'service-name', 'service-account-lookup-grace-period', 'skip_headers', 'skip_log_headers', 'stderrthreshold', 'sts-regional-endpoint',
  'tls-cert', 'tls-key', 'tls-secret', 'token-audience', 'token-expiration', 'token-mount-path', 'v', 'version', 'vmodule', 'watch-config-map',
]);
/** The README's defaults of the flags the judgement reads. */
const DEFAULTS: { [flag: string]: string } = {
  'annotation-prefix': 'eks.amazonaws.com', 'token-audience': 'sts.amazonaws.com', 'in-cluster': 'true', 'port': '443',
  'tls-cert': '/etc/webhook/certs/tls.crt', 'tls-key': '/etc/webhook/certs/tls.key', 'sts-regional-endpoint': 'false',
};

/** An IRSA subject of the cluster, as declared: its ServiceAccount, the role it was declared for, the audience its trust accepts. */
export interface WebhookSubject {
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly roleArn: string;
  readonly audience: string;
}

/** What the webhook makes of the cluster's pods, as the objects of its folder configure it: problems, empty when right. */
export function webhookProblems(objects: KubernetesObject[], expected: { readonly region?: string; readonly replicas?: number; readonly subjects: WebhookSubject[] }): string[] {
  const problems: string[] = [];
  const ns = (o: KubernetesObject) => o.metadata.namespace ?? 'default';
  const find = (kind: string, name: string, namespace?: string) => objects.filter(o => o.kind === kind && o.metadata.name === name && (namespace === undefined || ns(o) === namespace));
  const configs = objects.filter(o => o.kind === 'MutatingWebhookConfiguration' && o.apiVersion === 'admissionregistration.k8s.io/v1');
  const hooks = configs.flatMap(c => (c.webhooks ?? []).map((w: any) => ({ c, w }))).filter(({ w }) => (w.rules ?? []).some((r: any) =>
    (r.operations ?? []).some((op: string) => op === 'CREATE' || op === '*') && (r.apiGroups ?? []).some((g: string) => g === '' || g === '*') &&
    (r.apiVersions ?? []).some((v: string) => v === 'v1' || v === '*') && (r.resources ?? []).some((x: string) => x === 'pods' || x === '*')));
  if (hooks.length !== 1) { return [`${hooks.length} mutating webhooks for pod creation in the cluster's folder (expected the pod identity webhook's one).`]; }
  const { c: config, w: hook } = hooks[0];
  const svcRef = hook.clientConfig?.service;
  if (!svcRef) { return ['The pod webhook is called by URL, not through a Service of the cluster.']; }
  if (svcRef.path !== '/mutate') { problems.push(`The pod webhook is called at path '${svcRef.path}'; the webhook serves /mutate.`); }
  const [service] = find('Service', svcRef.name, svcRef.namespace);
  if (!service) { return [...problems, `The pod webhook calls Service '${svcRef.namespace}/${svcRef.name}', which the folder does not declare.`]; }
  const port = (service.spec?.ports ?? []).find((p: any) => p.port === (svcRef.port ?? 443));
  if (!port) { problems.push(`Service '${svcRef.namespace}/${svcRef.name}' has no port ${svcRef.port ?? 443}.`); }
  const selector: { [k: string]: string } = service.spec?.selector ?? {};
  const deployments = objects.filter(o => o.kind === 'Deployment' && ns(o) === svcRef.namespace && Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([k, v]) => o.spec?.template?.metadata?.labels?.[k] === v));
  const webhookContainers = deployments.flatMap(d => (d.spec.template.spec.containers ?? []).filter((x: any) => [...x.command ?? [], ...x.args ?? []][0] === '/webhook').map((x: any) => ({ d, x })));
  if (webhookContainers.length !== 1) { return [...problems, `${webhookContainers.length} webhook containers behind Service '${svcRef.namespace}/${svcRef.name}'.`]; }
  const { d: deployment, x: container } = webhookContainers[0];
  // The flags, as the webhook's flag parser reads --name=value (and --name for a boolean).
  const flags = new Map<string, string>();
  for (const arg of [...container.command ?? [], ...container.args ?? []].slice(1)) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) { problems.push(`Webhook argument '${arg}' is not a flag.`); continue; }
    if (!UPSTREAM_FLAGS.has(m[1])) { problems.push(`Webhook flag --${m[1]} is not one the webhook defines at v0.6.17.`); }
    flags.set(m[1], m[2] ?? 'true');
  }
  const flag = (name: string) => flags.get(name) ?? DEFAULTS[name];
  if (flag('in-cluster') !== 'false') { problems.push(`The webhook runs with --in-cluster=${flag('in-cluster')}; upstream says only --in-cluster=false works since v0.3.0.`); }
  if (port && String(port.targetPort ?? port.port) !== flag('port')) { problems.push(`Service port ${port.port} targets ${port.targetPort}, the webhook listens on ${flag('port')}.`); }
  if ((deployment.spec.replicas ?? 1) !== (expected.replicas ?? 2)) { problems.push(`The webhook runs ${deployment.spec.replicas ?? 1} replicas, declared ${expected.replicas ?? 2}.`); }
  // TLS: the key pair in a mounted Secret that a Certificate for the Service's name writes, its CA injected into the configuration.
  const podSpec = deployment.spec.template.spec;
  const secretAt = (file: string) => {
    const mount = (container.volumeMounts ?? []).find((m: any) => file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
    return (podSpec.volumes ?? []).find((v: any) => v.name === mount?.name)?.secret?.secretName as string | undefined;
  };
  const secret = secretAt(flag('tls-cert'));
  if (!secret || secretAt(flag('tls-key')) !== secret) { problems.push(`The webhook's --tls-cert ${flag('tls-cert')} and --tls-key ${flag('tls-key')} are not in one mounted Secret.`); }
  const certificates = objects.filter(o => o.kind === 'Certificate' && o.apiVersion.startsWith('cert-manager.io/') && ns(o) === svcRef.namespace && o.spec?.secretName === secret);
  const host = `${svcRef.name}.${svcRef.namespace}.svc`;
  if (certificates.length !== 1) {
    problems.push(`${certificates.length} cert-manager Certificates write the webhook's Secret '${secret}' in '${svcRef.namespace}'.`);
  } else {
    const certificate = certificates[0];
    if (!(certificate.spec.dnsNames ?? []).includes(host)) { problems.push(`The webhook's certificate names ${JSON.stringify(certificate.spec.dnsNames)}, not ${host}, the name the API server calls.`); }
    const inject = config.metadata.annotations?.['cert-manager.io/inject-ca-from'];
    if (inject !== `${svcRef.namespace}/${certificate.metadata.name}`) { problems.push(`cert-manager.io/inject-ca-from is '${inject}', not the webhook's certificate '${svcRef.namespace}/${certificate.metadata.name}': no CA bundle.`); }
    const ref = certificate.spec.issuerRef ?? {};
    const issuer = (ref.kind ?? 'Issuer') === 'ClusterIssuer' ? find('ClusterIssuer', ref.name) : find('Issuer', ref.name, svcRef.namespace);
    if (issuer.length !== 1) { problems.push(`The webhook's certificate is issued by ${ref.kind ?? 'Issuer'} '${ref.name}', which the folder does not declare.`); }
  }
  // RBAC: the webhook reads ServiceAccounts.
  const sa = podSpec.serviceAccountName ?? 'default';
  if (find('ServiceAccount', sa, svcRef.namespace).length !== 1) { problems.push(`The webhook runs as ServiceAccount '${svcRef.namespace}/${sa}', which the folder does not declare.`); }
  const readsServiceAccounts = objects.filter(o => o.kind === 'ClusterRoleBinding' && (o.subjects ?? []).some((x: any) => x.kind === 'ServiceAccount' && x.name === sa && x.namespace === svcRef.namespace))
    .some(b => b.roleRef?.kind === 'ClusterRole' && find('ClusterRole', b.roleRef.name).some(r => ['get', 'list', 'watch'].every(verb => (r.rules ?? []).some((rule: any) =>
      (rule.apiGroups ?? []).includes('') && (rule.resources ?? []).some((x: string) => x === 'serviceaccounts' || x === '*') && (rule.verbs ?? []).some((v: string) => v === verb || v === '*')))));
  if (!readsServiceAccounts) { problems.push(`The webhook's ServiceAccount '${svcRef.namespace}/${sa}' may not get, list and watch ServiceAccounts.`); }
  // It reaches the API server by its in-cluster config (main.go: clientcmd.BuildConfigFromFlags(--kube-api, --kubeconfig),
  // both empty, reads the mounted ServiceAccount token), so its pods mount their API token: the pod's setting, else its
  // ServiceAccount's, else Kubernetes' default (true).
  const [webhookAccount] = find('ServiceAccount', sa, svcRef.namespace);
  const mounted = podSpec.automountServiceAccountToken ?? webhookAccount?.automountServiceAccountToken ?? true;
  if (!flags.get('kubeconfig') && !flags.get('kube-api') && mounted !== true) {
    problems.push(`The webhook's pods mount no API token (automountServiceAccountToken false on ${podSpec.automountServiceAccountToken === false ? 'the pod' : `ServiceAccount '${svcRef.namespace}/${sa}'`}) ` +
      'and no --kubeconfig or --kube-api is given: its in-cluster config fails, the webhook exits, and (failurePolicy Ignore) every pod starts without credentials.');
  }
  if (!objects.some(o => o.kind === 'Namespace' && o.metadata.name === svcRef.namespace)) { problems.push(`The webhook's namespace '${svcRef.namespace}' is not declared in the cluster's folder.`); }
  // Region: the regional STS endpoint in the cluster's region, or nothing.
  if (flags.get('aws-default-region') !== expected.region) { problems.push(`--aws-default-region is '${flags.get('aws-default-region')}', declared '${expected.region}'.`); }
  if (expected.region !== undefined && flag('sts-regional-endpoint') !== 'true') { problems.push(`A region is declared, yet --sts-regional-endpoint is ${flag('sts-regional-endpoint')}.`); }
  // Each IRSA pod: the role and the audience its token carries.
  const prefix = flag('annotation-prefix');
  for (const s of expected.subjects) {
    const [account] = find('ServiceAccount', s.serviceAccountName, s.namespace);
    const annotations = account?.metadata.annotations ?? {};
    const at = `ServiceAccount '${s.namespace}/${s.serviceAccountName}'`;
    if (annotations[`${prefix}/role-arn`] !== s.roleArn) { problems.push(`${at}: the webhook (annotation prefix ${prefix}) gives its pods role '${annotations[`${prefix}/role-arn`]}', declared '${s.roleArn}'.`); }
    const audience = annotations[`${prefix}/audience`] ?? flag('token-audience');
    if (audience !== s.audience) { problems.push(`${at}: the webhook projects tokens of audience '${audience}' for its pods, but its identity declared (and its role's trust accepts) '${s.audience}'.`); }
  }
  return problems;
}
