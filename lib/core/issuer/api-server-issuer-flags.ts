import { validateIssuerUrl } from '../validation';
import { WorkloadIdentityError } from '../validation-error';
import { ServiceAccountIssuerDocuments } from './service-account-issuer-documents';

/** Props of `ApiServerIssuerFlags`. */
export interface ApiServerIssuerFlagsProps {
  /** The documents of the issuer the API server signs as. */
  readonly documents: ServiceAccountIssuerDocuments;

  /**
   * Issuers the API server still accepts tokens of (extra `--service-account-issuer`
   * flags after the first), while a cluster moves from its old issuer: tokens
   * already mounted keep working until the kubelet refreshes them.
   *
   * @default - none
   */
  readonly previousIssuerUrls?: string[];

  /**
   * The API server's own audiences (`--api-audiences`): what a token presented
   * to the API server must carry. Not `sts.amazonaws.com`: the webhook asks for
   * tokens of that audience, and they are for STS only.
   *
   * @default - the issuer URL and each previous issuer, as the API server defaults to its issuer
   */
  readonly apiAudiences?: string[];

  /**
   * Paths on the control plane of the public keys (`--service-account-key-file`, repeated).
   *
   * @default ['/etc/kubernetes/pki/sa.pub'] (kubeadm's)
   */
  readonly publicKeyFiles?: string[];

  /**
   * Path on the control plane of the private key tokens are signed with (`--service-account-signing-key-file`).
   *
   * @default '/etc/kubernetes/pki/sa.key' (kubeadm's)
   */
  readonly signingKeyFile?: string;
}

/**
 * The kube-apiserver flags that make a cluster sign ServiceAccount tokens as
 * the issuer IAM trusts, and the same for kubeadm and k3s configuration files.
 * One character of difference between `--service-account-issuer`, the hosted
 * documents and the IAM provider, and every pod gets `InvalidIdentityToken`:
 * all three come from one `ServiceAccountIssuerDocuments`.
 */
export class ApiServerIssuerFlags {
  /** The flags, one `--name=value` each, in the order the API server reads them (the first issuer signs). */
  public readonly flags: string[];
  /** A kubeadm `ClusterConfiguration` (v1beta4) carrying the issuer flags (kubeadm already passes its key files). */
  public readonly kubeadmClusterConfiguration: string;
  /** A k3s `config.yaml` fragment (`kube-apiserver-arg`) carrying the issuer flags. */
  public readonly k3sConfig: string;

  constructor(props: ApiServerIssuerFlagsProps) {
    const documents = props.documents;
    const previous = props.previousIssuerUrls ?? [];
    previous.forEach(url => validateIssuerUrl(url));
    if (previous.includes(documents.issuerUrl)) {
      throw new WorkloadIdentityError(`previousIssuerUrls lists the issuer itself ('${documents.issuerUrl}'): list only the issuers the cluster moves away from.`);
    }
    const audiences = props.apiAudiences ?? [documents.issuerUrl, ...previous];
    if (audiences.length === 0 || audiences.some(a => typeof a !== 'string' || a.length === 0 || /[,\s]/.test(a))) {
      throw new WorkloadIdentityError(`Invalid apiAudiences ${JSON.stringify(audiences)}: pass one or more audiences without commas or spaces, e.g. ['${documents.issuerUrl}'].`);
    }
    const keyFiles = props.publicKeyFiles ?? ['/etc/kubernetes/pki/sa.pub'];
    const signingKeyFile = props.signingKeyFile ?? '/etc/kubernetes/pki/sa.key';
    [...keyFiles, signingKeyFile].forEach(file => {
      if (typeof file !== 'string' || !file.startsWith('/') || /[\s,]/.test(file)) {
        throw new WorkloadIdentityError(`Invalid key file path ${JSON.stringify(file)}: pass an absolute path on the control plane, e.g. '/etc/kubernetes/pki/sa.pub'.`);
      }
    });
    const issuerArgs: Array<[string, string]> = [
      ...[documents.issuerUrl, ...previous].map(url => ['service-account-issuer', url] as [string, string]),
      ['service-account-jwks-uri', documents.jwksUri],
      ['api-audiences', audiences.join(',')],
    ];
    const keyArgs: Array<[string, string]> = [
      ...keyFiles.map(file => ['service-account-key-file', file] as [string, string]),
      ['service-account-signing-key-file', signingKeyFile],
    ];
    this.flags = [...issuerArgs, ...keyArgs].map(([name, value]) => `--${name}=${value}`);
    this.kubeadmClusterConfiguration = [
      'apiVersion: kubeadm.k8s.io/v1beta4',
      'kind: ClusterConfiguration',
      'apiServer:',
      '  extraArgs:',
      ...issuerArgs.flatMap(([name, value]) => [`    - name: ${name}`, `      value: ${JSON.stringify(value)}`]),
      '',
    ].join('\n');
    this.k3sConfig = [
      'kube-apiserver-arg:',
      ...issuerArgs.map(([name, value]) => `  - ${JSON.stringify(`${name}=${value}`)}`),
      '',
    ].join('\n');
  }
}
