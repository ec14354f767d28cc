import { Annotations, CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { supportsPodIdentity } from '../core/cluster-kind';
import { IdentityMechanism, usesIrsa, usesPodIdentity } from '../core/identity-mechanism';
import { KubernetesNames } from '../core/kubernetes-names';
import { POD_IDENTITY_ACTIONS, POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TAG_KEYS } from '../core/pod-identity';
import {
  AUDIENCE_ANNOTATION, DEFAULT_AUDIENCE, MIN_TOKEN_EXPIRATION_SECONDS, ROLE_ARN_ANNOTATION,
  STS_REGIONAL_ENDPOINTS_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION,
} from '../core/service-account-annotations';
import { requireValue, validateAudience } from '../core/validation';
import { WorkloadIdentityError } from '../core/validation-error';
import { WorkloadBinding, WorkloadBindings } from '../core/workload-binding';
import { WorkloadIdentityGuardrails } from './guardrails/workload-identity-guardrails';
import { generatedRoleName, literalRoleArn, validateRoleName } from './role-arn';
import { claimServiceAccount, displayName } from './subject-registry';
import { WorkloadTrustPolicy } from './trust-policy';
import { IWorkloadCluster } from './workload-cluster';

/** A ServiceAccount that may use the identity's role. */
export interface ServiceAccountSubject {
  /** The cluster the ServiceAccount lives in. */
  readonly cluster: IWorkloadCluster;
  /** Namespace of the ServiceAccount (an RFC 1123 label). */
  readonly namespace: string;
  /** Name of the ServiceAccount (an RFC 1123 subdomain). */
  readonly serviceAccountName: string;
  /**
   * How pods of this ServiceAccount get the role.
   *
   * @default - the identity's `mechanism`, else the cluster's default (EKS: Pod Identity; not EKS: IRSA)
   */
  readonly mechanism?: IdentityMechanism;
}

/** IRSA settings, written as ServiceAccount annotations and into the trust policy. */
export interface IrsaOptions {
  /**
   * The token audience: the trust policy's `<issuer>:aud` and the
   * `eks.amazonaws.com/audience` annotation. A provider declared in this app
   * (this library's, or an aws-eks-v2 cluster's own native one) lists it as a
   * client id; an imported provider must already.
   *
   * @default 'sts.amazonaws.com'
   */
  readonly audience?: string;

  /**
   * Annotates `eks.amazonaws.com/sts-regional-endpoints: "true"`, so the SDK
   * calls the regional STS endpoint instead of the global one.
   *
   * @default false - no annotation; the webhook's default applies
   */
  readonly stsRegionalEndpoints?: boolean;

  /**
   * Lifetime of the projected token (`eks.amazonaws.com/token-expiration`), at least 1 hour.
   *
   * @default - no annotation; the webhook's default (24 hours) applies
   */
  readonly tokenExpiration?: Duration;
}

/** Pod Identity settings. */
export interface PodIdentityOptions {
  /**
   * Scope the trust policy to exactly the identity's (cluster, namespace,
   * ServiceAccount) subjects with the session tags EKS sends, plus
   * `aws:SourceAccount`. Without it, any pod identity association in the
   * account that is allowed to pass the role can use it, from any namespace.
   *
   * @default true
   */
  readonly restrictTrustToSubjects?: boolean;

  /**
   * Whether EKS attaches session tags (cluster, namespace, ServiceAccount,
   * pod) to the role session. The subject-scoped trust needs them.
   *
   * @default true
   */
  readonly sessionTags?: boolean;
}

/** Props of `WorkloadIdentity`. */
export interface WorkloadIdentityProps {
  /** The cluster of the first ServiceAccount. */
  readonly cluster: IWorkloadCluster;
  /** Namespace of the first ServiceAccount. */
  readonly namespace: string;
  /** Name of the first ServiceAccount. */
  readonly serviceAccountName: string;

  /**
   * The mechanism of every subject that does not name its own.
   *
   * @default - per cluster: Pod Identity on EKS, IRSA elsewhere
   */
  readonly mechanism?: IdentityMechanism;

  /**
   * An existing role to use instead of creating one. Its trust policy is not
   * changed: a warning lists the trust it must have.
   *
   * @default - a role is created with a trust policy for exactly the subjects
   */
  readonly role?: iam.IRole;

  /**
   * Name of the created role.
   *
   * @default - CloudFormation generates one; for IRSA, a name derived from the construct path, so the ARN is known to the ServiceAccount
   */
  readonly roleName?: string;

  /**
   * Description of the created role.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Maximum session duration of the created role (1 to 12 hours).
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * Managed policies to attach to the created role.
   *
   * @default - none; prefer grants (`bucket.grantRead(identity)`)
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * Permissions boundary of the created role.
   *
   * @default - none
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * IRSA settings.
   *
   * @default - audience sts.amazonaws.com, no optional annotations
   */
  readonly irsa?: IrsaOptions;

  /**
   * Pod Identity settings.
   *
   * @default - trust restricted to the subjects, session tags on
   */
  readonly podIdentity?: PodIdentityOptions;

  /**
   * Whether Pod Identity subjects get their own `AWS::EKS::PodIdentityAssociation`
   * (and the agent add-on). Set false when an EKS managed add-on binds the role
   * through its own `PodIdentityAssociations`: two associations for one
   * ServiceAccount would compete.
   *
   * @default true
   */
  readonly createPodIdentityAssociations?: boolean;
}

/**
 * One workload's AWS identity: a role whose trust admits exactly its
 * ServiceAccounts (by IRSA, Pod Identity or both), the pod identity
 * associations and cluster-wide pieces they need, and the bindings from which
 * the Kubernetes side renders the ServiceAccounts.
 *
 * It is an `iam.IGrantable`, so `bucket.grantRead(identity)` grants the role.
 */
export class WorkloadIdentity extends Construct implements iam.IGrantable {
  /** The role the workload's pods assume. */
  public readonly role!: iam.IRole;
  /** The principal to grant permissions to (the role's). */
  public readonly grantPrincipal: iam.IPrincipal;

  private readonly mechanism?: IdentityMechanism;
  private readonly irsa: IrsaOptions;
  private readonly restrictTrust: boolean;
  private readonly sessionTags: boolean;
  private readonly trust?: WorkloadTrustPolicy;
  private createdRole?: iam.Role;
  private readonly createdRoleName?: string;
  private readonly createAssociations: boolean;
  private roleArnLiteral?: string;
  private readonly _bindings: WorkloadBinding[] = [];

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    requireValue(props, `WorkloadIdentity '${this.node.path}' props`, 'Pass { cluster, namespace, serviceAccountName }.');
    WorkloadIdentityGuardrails._ensureEnabled(this);
    this.mechanism = props.mechanism;
    this.irsa = props.irsa ?? {};
    this.restrictTrust = props.podIdentity?.restrictTrustToSubjects ?? true;
    this.sessionTags = props.podIdentity?.sessionTags ?? true;
    this.createAssociations = props.createPodIdentityAssociations ?? true;
    validateIrsaOptions(this.irsa);
    if (this.restrictTrust && !this.sessionTags) {
      throw new WorkloadIdentityError(
        `WorkloadIdentity '${this.node.path}' disables session tags but restricts its trust to its subjects by those tags, ` +
        'so every association would be denied. Keep podIdentity.sessionTags true, or set podIdentity.restrictTrustToSubjects to false.');
    }

    if (props.role) {
      const ignored = (['roleName', 'description', 'maxSessionDuration', 'managedPolicies', 'permissionsBoundary'] as const)
        .filter(k => props[k] !== undefined);
      if (ignored.length > 0) {
        throw new WorkloadIdentityError(`WorkloadIdentity '${this.node.path}' takes an existing role, so ${ignored.join(', ')} cannot apply. Set them on that role instead.`);
      }
      this.role = props.role;
      if (!Token.isUnresolved(props.role.roleArn)) { this.roleArnLiteral = props.role.roleArn; }
    } else {
      if (props.roleName !== undefined) { validateRoleName(props.roleName); }
      validateRoleProps(this, props);
      // The name is fixed at construction, so every binding knows the role ARN from the start
      // (none goes stale when a later subject needs it). An environment-agnostic stack cannot
      // know the ARN: its role keeps a CloudFormation-generated name and IRSA is refused there.
      const stack = Stack.of(this);
      const envKnown = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
      this.createdRoleName = props.roleName ?? (envKnown ? generatedRoleName(this) : undefined);
      this.trust = new WorkloadTrustPolicy(this);
    }
    // The first subject's trust comes before the role: iam.Role.customizeRoles reports the
    // trust policy a precreated role needs as it is when the role is constructed.
    const first = this.admitSubject({ cluster: props.cluster, namespace: props.namespace, serviceAccountName: props.serviceAccountName });
    if (this.trust) {
      this.createdRole = new iam.Role(this, 'Resource', {
        assumedBy: this.trust,
        roleName: this.createdRoleName,
        description: props.description,
        maxSessionDuration: props.maxSessionDuration,
        managedPolicies: props.managedPolicies,
        permissionsBoundary: props.permissionsBoundary,
      });
      this.role = this.createdRole;
      this.roleArnLiteral = this.knownRoleArn(props.cluster);
    }
    this.grantPrincipal = this.role.grantPrincipal;
    this.bindSubject(first);
  }

  /** Every ServiceAccount binding of this identity, in the order added. */
  public get bindings(): WorkloadBinding[] {
    return [...this._bindings];
  }

  /** The binding of the first ServiceAccount (the one in the props). */
  public get binding(): WorkloadBinding {
    return this._bindings[0];
  }

  /**
   * Lets one more ServiceAccount, possibly on another cluster, use this
   * identity's role. Extends the trust policy to exactly that subject.
   *
   * @returns the binding for the Kubernetes side
   */
  public addSubject(subject: ServiceAccountSubject): WorkloadBinding {
    return this.bindSubject(this.admitSubject(subject));
  }

  /** Validates and claims the subject, and extends the trust policy to it. */
  private admitSubject(subject: ServiceAccountSubject): AdmittedSubject {
    requireValue(subject?.cluster, `The cluster of WorkloadIdentity '${this.node.path}'`, 'Pass a cluster from WorkloadCluster.fromClusterAttributes, fromEksV2Cluster or fromEksCluster.');
    const { cluster, namespace, serviceAccountName } = subject;
    KubernetesNames.validateNamespace(namespace);
    KubernetesNames.validateServiceAccountName(serviceAccountName);
    const mechanism = subject.mechanism ?? this.mechanism ?? cluster.defaultMechanism;
    const where = `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${displayName(cluster)}'`;
    if (usesPodIdentity(mechanism) && !supportsPodIdentity(cluster.kind)) {
      throw new WorkloadIdentityError(
        `${where} cannot use ${mechanism}: the cluster is ${cluster.kind} (self-managed, EKS Anywhere or another distribution), ` +
        'where EKS Pod Identity does not exist. Use IdentityMechanism.IRSA with the cluster\'s oidcIssuerUrl.');
    }
    claimServiceAccount(this, cluster, namespace, serviceAccountName);
    if (usesIrsa(mechanism)) {
      this.trust?.addIrsaSubject(cluster, namespace, serviceAccountName, this.irsa.audience ?? DEFAULT_AUDIENCE);
    }
    if (usesPodIdentity(mechanism) && this.trust) {
      if (this.restrictTrust) {
        this.trust.addPodIdentitySubject(cluster, namespace, serviceAccountName);
      } else {
        this.trust.addPodIdentityAccount(cluster);
      }
    }
    return { cluster, namespace, serviceAccountName, mechanism, where };
  }

  /** Associates the admitted subject with the role and records its binding. */
  private bindSubject(subject: AdmittedSubject): WorkloadBinding {
    const { cluster, namespace, serviceAccountName, mechanism, where } = subject;
    const annotations: { [key: string]: string } = {};
    if (usesIrsa(mechanism)) {
      annotations[ROLE_ARN_ANNOTATION] = this.ensureLiteralRoleArn(`${where} uses ${mechanism}, so it must carry the role ARN`, cluster);
      if (this.irsa.audience !== undefined && this.irsa.audience !== DEFAULT_AUDIENCE) { annotations[AUDIENCE_ANNOTATION] = this.irsa.audience; }
      if (this.irsa.stsRegionalEndpoints) { annotations[STS_REGIONAL_ENDPOINTS_ANNOTATION] = 'true'; }
      if (this.irsa.tokenExpiration) { annotations[TOKEN_EXPIRATION_ANNOTATION] = String(wholeSeconds(this.irsa.tokenExpiration)); }
    }
    if (usesPodIdentity(mechanism)) {
      if (this.createAssociations) { this.addAssociation(cluster, namespace, serviceAccountName); }
    }
    // A precreated role (iam.Role.customizeRoles) is reported with the trust it had when created: later subjects are not in it.
    const precreated = this.createdRole !== undefined && !Token.isUnresolved(this.createdRole.roleName);
    if (!this.createdRole || (precreated && this._bindings.length > 0)) {
      this.warnAboutExistingRoleTrust(cluster, namespace, serviceAccountName, mechanism);
    }

    const binding: WorkloadBinding = {
      clusterName: cluster.clusterName,
      namespace,
      serviceAccountName,
      mechanism,
      ...(this.roleArnLiteral ? { roleArn: this.roleArnLiteral } : {}),
      serviceAccountAnnotations: annotations,
    };
    if (!Token.isUnresolved(cluster.clusterName)) { WorkloadBindings.validate(binding); }
    this._bindings.push(binding);
    return binding;
  }

  /** Adds a statement to the role's identity policy. */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return this.role.addToPrincipalPolicy(statement);
  }

  private addAssociation(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
    const association = new eks.CfnPodIdentityAssociation(this, associationId(this._bindings.length, namespace, serviceAccountName), {
      clusterName: cluster.clusterName,
      namespace,
      serviceAccount: serviceAccountName,
      roleArn: this.role.roleArn,
      disableSessionTags: this.sessionTags ? undefined : true,
    });
    const agent = cluster.ensurePodIdentityAgent();
    if (agent && Stack.of(agent) === Stack.of(this)) {
      // A resource-level DependsOn: a construct-level dependency costs a tree walk per association at synth.
      const cfnAgent = CfnResource.isCfnResource(agent) ? agent : agent.node.defaultChild;
      if (cfnAgent && CfnResource.isCfnResource(cfnAgent)) {
        association.addResourceDependency(cfnAgent);
      } else {
        association.node.addDependency(agent);
      }
    }
  }

  /**
   * The created role's ARN when it is known at construction: a literal name
   * (ours, or the precreated one under `iam.Role.customizeRoles`) in a stack
   * with a literal account and region.
   */
  private knownRoleArn(cluster: IWorkloadCluster): string | undefined {
    const stack = Stack.of(this);
    if (!this.createdRole || Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) { return undefined; }
    const roleName = Token.isUnresolved(this.createdRole.roleName) ? this.createdRoleName : this.createdRole.roleName;
    if (roleName === undefined || Token.isUnresolved(roleName)) { return undefined; }
    return literalRoleArn(this, roleName, `WorkloadIdentity '${this.node.path}'`, partitionOf(cluster));
  }

  /** The role ARN as a literal string: the created role's name was fixed at construction. */
  private ensureLiteralRoleArn(why: string, cluster: IWorkloadCluster): string {
    if (this.roleArnLiteral) { return this.roleArnLiteral; }
    if (!this.createdRole) {
      throw new WorkloadIdentityError(`${why}, but the given role's ARN is a token. Pass a role with a literal ARN, e.g. iam.Role.fromRoleArn(this, 'Role', 'arn:aws:iam::123456789012:role/name').`);
    }
    // Only reached where the ARN could not be known at construction: this throws and says why.
    return literalRoleArn(this, this.createdRoleName ?? '', why, partitionOf(cluster));
  }

  private warnAboutExistingRoleTrust(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string, mechanism: IdentityMechanism): void {
    const needs: string[] = [];
    if (usesIrsa(mechanism)) {
      const prefix = Token.isUnresolved(cluster.oidcIssuerUrl ?? '') || !cluster.oidcIssuerUrl ? '<issuer>' : cluster.oidcIssuerUrl.replace(/^https:\/\//, '');
      needs.push(`sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider with StringEquals ${prefix}:sub = ` +
        `${KubernetesNames.serviceAccountSubject(namespace, serviceAccountName)} and ${prefix}:aud = ${this.irsa.audience ?? DEFAULT_AUDIENCE}`);
    }
    if (usesPodIdentity(mechanism)) {
      needs.push(`${POD_IDENTITY_ACTIONS.join(' and ')} from ${POD_IDENTITY_PRINCIPAL}` +
        (this.restrictTrust ? ` with StringEquals ${POD_IDENTITY_TAG_KEYS.namespace} = ${namespace}, ${POD_IDENTITY_TAG_KEYS.serviceAccount} = ${serviceAccountName} and ${POD_IDENTITY_TAG_KEYS.clusterArn} = the cluster's ARN` : ''));
    }
    Annotations.of(this).addWarningV2('cdk-eks-workload-identity:existing-role-trust',
      `The existing role is used as is: its trust policy must allow ${needs.join('; and ')}. ` +
      'Without it the pods of that ServiceAccount get no credentials.');
  }
}

interface AdmittedSubject {
  readonly cluster: IWorkloadCluster;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly mechanism: IdentityMechanism;
  /** The subject, for messages. */
  readonly where: string;
}

/** The role lives in the cluster's partition: a literal cluster ARN names it. */
function partitionOf(cluster: IWorkloadCluster): string | undefined {
  const clusterArn = cluster.clusterArn;
  return clusterArn && !Token.isUnresolved(clusterArn) ? clusterArn.split(':')[1] : undefined;
}

function associationId(index: number, namespace: string, serviceAccountName: string): string {
  // Readable and stable: the first subject's association keeps a short id.
  return index === 0 ? 'PodIdentityAssociation' : `PodIdentityAssociation-${namespace}-${serviceAccountName}-${index}`;
}

/**
 * The checks aws-cdk-lib's iam.Role also makes, with the library's error that
 * names the value and the fix.
 */
function validateRoleProps(scope: Construct, props: WorkloadIdentityProps): void {
  const maxSessionDuration = props.maxSessionDuration?.toSeconds();
  if (maxSessionDuration !== undefined && !Token.isUnresolved(maxSessionDuration) && (maxSessionDuration < 3600 || maxSessionDuration > 43200)) {
    throw new WorkloadIdentityError(`Invalid maxSessionDuration ${maxSessionDuration} seconds for role '${scope.node.path}/Resource': IAM allows 1 to 12 hours. Use e.g. Duration.hours(1).`);
  }
  if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > 1000) {
    throw new WorkloadIdentityError(`Invalid description for role '${scope.node.path}/Resource': it has ${props.description.length} characters, IAM allows 1000. Shorten it.`);
  }
}

function validateIrsaOptions(irsa: IrsaOptions): void {
  if (irsa.audience !== undefined) { validateAudience(irsa.audience); }
  if (irsa.tokenExpiration !== undefined) {
    const seconds = wholeSeconds(irsa.tokenExpiration);
    if (seconds < MIN_TOKEN_EXPIRATION_SECONDS) {
      throw new WorkloadIdentityError(
        `Invalid IRSA tokenExpiration ${seconds} seconds: the EKS pod identity webhook requires at least ${MIN_TOKEN_EXPIRATION_SECONDS}. Use Duration.hours(1) or more.`);
    }
  }
}

/** The annotation carries whole seconds; a fraction is refused with the library's error. */
function wholeSeconds(duration: Duration): number {
  try {
    return duration.toSeconds();
  } catch {
    throw new WorkloadIdentityError(
      `Invalid IRSA tokenExpiration ${duration.toString()}: the eks.amazonaws.com/token-expiration annotation takes whole seconds. Use e.g. Duration.hours(24).`);
  }
}
