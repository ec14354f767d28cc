import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { FargateProfileSelector } from '../../core/fargate-selector';
import { OidcIssuer } from '../../core/oidc-issuer';
import { requireOneOf, requireValue, validateClusterArn, validateClusterName, validateOidcProviderArn } from '../../core/validation';
import { WorkloadIdentityError } from '../../core/validation-error';
import { assertClusterArnPartition } from '../stacks/partition';
import { assertAgentInClusterEnvironment } from './cluster-environment';
import { assertProviderMatchesIssuer } from './oidc-provider';
import { IWorkloadCluster } from './i-workload-cluster';
import { declaredPodIdentityAgents, newPodIdentityAgent } from './pod-identity-agent';
import { WorkloadClusterBase } from './workload-cluster-base';

/** Attributes of a cluster that exists outside this app, or is not EKS. */
export interface WorkloadClusterAttributes {
  /** Name of the cluster. */
  readonly clusterName: string;

  /**
   * What kind of cluster it is.
   *
   * @default ClusterKind.EKS
   */
  readonly kind?: ClusterKind;

  /**
   * ARN of the EKS cluster.
   *
   * @default - built from the stack's partition, region and account and the cluster name
   */
  readonly clusterArn?: string;

  /**
   * The cluster's OIDC issuer URL, e.g.
   * `https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`.
   * With a literal URL the IRSA trust needs no custom resource.
   *
   * @default - no issuer: IRSA needs `openIdConnectProvider`
   */
  readonly oidcIssuerUrl?: string;

  /**
   * An IAM OIDC provider that already registers the issuer, for example
   * `iam.OidcProviderNative.fromOidcProviderArn(...)`. A handle handed one owns
   * the cluster in the app, as one that declares it.
   *
   * @default - the provider IAM registers for `oidcIssuerUrl`, referenced by its ARN
   * (`arn:<partition>:iam::<account>:oidc-provider/<issuer>`, in the account of each role that trusts it), unless `createOpenIdConnectProvider`
   */
  readonly openIdConnectProvider?: iam.IOpenIdConnectProvider;

  /**
   * Whether this handle owns the cluster's IAM OIDC provider: one is declared in
   * its stack when it is constructed, used or not, listing `sts.amazonaws.com`
   * and every audience identities add. Set it on the cluster's owner, in the
   * cluster's stack; drop it once nothing on the cluster uses IRSA. Needs
   * `oidcIssuerUrl`; not with `openIdConnectProvider` or `owner`.
   *
   * @default false - the provider must exist: IRSA roles reference it by ARN, and a note on this handle says which
   */
  readonly createOpenIdConnectProvider?: boolean;

  /**
   * Whether this handle owns the cluster's `eks-pod-identity-agent` add-on:
   * declared in its stack when it is constructed, used or not (one already
   * declared there is reused; never on Auto Mode). Set it on the cluster's
   * owner, in the cluster's stack. Not with `owner`.
   *
   * @default false - the agent is installed outside this app; a note on this handle says it must be present
   */
  readonly installPodIdentityAgent?: boolean;

  /**
   * The handle that owns this cluster in the app (`createOpenIdConnectProvider`,
   * `installPodIdentityAgent`, `openIdConnectProvider`, or a cluster created in
   * the app): this handle is then the owner's cluster. Every other handle of an
   * owned cluster must be handed it, or construction fails naming the owner.
   *
   * @default - this handle is the owner, or the cluster has none in the app
   */
  readonly owner?: IWorkloadCluster;

  /**
   * The selectors of the cluster's Fargate profiles (namespace and labels,
   * with EKS's `*` and `?` wildcards). A subject in a namespace every pod of
   * which they send to Fargate gets IRSA, where Pod Identity gives no
   * credentials; one in a namespace only some labelled pods of which they
   * send gets IRSA too (it serves them on Fargate and on nodes) unless it
   * declares Pod Identity; the rest keep the default (Pod Identity).
   * Not on a NOT_EKS cluster.
   *
   * @default - none: every pod runs on nodes
   */
  readonly fargateProfileSelectors?: FargateProfileSelector[];

  /**
   * Version of the `eks-pod-identity-agent` add-on, e.g. `v1.3.4-eksbuild.1`.
   *
   * @default - the default version EKS picks for the cluster's Kubernetes version
   */
  readonly podIdentityAgentVersion?: string;
}

/** A cluster known by its attributes (`WorkloadCluster.fromClusterAttributes`). */
export class AttributesCluster extends WorkloadClusterBase {
  constructor(scope: Construct, id: string, private readonly attrs: WorkloadClusterAttributes) {
    super(scope, id);
    requireValue(attrs, `WorkloadCluster '${this.node.path}' attrs`, 'Pass { clusterName, ... }.');
    validateClusterName(attrs.clusterName);
    requireOneOf(attrs.kind, Object.values(ClusterKind), `kind of WorkloadCluster '${this.node.path}'`);
    if (attrs.openIdConnectProvider) { validateOidcProviderArn(attrs.openIdConnectProvider.openIdConnectProviderArn); }
    if (attrs.openIdConnectProvider && attrs.createOpenIdConnectProvider) {
      throw new WorkloadIdentityError(
        `Cluster '${attrs.clusterName}' has both openIdConnectProvider and createOpenIdConnectProvider: true: the provider would be both given and declared. ` +
        'Drop createOpenIdConnectProvider to use the given provider, or drop openIdConnectProvider to have this stack declare one for oidcIssuerUrl.', this.node.path);
    }
    if (attrs.oidcIssuerUrl && !Token.isUnresolved(attrs.oidcIssuerUrl)) { OidcIssuer.validate(attrs.oidcIssuerUrl); }
    if (attrs.oidcIssuerUrl) { assertProviderMatchesIssuer(this, attrs.clusterName, attrs.oidcIssuerUrl, attrs.openIdConnectProvider); }
    const kind = attrs.kind ?? ClusterKind.EKS;
    let clusterArn: string | undefined;
    if (kind === ClusterKind.NOT_EKS) {
      if (attrs.clusterArn) {
        throw new WorkloadIdentityError(`Cluster '${attrs.clusterName}' is NOT_EKS but has clusterArn '${attrs.clusterArn}'. Remove clusterArn, or set kind to ClusterKind.EKS.`, this.node.path);
      }
    } else {
      clusterArn = attrs.clusterArn ?? Stack.of(this).formatArn({
        service: 'eks', resource: 'cluster', resourceName: attrs.clusterName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      validateClusterArn(clusterArn, attrs.clusterName);
      assertClusterArnPartition(this, clusterArn, attrs.clusterName);
    }
    const owns = [
      attrs.createOpenIdConnectProvider && 'createOpenIdConnectProvider',
      attrs.openIdConnectProvider && 'openIdConnectProvider',
      attrs.installPodIdentityAgent && 'installPodIdentityAgent',
    ].filter(Boolean).join(', ') || undefined;
    this.establish({
      clusterName: attrs.clusterName, clusterArn, kind, oidcIssuerUrl: attrs.oidcIssuerUrl,
      literalClusterName: Token.isUnresolved(attrs.clusterName) ? undefined : attrs.clusterName,
    }, owns, attrs.owner, true);
    this.declareFargateSelectors(attrs.fargateProfileSelectors);
  }

  protected statedKind(): ClusterKind | undefined {
    return this.attrs.kind;
  }

  protected resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined {
    return this.attrs.openIdConnectProvider;
  }

  protected createsOpenIdConnectProvider(): boolean {
    return this.attrs.createOpenIdConnectProvider === true;
  }

  protected resolvePodIdentityAgent(): IConstruct | undefined {
    if (this.attrs.installPodIdentityAgent !== true) { return undefined; }
    const declared = declaredPodIdentityAgents(this, this.clusterName)[0];
    if (declared) { return declared; }
    // Declared by ARN from a stack of another account or region, the add-on cannot be created here.
    assertAgentInClusterEnvironment(this, this._clusterEnvironment, this.clusterName);
    return newPodIdentityAgent(this, this.clusterName, this.attrs.podIdentityAgentVersion);
  }
}
