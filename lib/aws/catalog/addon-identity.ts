import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { usesIrsa, usesPodIdentity } from '../../core/identity-mechanism';
import { WorkloadIdentityError } from '../../core/validation-error';
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
        'where add-ons do not exist. Install the driver yourself (e.g. its Helm chart) and set installAddon to false.');
    }
    if (install && props.namespace !== undefined && props.namespace !== definition.defaultNamespace) {
      throw new WorkloadIdentityError(
        `${new.target.name} '${scope.node.path}/${id}' installs the ${definition.addonName} add-on, which runs in namespace '${definition.defaultNamespace}', ` +
        `so its ServiceAccount cannot be in '${props.namespace}'. Remove namespace, or set installAddon to false and install the add-on yourself.`);
    }
    super(scope, id, props, { ...definition, createPodIdentityAssociations: !install });
    this.addonName = definition.addonName;
    if (!install) { return; }

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
