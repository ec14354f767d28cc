import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { requireValue, validateClusterArn, validateOidcProviderArn } from '../../core/validation';
import { WorkloadIdentityError } from '../../core/validation-error';
import { assertClusterArnPartition } from '../stacks/partition';
import { assertAgentInClusterEnvironment } from './cluster-environment';
import { declaredPodIdentityAgents, newPodIdentityAgent } from './pod-identity-agent';
import { WorkloadClusterBase } from './workload-cluster-base';
import { WorkloadClusterOptions } from './workload-cluster-options';

/** Attributes of a cluster that exists outside this app, or is not EKS. */
export interface WorkloadClusterAttributes extends WorkloadClusterOptions {
  /** Name of the cluster. */
  readonly clusterName: string;

  /**
   * ARN of the EKS cluster.
   *
   * @default - built from the stack's partition, region and account and the cluster name
   */
  readonly clusterArn?: string;

  /**
   * An IAM OIDC provider that already registers the issuer, for example
   * `iam.OidcProviderNative.fromOidcProviderArn(...)`. A handle handed one owns
   * the cluster in the app, as one that declares it.
   *
   * @default - the provider IAM registers for `oidcIssuerUrl`, referenced by its ARN
   * (`arn:<partition>:iam::<account>:oidc-provider/<issuer>`, in the account of each role that trusts it), unless `createOpenIdConnectProvider`
   */
  readonly openIdConnectProvider?: iam.IOpenIdConnectProvider;
}

/** A cluster known by its attributes (`WorkloadCluster.fromClusterAttributes`). */
export class AttributesCluster extends WorkloadClusterBase {
  constructor(scope: Construct, id: string, private readonly attrs: WorkloadClusterAttributes) {
    super(scope, id, attrs);
    requireValue(attrs, `WorkloadCluster '${this.node.path}' attrs`, 'Pass { clusterName, ... }.');
    this.checkNameAndOptions(attrs.clusterName);
    if (attrs.openIdConnectProvider) { validateOidcProviderArn(attrs.openIdConnectProvider.openIdConnectProviderArn); }
    if (attrs.openIdConnectProvider && attrs.createOpenIdConnectProvider) {
      throw new WorkloadIdentityError(
        `Cluster '${attrs.clusterName}' has both openIdConnectProvider and createOpenIdConnectProvider: true: the provider would be both given and declared. ` +
        'Drop createOpenIdConnectProvider to use the given provider, or drop openIdConnectProvider to have this stack declare one for oidcIssuerUrl.', this.node.path);
    }
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
    this.establish({
      clusterName: attrs.clusterName, clusterArn, kind, oidcIssuerUrl: attrs.oidcIssuerUrl,
      literalClusterName: Token.isUnresolved(attrs.clusterName) ? undefined : attrs.clusterName,
    }, attrs.openIdConnectProvider, false);
  }

  protected resolveOpenIdConnectProvider(): iam.IOpenIdConnectProvider | undefined {
    return this.attrs.openIdConnectProvider;
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
