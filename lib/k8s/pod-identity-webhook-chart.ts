import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { requireValue, validateAudience, validateClusterName } from '../core/validation';
import { KubernetesNames } from '../core/kubernetes-names';
import { atConstruct, childPath, WorkloadIdentityError } from '../core/validation-error';
import { usesIrsa } from '../core/identity-mechanism';
import { AUDIENCE_ANNOTATION, DEFAULT_AUDIENCE } from '../core/service-account-annotations';
import { PerSynthMemo } from './per-synth-memo';
import { WorkloadServiceAccount } from './workload-service-account';
import { CLUSTER_ANNOTATION, WorkloadNamespaces } from './workload-namespaces';

/** The webhook release these manifests follow (github.com/aws/amazon-eks-pod-identity-webhook, deploy/ at v0.6.17, 2026-05-18). */
export const POD_IDENTITY_WEBHOOK_IMAGE = 'public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17';
const NAME = 'pod-identity-webhook';
const CERT_SECRET = `${NAME}-cert`;
const CERT_DIR = '/etc/webhook/certs';

/** Props of `PodIdentityWebhookChart`. */
export interface PodIdentityWebhookChartProps {
  /** Name of the cluster (the app renders one cluster; its objects carry the cluster annotation). */
  readonly clusterName: string;

  /**
   * The region the pods' SDKs call STS in: `--aws-default-region` sets
   * `AWS_REGION` and `AWS_DEFAULT_REGION` in mutated containers, and the
   * regional STS endpoint is used.
   *
   * @default - no region is set: each SDK's own default (the global STS endpoint for older SDKs)
   */
  readonly region?: string;

  /**
   * Namespace of the webhook (created in the app's namespaces file).
   *
   * @default 'pod-identity-webhook'
   */
  readonly namespace?: string;

  /**
   * The audience of the projected tokens: the client id the issuer's IAM OIDC provider lists.
   * It applies to every ServiceAccount without an `eks.amazonaws.com/audience` annotation, so
   * the synth fails when an IRSA ServiceAccount of the app was declared with another audience
   * (`irsa.audience`, default `sts.amazonaws.com`).
   *
   * @default 'sts.amazonaws.com'
   */
  readonly tokenAudience?: string;

  /**
   * The webhook's image.
   *
   * @default 'public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17'
   */
  readonly image?: string;

  /**
   * Replicas of the webhook. Its failure policy is upstream's `Ignore`: a pod
   * created while no replica answers starts without credentials, so keep two.
   *
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * The Amazon EKS pod identity webhook for a cluster that is not EKS: for
 * every pod whose ServiceAccount has `eks.amazonaws.com/role-arn`, it projects
 * a token of the issuer's audience and sets `AWS_ROLE_ARN` and
 * `AWS_WEB_IDENTITY_TOKEN_FILE`. The manifests follow the webhook's deploy/
 * folder at v0.6.17 (`--in-cluster=false`, TLS from cert-manager, which must
 * be installed first), with a namespaced self-signed issuer instead of a
 * ClusterIssuer and RBAC only for what `--in-cluster=false` reads.
 */
export class PodIdentityWebhookChart extends Chart {
  /** The webhook's namespace. */
  public readonly webhookNamespace: string;
  private readonly audienceMismatches = new PerSynthMemo<string[]>();

  constructor(scope: Construct, id: string, props: PodIdentityWebhookChartProps) {
    const path = childPath(scope, id);
    const where = `PodIdentityWebhookChart '${path}'`;
    // Checked before the chart exists (its namespace is a chart option): the errors name the chart's path.
    const { namespace, audience, replicas } = atConstruct(path, () => {
      requireValue(props, `${where} props`, 'Pass { clusterName }.');
      validateClusterName(props.clusterName);
      KubernetesNames.validateNamespace(props.namespace ?? NAME);
      validateAudience(props.tokenAudience ?? 'sts.amazonaws.com');
      return { namespace: props.namespace ?? NAME, audience: props.tokenAudience ?? 'sts.amazonaws.com', replicas: props.replicas ?? 2 };
    });
    if (props.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
      throw new WorkloadIdentityError(`${where} has region '${props.region}', which is not an AWS region: pass e.g. 'eu-west-1'.`, path);
    }
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new WorkloadIdentityError(`${where} has replicas ${replicas}: pass a whole number of 1 or more (2 keeps pods getting credentials through a restart).`, path);
    }
    super(scope, id, { namespace });
    this.webhookNamespace = namespace;
    const annotations = { [CLUSTER_ANNOTATION]: props.clusterName };
    const labels = { app: NAME };
    // The webhook projects --token-audience for every ServiceAccount without an audience annotation (its README); the
    // library writes that annotation only for an audience other than the default. Checked at synth, when every
    // ServiceAccount of the app is declared: each IRSA one's pods must get the audience its role's trust accepts.
    // It reads every ServiceAccount of the app, and cdk8s validates the app once per chart it renders: once per synth is enough.
    this.node.addValidation({ validate: () => this.audienceMismatches.get(() => audienceMismatches(this, where, audience)) });

    new kplus.ServiceAccount(this, 'service-account', { metadata: { name: NAME, annotations } });
    WorkloadNamespaces.ofApp(this)._requireNamespace(this, props.clusterName, namespace);

    // --in-cluster=false: the webhook only watches ServiceAccounts (no CSRs, no secrets of its own).
    new ApiObject(this, 'cluster-role', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: NAME, annotations },
      rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'watch', 'list'] }],
    });
    new ApiObject(this, 'cluster-role-binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
      metadata: { name: NAME, annotations },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace }],
    });

    const serviceHost = `${NAME}.${namespace}.svc`;
    new ApiObject(this, 'issuer', {
      apiVersion: 'cert-manager.io/v1', kind: 'Issuer',
      metadata: { name: `${NAME}-selfsigned`, annotations },
      spec: { selfSigned: {} },
    });
    new ApiObject(this, 'certificate', {
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate',
      metadata: { name: NAME, annotations },
      spec: {
        secretName: CERT_SECRET,
        commonName: serviceHost,
        dnsNames: [NAME, `${NAME}.${namespace}`, serviceHost, `${serviceHost}.cluster.local`],
        isCA: true,
        duration: '2160h',
        renewBefore: '360h',
        issuerRef: { name: `${NAME}-selfsigned`, kind: 'Issuer' },
      },
    });

    const args = [
      '/webhook',
      '--in-cluster=false',
      `--namespace=${namespace}`,
      `--service-name=${NAME}`,
      '--annotation-prefix=eks.amazonaws.com',
      `--token-audience=${audience}`,
      `--tls-cert=${CERT_DIR}/tls.crt`,
      `--tls-key=${CERT_DIR}/tls.key`,
      ...props.region ? [`--aws-default-region=${props.region}`, '--sts-regional-endpoint=true'] : [],
      '--logtostderr',
    ];
    new ApiObject(this, 'deployment', {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: NAME, annotations },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            // The webhook reaches the API server by its in-cluster config (upstream main.go: BuildConfigFromFlags with no
            // --kube-api and no --kubeconfig), which reads this pod's ServiceAccount token: without it the webhook exits and,
            // failurePolicy Ignore, every pod starts without credentials. Mounted for this pod only: its ServiceAccount keeps it off.
            automountServiceAccountToken: true,
            containers: [{
              name: NAME,
              image: props.image ?? POD_IDENTITY_WEBHOOK_IMAGE,
              command: args,
              ports: [{ name: 'https', containerPort: 443 }],
              volumeMounts: [{ name: 'cert', mountPath: CERT_DIR, readOnly: true }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
            }],
            volumes: [{ name: 'cert', secret: { secretName: CERT_SECRET } }],
          },
        },
      },
    });
    new ApiObject(this, 'service', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: NAME, annotations },
      spec: { ports: [{ port: 443, targetPort: 443 }], selector: labels },
    });
    new ApiObject(this, 'mutating-webhook', {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration',
      metadata: { name: NAME, annotations: { ...annotations, 'cert-manager.io/inject-ca-from': `${namespace}/${NAME}` } },
      webhooks: [{
        name: 'pod-identity-webhook.amazonaws.com',
        failurePolicy: 'Ignore',
        clientConfig: { service: { name: NAME, namespace, path: '/mutate' } },
        objectSelector: { matchExpressions: [{ key: 'eks.amazonaws.com/skip-pod-identity-webhook', operator: 'DoesNotExist', values: [] }] },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1beta1'],
      }],
    });
  }
}

/** The IRSA ServiceAccounts of the webhook's app whose pods would get tokens of another audience than their identity declared. */
function audienceMismatches(chart: Chart, where: string, tokenAudience: string): string[] {
  return chart.node.root.node.findAll().filter((c): c is WorkloadServiceAccount => c instanceof WorkloadServiceAccount && usesIrsa(c.binding.mechanism))
    .flatMap(sa => {
      const declared = sa.binding.irsa?.audience ?? DEFAULT_AUDIENCE;
      const projected: string = sa.metadata.toJson().annotations?.[AUDIENCE_ANNOTATION] ?? tokenAudience;
      if (projected === declared) { return []; }
      return [`${where} projects tokens of audience '${tokenAudience}' (tokenAudience) for ServiceAccounts without an ${AUDIENCE_ANNOTATION} annotation, ` +
        `but ServiceAccount '${sa.binding.namespace}/${sa.binding.serviceAccountName}' is bound for IRSA with audience '${declared}', the one its role's trust accepts: ` +
        `STS would refuse its pods' tokens. Give its identity irsa.audience '${tokenAudience}', or remove tokenAudience.`];
    });
}
