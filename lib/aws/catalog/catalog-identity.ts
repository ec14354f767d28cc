import { Annotations, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { WorkloadIdentityError } from '../../core/validation-error';
import { WorkloadBinding } from '../../core/workload-binding';
import { bindingClusterName } from '../cluster/eks-cluster-adapter';
import { IWorkloadCluster } from '../cluster/i-workload-cluster';
import { WorkloadIdentity } from '../identity/workload-identity';
import { WorkloadIdentityOptions } from '../identity/workload-identity-options';
import { managedPolicyFinding, wildcardFindings } from './nag-findings';
import { UpstreamPolicy } from './upstream-policy';

const POLICY_BUDGET = 4500;

/**
 * Props every catalog entry takes: the identity's shared options
 * (`WorkloadIdentityOptions`: mechanism, role name, boundary, tags, IRSA and
 * Pod Identity settings, ...), the cluster, and the ServiceAccount, which
 * defaults to the one the workload's chart or add-on uses.
 */
export interface CatalogIdentityProps extends WorkloadIdentityOptions {
  /** The cluster the workload runs on. */
  readonly cluster: IWorkloadCluster;

  /**
   * Namespace of the workload's ServiceAccount.
   *
   * @default - the namespace its chart or add-on installs into (each entry documents it)
   */
  readonly namespace?: string;

  /**
   * Name of the workload's ServiceAccount.
   *
   * @default - the name its chart or add-on gives it (each entry documents it)
   */
  readonly serviceAccountName?: string;
}

/** What an entry tells the catalog base: its defaults and its upstream. */
export interface CatalogEntryDefinition {
  /** Namespace the workload's chart or add-on installs into. */
  readonly defaultNamespace: string;
  /** Name of the workload's ServiceAccount in its chart or add-on. */
  readonly defaultServiceAccountName: string;
  /** The upstream policy the entry follows. */
  readonly upstream: UpstreamPolicy;
  /**
   * Attach the AWS managed policies the upstream names (`upstream.awsManagedPolicyNames`)
   * instead of the scoped document.
   *
   * @default false
   */
  readonly useAwsManagedPolicy?: boolean;
  /**
   * False when an EKS managed add-on carries the Pod Identity association.
   *
   * @default true
   */
  readonly createPodIdentityAssociations?: boolean;

  /**
   * What EKS Auto Mode builds in instead of this workload, if it does.
   *
   * @default - Auto Mode has no built-in equivalent
   */
  readonly autoModeBuiltIn?: string;
}

/**
 * A known workload's identity: one `WorkloadIdentity` bound to the
 * ServiceAccount the workload's chart or add-on uses, with the permissions
 * the workload's owner publishes, narrowed to the resources you pass.
 *
 * The permissions go into one `iam.ManagedPolicy` (child `Policy`), so the
 * larger controller policies never approach IAM's inline quota.
 */
export abstract class CatalogIdentity extends Construct implements iam.IPrincipal {
  /** The underlying identity (its role, trust and bindings). */
  public readonly identity: WorkloadIdentity;
  /** The role the workload's pods assume. */
  public readonly role: iam.IRole;
  /** The principal to grant more permissions to. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The role's assume-role action. */
  public readonly assumeRoleAction: string;
  /** The role as a principal in a policy. */
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  /** The AWS account of the role. */
  public readonly principalAccount?: string;
  /** The upstream policy this entry follows. */
  public readonly upstream: UpstreamPolicy;

  private readonly reasons: { [sid: string]: string } = {};
  private readonly managedPolicies: iam.ManagedPolicy[] = [];
  private currentLength = 0;

  protected constructor(scope: Construct, id: string, props: CatalogIdentityProps, definition: CatalogEntryDefinition) {
    super(scope, id);
    this.upstream = definition.upstream;
    const awsManagedNames = definition.useAwsManagedPolicy ? definition.upstream.awsManagedPolicyNames ?? [] : [];
    const awsManaged = awsManagedNames.map(name => iam.ManagedPolicy.fromAwsManagedPolicyName(name));
    this.identity = new WorkloadIdentity(this, 'Identity', {
      ...identityOptions(props),
      cluster: props.cluster,
      namespace: props.namespace ?? definition.defaultNamespace,
      serviceAccountName: props.serviceAccountName ?? definition.defaultServiceAccountName,
      // The entry's own description is for a role it creates: an existing role keeps its own (a description the caller gives is refused there).
      description: props.description ?? (props.role ? undefined : `${this.constructor.name}: follows ${definition.upstream.name} (${definition.upstream.version})`.slice(0, 1000)),
      managedPolicies: [...props.managedPolicies ?? [], ...awsManaged].length > 0 ? [...props.managedPolicies ?? [], ...awsManaged] : undefined,
      // An add-on carries its own association: the entry decides, not the caller.
      createPodIdentityAssociations: definition.createPodIdentityAssociations ?? props.createPodIdentityAssociations,
    });
    for (const policy of awsManaged) {
      Validations.of(this.identity).acknowledge({
        id: `AwsSolutions-IAM4[${managedPolicyFinding(Stack.of(this), policy.managedPolicyArn)}]`,
        reason: `AWS recommends the AWS managed ${awsManagedNames.join(', ')} for this workload; chosen explicitly with useAwsManagedPolicy.`,
      });
    }
    this.role = this.identity.role;
    this.grantPrincipal = this.identity.grantPrincipal;
    this.assumeRoleAction = this.identity.assumeRoleAction;
    this.policyFragment = this.identity.policyFragment;
    this.principalAccount = this.identity.principalAccount;
    if (definition.autoModeBuiltIn && props.cluster.kind === ClusterKind.EKS_AUTO_MODE) {
      Annotations.of(this).addWarningV2('cdk-eks-workload-identity:catalog-auto-mode',
        `Cluster '${props.cluster.clusterName}' is in EKS Auto Mode, which builds in ${definition.autoModeBuiltIn}: ` +
        `${this.constructor.name} is needed only if you run your own ${this.constructor.name.replace(/Identity$/, '')} beside it.`);
    }
  }

  /** Adds a statement to the role's identity policy (as `grantXxx(entry)` does). */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return this.identity.addToPrincipalPolicy(statement);
  }

  /** Adds a statement to the role's identity policy. */
  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  /** The binding of the workload's ServiceAccount, for the Kubernetes side. */
  public get binding(): WorkloadBinding {
    return this.identity.primaryBinding;
  }

  /**
   * The managed policies holding the scoped document (empty if the entry uses
   * only AWS managed policies). A document near IAM's 6,144-character
   * managed policy quota is split across several.
   */
  public get policies(): iam.ManagedPolicy[] {
    return [...this.managedPolicies];
  }

  /**
   * Why a statement allows a write action on every resource (`*`) without a
   * condition, by statement id. Every such statement has one; the catalog's
   * evaluation tests hold each entry to it.
   */
  public get wildcardWriteReasons(): { [sid: string]: string } {
    return { ...this.reasons };
  }

  /** Adds statements to the entry's managed policy. */
  protected addStatements(...statements: iam.PolicyStatement[]): void {
    for (const statement of statements) {
      // Rendered ARNs are longer than their tokens: the estimate keeps a margin below IAM's 6,144 characters.
      const length = JSON.stringify(Stack.of(this).resolve(statement.toStatementJson())).length;
      if (this.managedPolicies.length === 0 || this.currentLength + length > POLICY_BUDGET) {
        const n = this.managedPolicies.length;
        this.managedPolicies.push(new iam.ManagedPolicy(this, n === 0 ? 'Policy' : `Policy${n + 1}`, {
          description: `Permissions of ${this.binding.namespace}/${this.binding.serviceAccountName}, after ${this.upstream.name}`.slice(0, 1000),
          roles: [this.role],
        }));
        this.currentLength = 0;
      }
      this.managedPolicies[this.managedPolicies.length - 1].addStatements(statement);
      this.currentLength += length;
    }
  }

  /**
   * Adds a statement that allows write actions on `*`, with the reason it
   * cannot be narrowed (recorded under its `sid`, and as the reason of the
   * cdk-nag acknowledgement).
   */
  protected addWildcardWriteStatement(statement: iam.PolicyStatement, reason: string): void {
    const sid = statement.sid;
    if (!sid) { throw new WorkloadIdentityError(`Catalog statement of '${this.node.path}' allows writes on * without a Sid.`, this.node.path); }
    this.reasons[sid] = reason;
    this.addStatements(statement);
  }

  /**
   * Acknowledges cdk-nag's wildcard findings (AwsSolutions-IAM5) on the
   * entry's managed policies, each by its exact id, with the reason. Call it
   * once all statements are added.
   */
  protected acknowledgeWildcards(reason: string): void {
    for (const policy of this.managedPolicies) {
      for (const finding of wildcardFindings(Stack.of(this), policy.document)) {
        Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
      }
    }
  }

  /**
   * The cluster name as a literal, for condition keys, tag keys and Helm
   * values that must name it. A cluster created in the app (aws-eks-v2
   * `Cluster` with a literal `clusterName`) gives the name it was given: its
   * own `clusterName` is the `Ref`, which the entry's add-on keeps using so the
   * dependency on the cluster stays.
   */
  protected literalClusterName(cluster: IWorkloadCluster, what: string): string {
    const name = bindingClusterName(cluster);
    if (Token.isUnresolved(name)) {
      throw new WorkloadIdentityError(
        `${this.constructor.name} '${this.node.path}' scopes ${what} by a tag that names the cluster, but the cluster name is a token. ` +
        'Give the cluster a literal name (WorkloadCluster.fromClusterAttributes with clusterName, or an aws-eks-v2 Cluster with clusterName set).', this.node.path);
    }
    return name;
  }

  /** An ARN in the stack's partition, region and account. */
  protected arn(service: string, resource: string): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
  }

  /** An ARN in the stack's partition with the given region and account fields (`''` for global resources). */
  protected arnIn(service: string, region: string, account: string, resource: string): string {
    return `arn:${Stack.of(this).partition}:${service}:${region}:${account}:${resource}`;
  }

  /** Warns once that the entry was given a broad choice. */
  protected warnBroad(id: string, message: string): void {
    Annotations.of(this).addWarningV2(`cdk-eks-workload-identity:catalog-${id}`, message);
  }
}

/** The identity's shared options out of an entry's props (which also hold the entry's own inputs). */
function identityOptions(props: CatalogIdentityProps): WorkloadIdentityOptions {
  return {
    mechanism: props.mechanism, migration: props.migration, role: props.role, roleName: props.roleName, roleNamePrefix: props.roleNamePrefix,
    rolePath: props.rolePath, tags: props.tags, maxSessionDuration: props.maxSessionDuration, permissionsBoundary: props.permissionsBoundary,
    irsa: props.irsa, podIdentity: props.podIdentity,
  };
}
