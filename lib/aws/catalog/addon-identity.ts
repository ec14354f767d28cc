import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { usesIrsa, usesPodIdentity } from '../../core/identity-mechanism';
import { childPath, WorkloadIdentityError } from '../../core/validation-error';
import { clusterDisplayName, IWorkloadCluster } from '../cluster/i-workload-cluster';
import { dependOnPodIdentityAgent } from '../cluster/pod-identity-agent';
import { CatalogEntryDefinition, CatalogIdentity, CatalogIdentityProps } from './catalog-identity';

/** Props of catalog entries that are EKS managed add-ons. */
export interface AddonIdentityProps extends CatalogIdentityProps {
  /**
   * Whether this construct declares the `AWS::EKS::Addon` and binds the role
   * through it: its `PodIdentityAssociations` (Pod Identity) or
   * `ServiceAccountRoleArn` (IRSA). Set false when the add-on is installed
   * elsewhere; Pod Identity then gets a standalone association, which must
   * not coexist with one that add-on declares.
   *
   * @default true
   */
  readonly installAddon?: boolean;

  /**
   * Version of the add-on, e.g. `v1.40.0-eksbuild.1`.
   *
   * @default - the default version EKS picks for the cluster
   */
  readonly addonVersion?: string;

  /**
   * The add-on's configuration values (JSON), as `aws eks describe-addon-configuration` documents them.
   *
   * @default - none: the add-on's defaults
   */
  readonly configurationValues?: string;
}

/** What an add-on entry tells the base. */
export interface AddonEntryDefinition extends CatalogEntryDefinition {
  /** The EKS add-on name, e.g. `aws-ebs-csi-driver`. */
  readonly addonName: string;
}

/**
 * A catalog entry installed as an EKS managed add-on. The role is bound
 * through the add-on itself, never by a second association that would
 * compete with the add-on's; the add-on depends on the Pod Identity agent.
 */
export abstract class AddonIdentity extends CatalogIdentity {
  /** The EKS add-on name. */
  public readonly addonName: string;
  /** The declared add-on (undefined with `installAddon: false`). */
  public readonly addon?: eks.CfnAddon;

  protected constructor(scope: Construct, id: string, props: AddonIdentityProps, definition: AddonEntryDefinition) {
    const install = props.installAddon ?? true;
    // Checked before the identity claims the ServiceAccount: nothing half-built.
    if (install && props.cluster.kind === ClusterKind.NOT_EKS) {
      throw new WorkloadIdentityError(
        `${new.target.name} '${scope.node.path}/${id}' installs the ${definition.addonName} EKS add-on, but cluster '${props.cluster.clusterName}' is not EKS, ` +
        'where add-ons do not exist. Install the driver yourself (e.g. its Helm chart) and set installAddon to false.', childPath(scope, id));
    }
    if (install && props.namespace !== undefined && props.namespace !== definition.defaultNamespace) {
      throw new WorkloadIdentityError(
        `${new.target.name} '${scope.node.path}/${id}' installs the ${definition.addonName} add-on, which runs in namespace '${definition.defaultNamespace}', ` +
        `so its ServiceAccount cannot be in '${props.namespace}'. Remove namespace, or set installAddon to false and install the add-on yourself.`, childPath(scope, id));
    }
    // The add-on creates its one ServiceAccount and binds the role to it (EKS annotates it with ServiceAccountRoleArn, or
    // its PodIdentityAssociations name it): a trust and binding of another name would never reach the driver's pods.
    if (install && props.serviceAccountName !== undefined && props.serviceAccountName !== definition.defaultServiceAccountName) {
      throw new WorkloadIdentityError(
        `${new.target.name} '${scope.node.path}/${id}' installs the ${definition.addonName} add-on, whose ServiceAccount is ` +
        `'${definition.defaultNamespace}/${definition.defaultServiceAccountName}', so it cannot be '${props.serviceAccountName}': the add-on binds the role to its own ` +
        'ServiceAccount only. Remove serviceAccountName, or set installAddon to false and install the add-on yourself.', childPath(scope, id));
    }
    if (install) { assertAddonInClusterEnvironment(scope, childPath(scope, id), new.target.name, props.cluster, definition.addonName); }
    super(scope, id, props, { ...definition, createPodIdentityAssociations: !install });
    this.addonName = definition.addonName;
    if (!install) { return; }
    // The add-on binds the one ServiceAccount it installs, on its cluster: a subject added to the identity would get
    // neither an association (the add-on's is the only one) nor, for the add-on's own ServiceAccount, a role ARN.
    const entry = new.target.name;
    this.identity._refuseSubjects(subject =>
      `${entry} '${this.node.path}' binds its role through the ${definition.addonName} add-on of cluster '${clusterDisplayName(props.cluster)}' ` +
      `(AWS::EKS::Addon), so ServiceAccount '${subject.namespace}/${subject.serviceAccountName}' on cluster '${clusterDisplayName(subject.cluster)}' ` +
      `added with addSubject would get no association and no role. Declare another ${entry} for that cluster (an add-on is installed per cluster), ` +
      'or set installAddon to false (the identity then declares its own associations).');

    const binding = this.binding;
    const cluster = props.cluster;
    const roleArn = this.role.roleArn;
    this.addon = new eks.CfnAddon(this, 'Addon', {
      clusterName: cluster.clusterName,
      addonName: definition.addonName,
      addonVersion: props.addonVersion,
      configurationValues: props.configurationValues,
      // The add-on owns its ServiceAccount; keep its settings when one already exists.
      resolveConflicts: 'OVERWRITE',
      podIdentityAssociations: usesPodIdentity(binding.mechanism)
        ? [{ serviceAccount: binding.serviceAccountName, roleArn }]
        : undefined,
      serviceAccountRoleArn: usesIrsa(binding.mechanism) ? roleArn : undefined,
    });
    if (usesPodIdentity(binding.mechanism)) { dependOnPodIdentityAgent(this.addon, cluster); }
  }
}

/**
 * The AWS::EKS::Addon names its cluster by name, in its stack's account and
 * region: from another, it would target a cluster of that name there (and,
 * with ResolveConflicts OVERWRITE, take over its add-on), or none. Whatever
 * the mechanism: an IRSA add-on is declared there too.
 */
function assertAddonInClusterEnvironment(scope: Construct, path: string, entry: string, cluster: IWorkloadCluster, addonName: string): void {
  const c = cluster._clusterEnvironment;
  const stack = Stack.of(scope);
  const here = { account: literal(stack.account), region: literal(stack.region) };
  const differ = (a?: string, b?: string) => a !== undefined && b !== undefined && a !== b;
  if (!differ(c.account, here.account) && !differ(c.region, here.region)) { return; }
  throw new WorkloadIdentityError(
    `${entry} '${path}' installs the ${addonName} add-on from stack '${stack.stackName}' (account ${here.account}, region ${here.region}), but cluster ` +
    `'${clusterDisplayName(cluster)}' is in account ${c.account}, region ${c.region}: the AWS::EKS::Addon would target a cluster of that name there ` +
    '(taking over its add-on: ResolveConflicts OVERWRITE), or none. Declare it in a stack of the cluster\'s account and region, or set installAddon to false ' +
    'and install the add-on there.', path);
}

function literal(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}
