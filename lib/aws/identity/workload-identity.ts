import { Annotations, Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IdentityMechanism } from '../../core/identity-mechanism';
import { KubernetesNames } from '../../core/kubernetes-names';
import { WorkloadBindingFile } from '../../core/workload-binding-file';
import { MechanismMigration } from '../../core/migration-phase';
import {
  deliveredMechanism, describeMigration, MechanismPlan, mechanismPlan, migrationPlan, validateMechanismWithMigration, validateMigration,
} from '../../core/migration-plan';
import { DEFAULT_AUDIENCE } from '../../core/service-account-annotations';
import {
  describeSubjectPattern, iamLikeMatches, validateNamespacePattern, validateServiceAccountPattern,
} from '../../core/subject-pattern';
import { selectorMayMatchPattern, WorkloadSubjectPattern } from '../../core/workload-subject-pattern';
import { requireValue } from '../../core/validation';
import { namingConstruct, WorkloadIdentityError } from '../../core/validation-error';
import { IrsaServiceAccountSettings, WorkloadBinding } from '../../core/workload-binding';
import { markBindingOrigin } from '../../core/synth-order';
import { clusterDisplayName, IWorkloadCluster } from '../cluster/i-workload-cluster';
import { dependOnPodIdentityAgent, requirePodIdentityAgent } from '../cluster/pod-identity-agent';
import { requiredTrust } from '../trust/existing-role-trust';
import { applyTags, givenRoleProps, prefixedRoleName, validateRolePath } from '../role/role-options';
import { literalStackPartition } from '../stacks/partition';
import { PodSessionTag } from '../session/pod-session-tag';
import { sessionPolicyBypass, sessionPolicyJson } from '../session/session-policy';
import { missingSessionTag, requireSessionTag } from '../session/session-tag-requirement';
import { WorkloadIdentityGuardrails } from '../guardrails/workload-identity-guardrails';
import { generatedRoleName, literalRoleArn, validateRoleName } from '../role/role-arn';
import { defaultMechanismIn, FargateBinding, fargateBinding } from '../fargate/fargate-mechanism';
import { assertPodIdentityReachable } from './pod-identity-reachability';
import { claimPattern, claimSubject } from './subject-registry';
import { SubjectTrust, WorkloadTrustPolicy } from '../trust/trust-policy';
import { podIdentitySubjectPatternKey, recordSubjectPattern } from '../guardrails/declared-subject-patterns';
import { ClusterServiceAccount, IrsaOptions, ServiceAccountPatternSubject, ServiceAccountSubject, WorkloadIdentityProps } from './workload-identity-options';
import { tokenExpirationSeconds, validateIdentityOptions } from './workload-identity-validation';

/**
 * One workload's AWS identity: an `iam.Role` whose trust admits exactly its
 * ServiceAccounts (by IRSA, Pod Identity or both), the pod identity
 * associations and cluster-wide pieces they need, and the bindings from which
 * the Kubernetes side renders the ServiceAccounts.
 *
 * It is an `iam.IPrincipal` that delegates to its role (as aws-eks-v2's
 * `ServiceAccount`), so `bucket.grantRead(identity)` grants the role and the
 * identity can be the principal of a resource policy.
 */
export class WorkloadIdentity extends Construct implements iam.IPrincipal {
  /** The role the workload's pods assume. */
  public readonly role: iam.IRole;
  /** The principal to grant permissions to (the role's). */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The role's assume-role action. */
  public readonly assumeRoleAction: string;
  /** The role as a principal in a policy. */
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  /** The AWS account of the role. */
  public readonly principalAccount?: string;

  private readonly mechanism?: IdentityMechanism;
  private readonly migration?: MechanismMigration;
  private readonly irsa: IrsaOptions;
  private readonly restrictTrust: boolean;
  private readonly sessionTags: boolean;
  private readonly addedConditions: { irsa?: { [operator: string]: any }; podIdentity?: { [operator: string]: any } };
  /** Whether the identity creates its role (no `role` given): the trust policy is then built from its subjects. */
  private readonly createsRole: boolean;
  /** The created role's trust policy, made as the first subject is admitted. */
  private trust?: WorkloadTrustPolicy;
  private readonly createdRole?: iam.Role;
  private readonly givenRole?: iam.IRole;
  private readonly createdRoleName?: string;
  /** The created role's literal name when iam.Role.customizeRoles precreates it (read once: each read of roleName makes a token). */
  private readonly precreatedRoleName?: string;
  private readonly rolePath?: string;
  private readonly sessionPolicy?: string;
  private sessionTagGrant?: PodSessionTag;
  private readonly createAssociations: boolean;
  private readonly roleArnLiteral?: string;
  private readonly _bindings: WorkloadBinding[] = [];
  private readonly patterns: AdmittedPattern[] = [];
  private readonly associations: eks.CfnPodIdentityAssociation[] = [];
  private targetRoleArn?: string;
  private onAssociation?: (association: eks.CfnPodIdentityAssociation) => void;
  private subjectRefusal?: (subject: ServiceAccountSubject) => string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    // One path: the options checked, the role's name and ARN, the first subject admitted (checked, claimed, trusted),
    // the role, the subject bound. The core's checks know no construct: their errors name this one.
    try {
      if (props === undefined || props === null) { requireValue(props, `WorkloadIdentity '${this.node.path}' props`, 'Pass { cluster, namespace, serviceAccountName }.'); }
      validateIdentityOptions(this.node.path, props);
      this.mechanism = props.mechanism;
      this.migration = props.migration;
      this.irsa = props.irsa ?? NO_IRSA_OPTIONS;
      this.restrictTrust = props.podIdentity?.restrictTrustToSubjects ?? true;
      this.sessionTags = props.podIdentity?.sessionTags ?? true;
      this.createAssociations = props.createPodIdentityAssociations ?? true;
      const irsaConditions = props.irsa?.additionalTrustConditions;
      const podIdentityConditions = props.podIdentity?.additionalTrustConditions;
      this.addedConditions = irsaConditions === undefined && podIdentityConditions === undefined
        ? NO_ADDED_CONDITIONS : { irsa: irsaConditions, podIdentity: podIdentityConditions };
      this.sessionPolicy = sessionPolicyJson(this, props.podIdentity, props.createPodIdentityAssociations);
      this.givenRole = props.role;
      this.createsRole = !props.role;
      // Only iam.Role.customizeRoles precreates roles, through this context: their name is read once the role exists.
      const customized = this.node.tryGetContext(CUSTOMIZE_ROLES_CONTEXT_KEY) !== undefined;

      if (!props.role) {
        if (props.roleName !== undefined) { validateRoleName(props.roleName, this.node.path); }
        // The name is fixed at construction, so every binding knows the role ARN from the start
        // (none goes stale when a later subject needs it). An environment-agnostic stack cannot
        // know the ARN: its role keeps a CloudFormation-generated name and IRSA is refused there.
        this.createdRoleName = props.roleName
          ?? (props.roleNamePrefix !== undefined ? prefixedRoleName(this, props.roleNamePrefix) : envIsLiteral(this) ? generatedRoleName(this) : undefined);
        if (props.rolePath !== undefined) { validateRolePath(props.rolePath, this.node.path); }
        this.rolePath = props.rolePath;
        this.roleArnLiteral = customized ? undefined : knownRoleArn(this, this.createdRoleName, this.rolePath);
      }
      // The first subject's trust comes before the role: iam.Role.customizeRoles reports the
      // trust policy a precreated role needs as it is when the role is constructed.
      const primary = isPatternSubject(props) ? this.admitPattern({ ...props, mechanism: undefined }) : this.admitSubject(exactSubject(props, this.node.path));
      if (this.createsRole) {
        this.createdRole = new iam.Role(this, 'Resource', givenRoleProps({
          assumedBy: this.trust!,
          roleName: this.createdRoleName,
          path: props.rolePath,
          description: props.description,
          maxSessionDuration: props.maxSessionDuration,
          managedPolicies: props.managedPolicies,
          permissionsBoundary: props.permissionsBoundary,
        }));
        this.role = this.createdRole;
        if (customized) {
          // Each read of roleName makes a token: read once.
          const roleName = this.createdRole.roleName;
          this.precreatedRoleName = Token.isUnresolved(roleName) ? undefined : roleName;
          this.roleArnLiteral = knownRoleArn(this, this.precreatedRoleName ?? this.createdRoleName, this.rolePath);
        }
      } else {
        this.role = props.role!;
        this.roleArnLiteral = Token.isUnresolved(this.role.roleArn) ? undefined : this.role.roleArn;
      }
      // A role that takes no policy (iam.Role.fromRoleArn with mutable: false, another account's, withoutPolicyUpdates)
      // reports every grant as added: the identity takes them, to say which were not applied.
      this.grantPrincipal = isImmutableRole(this.role) ? this : this.role.grantPrincipal;
      this.assumeRoleAction = this.role.assumeRoleAction;
      this.policyFragment = this.role.policyFragment;
      this.principalAccount = this.role.principalAccount;
      if (props.tags) { applyTags(this, props.tags); }
      if (isAdmittedPattern(primary)) {
        WorkloadIdentityGuardrails._ensureEnabled(this);
      } else {
        this.bindSubject(primary);
      }
    } catch (e) {
      throw namingConstruct(e, this.node.path);
    }
  }

  /** Every ServiceAccount binding of this identity, in the order added. */
  public get bindings(): WorkloadBinding[] {
    return [...this._bindings];
  }

  /** The binding of the primary ServiceAccount: the one named in the props. */
  public get primaryBinding(): WorkloadBinding {
    if (this._bindings.length === 0) {
      throw new WorkloadIdentityError(
        `WorkloadIdentity '${this.node.path}' declares a pattern (${this.patterns.map(p => `'${p.pattern}'`).join(', ')}), not one ServiceAccount, and no match yet: ` +
        'take the binding of each ServiceAccount the cluster declares from addPatternMatch({ cluster, namespace, serviceAccountName }).', this.node.path);
    }
    return this._bindings[0];
  }

  /**
   * The subject patterns this identity's role trusts, as a bindings file
   * records them (`BindingsFileOutput.subjectPatterns`): a cdk8s-only
   * repository binds a new match of an IRSA pattern from the file alone
   * (`WorkloadBindingFile.bindPatternMatch`), e.g. a new preview namespace.
   * Pod Identity patterns are recorded too; their matches are refused there,
   * as they need an association (`addPatternMatch`, then a deployment).
   */
  public get subjectPatterns(): WorkloadSubjectPattern[] {
    const record = this.patterns.length > 0 ? WorkloadIdentityGuardrails._ensureEnabled(this) : undefined;
    return this.patterns.map(p => {
      const clusterArn = p.cluster.clusterArn !== undefined && !Token.isUnresolved(p.cluster.clusterArn) ? p.cluster.clusterArn : undefined;
      const fargateSelectors = p.plan.annotates ? p.cluster.fargateProfileSelectors.filter(s => selectorMayMatchPattern(s, p.pattern)) : [];
      const roleArn = p.plan.annotates
        ? this.literalRoleArn(`Subject pattern '${p.pattern}' uses ${p.mechanism}, so its matches must carry the role ARN`) : this.roleArnLiteral;
      const pattern: WorkloadSubjectPattern = {
        clusterName: p.cluster._literalClusterName ?? p.cluster.clusterName,
        ...(clusterArn !== undefined ? { clusterArn } : {}),
        subjectPattern: p.pattern,
        mechanism: p.mechanism,
        ...(roleArn !== undefined ? { roleArn } : {}),
        ...(p.plan.annotates ? irsaSettings(this.irsa, this.node.path) : {}),
        ...(fargateSelectors.length > 0 ? { fargateSelectors: fargateSelectors.map(s => ({ ...s })) } : {}),
      };
      // WorkloadOutputs.synth writes it only after this app's synth passed, as the bindings.
      if (record) { markBindingOrigin(pattern, record); }
      return pattern;
    });
  }

  /**
   * Lets one more ServiceAccount, possibly on another cluster, use this
   * identity's role. Extends the trust policy to exactly that subject.
   *
   * @returns the binding for the Kubernetes side
   */
  public addSubject(subject: ServiceAccountSubject): WorkloadBinding {
    const refusal = subject?.cluster && this.subjectRefusal?.(subject);
    if (refusal) { throw new WorkloadIdentityError(refusal, this.node.path); }
    try {
      return this.bindSubject(this.admitSubject(subject));
    } catch (e) {
      throw namingConstruct(e, this.node.path);
    }
  }

  /**
   * Refuses every later `addSubject`, saying why (an EKS add-on binds only
   * the ServiceAccount it installs). Used by the catalog's add-on entries.
   *
   * @internal
   */
  public _refuseSubjects(why: (subject: ServiceAccountSubject) => string): void {
    this.subjectRefusal = why;
  }

  /**
   * Lets every ServiceAccount a pattern matches use this identity's role, e.g.
   * `{ cluster, namespacePattern: 'pr-*', serviceAccountName: 'web' }` for the
   * `web` ServiceAccount of every preview environment. IRSA trusts the pattern
   * (`StringLike` on `<issuer>:sub`); Pod Identity trusts it on the session
   * tags and, since EKS has no wildcard association, associates each match
   * declared with `addPatternMatch`. Unsafe patterns are refused (see
   * `SubjectPatternOptions`), as is a pattern that matches a ServiceAccount
   * or pattern another identity binds on the same cluster.
   */
  public addSubjectPattern(subject: ServiceAccountPatternSubject): void {
    if (!isPatternSubject(subject ?? {})) {
      throw new WorkloadIdentityError(
        `WorkloadIdentity '${this.node.path}' addSubjectPattern got no namespacePattern or serviceAccountPattern: bind one ServiceAccount with addSubject.`, this.node.path);
    }
    const refusal = subject.cluster && this.subjectRefusal?.({
      cluster: subject.cluster, namespace: subject.namespacePattern ?? subject.namespace!, serviceAccountName: subject.serviceAccountPattern ?? subject.serviceAccountName!,
    });
    if (refusal) { throw new WorkloadIdentityError(refusal, this.node.path); }
    try {
      this.admitPattern(subject);
    } catch (e) {
      throw namingConstruct(e, this.node.path);
    }
  }

  /**
   * The binding of one ServiceAccount that the cluster's Kubernetes app
   * declares and that matches one of this identity's patterns: its
   * association (Pod Identity; IRSA needs none, the trust already admits it),
   * and the binding the Kubernetes side renders it from, so the AWS side and
   * the YAML name the same ServiceAccounts. Refused if no pattern of the
   * identity on that cluster matches it, or another identity binds it.
   *
   * @returns the binding for the Kubernetes side
   */
  public addPatternMatch(match: ClusterServiceAccount): WorkloadBinding {
    requireValue(match?.cluster, `The cluster of the pattern match of WorkloadIdentity '${this.node.path}'`, 'Pass the cluster the pattern was declared on.');
    const { cluster, namespace, serviceAccountName } = match;
    KubernetesNames.validateNamespace(namespace);
    KubernetesNames.validateServiceAccountName(serviceAccountName);
    const where = `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${clusterDisplayName(cluster)}'`;
    const onCluster = this.patterns.filter(p => p.cluster._clusterKey === cluster._clusterKey);
    const pattern = onCluster.find(p => iamLikeMatches(p.namespace, namespace) && iamLikeMatches(p.serviceAccountName, serviceAccountName));
    if (!pattern) {
      throw new WorkloadIdentityError(
        `${where} matches no pattern of WorkloadIdentity '${this.node.path}' on that cluster ` +
        `(${onCluster.length > 0 ? `its patterns there: ${onCluster.map(p => `'${p.pattern}'`).join(', ')}` : 'it declares none there'}): ` +
        'its role would not trust it. Bind it with addSubject, or declare a pattern that matches it with addSubjectPattern.', this.node.path);
    }
    // A match in a namespace Fargate runs pods of: the pattern's mechanism must serve them (issue 25 §2).
    const placement = cluster._fargateProfiles.placement(namespace, `${where} (WorkloadIdentity '${this.node.path}')`);
    const fargate = placement ? fargateBinding(placement, pattern.plan, pattern.mechanism, `${pattern.mechanism} of pattern '${pattern.pattern}'`, where, namespace,
      this.node.path, `Declare the pattern with IdentityMechanism.IRSA, or bind this ServiceAccount with addSubject (the cluster picks IRSA for the namespaces its Fargate profiles select).`)
      : {};
    claimSubject(this, cluster, namespace, serviceAccountName);
    return this.bindSubject({ cluster, namespace, serviceAccountName, mechanism: pattern.mechanism, plan: pattern.plan, where, fargate }, pattern.pattern);
  }

  /**
   * The IAM policy variable of a session tag EKS Pod Identity sends, for
   * grants scoped by it: `bucket.grantRead(identity, `${identity.sessionTag(PodSessionTag.NAMESPACE)}/*`)`
   * lets each pod of a shared role read only the objects under its namespace.
   * Refused where a subject's sessions would lack the tag (IRSA, or session
   * tags disabled): now for the subjects so far, at synth for later ones.
   */
  public sessionTag(tag: PodSessionTag): string {
    requireSessionTag(this.node.path, tag, this._bindings, this.sessionTags);
    if (!this.sessionTagGrant) {
      this.sessionTagGrant = tag;
      this.node.addValidation({ validate: () => [missingSessionTag(this.node.path, tag, this._bindings, this.sessionTags)].filter((p): p is string => p !== undefined) });
    }
    return tag.policyVariable;
  }

  /**
   * Adds a statement to the role's identity policy. A role that takes no
   * policy (imported immutable) drops it: a warning names the grant.
   */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const result = this.role.addToPrincipalPolicy(statement);
    if (isImmutableRole(this.role)) {
      const rendered = Stack.of(this).resolve(statement.toStatementJson());
      const show = (v: unknown) => (Array.isArray(v) ? v : [v]).map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(', ');
      Annotations.of(this).addWarningV2('cdk-eks-workload-identity:grant-not-applied',
        `Grant not applied: WorkloadIdentity '${this.node.path}' uses the role ${Token.isUnresolved(this.role.roleArn) ? this.role.node.path : this.role.roleArn}, ` +
        'imported as immutable (iam.Role.fromRoleArn with mutable: false, a role of another account, or withoutPolicyUpdates), which takes no policy from this app: ' +
        `${rendered.Effect ?? 'Allow'} ${show(rendered.Action ?? rendered.NotAction)} on ${show(rendered.Resource ?? rendered.NotResource ?? '*')}` +
        `${rendered.Condition ? ` if ${JSON.stringify(rendered.Condition)}` : ''} is not in its policies. Add it to that role yourself, or import the role mutable.`);
    }
    return result;
  }

  /** Adds a statement to the role's identity policy. */
  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  /** Validates and claims the subject, and extends the trust policy to it. */
  private admitSubject(subject: ServiceAccountSubject): AdmittedSubject {
    if (!subject?.cluster) {
      requireValue(subject?.cluster, `The cluster of WorkloadIdentity '${this.node.path}'`, 'Pass a cluster from WorkloadCluster.fromClusterAttributes, fromEksV2Cluster or fromEksCluster.');
    }
    const { cluster, namespace, serviceAccountName } = subject;
    KubernetesNames.validateNamespace(namespace);
    KubernetesNames.validateServiceAccountName(serviceAccountName);
    const where = `ServiceAccount '${namespace}/${serviceAccountName}' on cluster '${clusterDisplayName(cluster)}'`;
    const migration = subjectMigration(subject, this.mechanism, this.migration, where, this.node.path);
    // Where Fargate profiles select the namespace's pods, the cluster picks IRSA; a declared mechanism is checked against them.
    const placement = cluster._fargateProfiles.placement(namespace, `${where} (WorkloadIdentity '${this.node.path}')`);
    const declaredMechanism = migration ? undefined : subject.mechanism ?? this.mechanism;
    const clusterPicks = () => placement ? defaultMechanismIn(placement, cluster.defaultMechanism) : cluster.defaultMechanism;
    const plan = migration ? migrationPlan(migration) : mechanismPlan(declaredMechanism ?? clusterPicks());
    const mechanism = deliveredMechanism(plan);
    const declared = migration ? `migration ${describeMigration(migration)}` : declaredMechanism;
    const fargate = placement ? fargateBinding(placement, plan, mechanism, declared, where, namespace, this.node.path) : {};
    assertSamePartition(this, cluster, where);
    if (plan.trustsPodIdentity) {
      // Pod Identity exists on the cluster and reaches it from this stack.
      assertPodIdentityReachable(this, cluster, where, migration ? `migration ${describeMigration(migration)}` : mechanism);
      if (this.givenRole) { this.assertRoleInClusterAccount(cluster, where); }
    }
    const bypass = this.sessionPolicy && sessionPolicyBypass(this.node.path, where, plan.trustsIrsa, migration ? `migration ${describeMigration(migration)}` : mechanism,
      fargate.fargateSelectors?.[0]);
    if (bypass) { throw new WorkloadIdentityError(bypass, this.node.path); }
    claimSubject(this, cluster, namespace, serviceAccountName);
    if (this.createsRole) {
      const trust = subjectTrust(plan, this.irsa, this.restrictTrust);
      (this.trust ??= new WorkloadTrustPolicy(this, this.addedConditions)).admit(cluster, namespace, serviceAccountName, trust);
    }
    return { cluster, namespace, serviceAccountName, mechanism, plan, migration, where, fargate };
  }

  /** Validates and claims a pattern, and extends the trust policy to it. */
  private admitPattern(subject: ServiceAccountPatternSubject): AdmittedPattern {
    requireValue(subject?.cluster, `The cluster of WorkloadIdentity '${this.node.path}'`, 'Pass a cluster from WorkloadCluster.fromClusterAttributes, fromEksV2Cluster or fromEksCluster.');
    const { cluster } = subject;
    const namespace = patternHalf(subject.namespace, subject.namespacePattern, 'namespace', this.node.path);
    const serviceAccountName = patternHalf(subject.serviceAccountName, subject.serviceAccountPattern, 'serviceAccount', this.node.path);
    const pattern = describeSubjectPattern(namespace, serviceAccountName);
    const where = `ServiceAccount pattern '${pattern}' on cluster '${clusterDisplayName(cluster)}'`;
    if (!this.createsRole) {
      throw new WorkloadIdentityError(
        `${where} needs a role this WorkloadIdentity creates: the trust of an existing role is not changed, and its StringLike conditions would be nobody's to check. ` +
        'Remove role, or bind exact ServiceAccounts to the existing role.', this.node.path);
    }
    // The props' mechanism is the identity's (subject.mechanism is cleared for the primary pattern).
    if (subject.mechanism === undefined && this.migration !== undefined) {
      throw new WorkloadIdentityError(
        `${where} cannot follow the identity's migration: a pattern has no per-ServiceAccount phases. Give the pattern a mechanism of its own, ` +
        'or declare the ServiceAccounts that migrate with addSubject.', this.node.path);
    }
    const mechanism = subject.mechanism ?? this.mechanism ?? cluster.defaultMechanism;
    const plan = mechanismPlan(mechanism);
    if (plan.trustsPodIdentity) { assertPodIdentityReachable(this, cluster, where, mechanism); }
    claimPattern(this, cluster, namespace, serviceAccountName);
    const trust: SubjectTrust = { ...subjectTrust(plan, this.irsa, this.restrictTrust), pattern: true };
    (this.trust ??= new WorkloadTrustPolicy(this, this.addedConditions)).admit(cluster, namespace, serviceAccountName, trust);
    // WI-AWS-4 and WI-AWS-15 accept the wildcards the library wrote for this identity (IRSA's subject, Pod Identity's session tags), and only those.
    const subjectPattern = `system:serviceaccount:${namespace}:${serviceAccountName}`;
    if (plan.trustsIrsa) { recordSubjectPattern(this, subjectPattern); }
    if (plan.trustsPodIdentity && this.restrictTrust) { recordSubjectPattern(this, podIdentitySubjectPatternKey(subjectPattern)); }
    if (plan.trustsPodIdentity && this.createAssociations) { requirePodIdentityAgent(this, cluster); }
    const admitted: AdmittedPattern = { cluster, namespace, serviceAccountName, pattern, mechanism, plan };
    this.patterns.push(admitted);
    return admitted;
  }



  /**
   * EKS passes an association's role, and only a role of the cluster's own
   * account: a given role of another account would be refused at deploy.
   * (A created role is in the identity's stack, which assertPodIdentityReachable checks.)
   */
  private assertRoleInClusterAccount(cluster: IWorkloadCluster, where: string): void {
    if (!this.givenRole) { return; }
    const arn = this.givenRole.roleArn;
    const roleAccount = !Token.isUnresolved(arn) ? Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).account : this.givenRole.env.account;
    const clusterAccount = cluster._clusterEnvironment.account;
    if (roleAccount === undefined || Token.isUnresolved(roleAccount) || clusterAccount === undefined || roleAccount === clusterAccount) { return; }
    throw new WorkloadIdentityError(
      `${where} cannot use Pod Identity with role ${Token.isUnresolved(arn) ? `'${this.givenRole.node.path}'` : arn} of account ${roleAccount}: ` +
      `the cluster is in account ${clusterAccount}, and EKS passes only a role of the cluster's own account to an association. ` +
      `Pass a role of account ${clusterAccount} (or let the identity create one) and reach account ${roleAccount}'s resources through a PodIdentityTargetRole, ` +
      'or use IdentityMechanism.IRSA.', this.node.path);
  }

  /** Associates the admitted subject with the role and records its binding. */
  private bindSubject(subject: AdmittedSubject, subjectPattern?: string): WorkloadBinding {
    const { cluster, namespace, serviceAccountName, mechanism, plan, migration, where, fargate } = subject;
    if (plan.annotates) {
      this.literalRoleArn(`${where} uses ${migration ? `migration ${describeMigration(migration)}` : mechanism}, so it must carry the role ARN`);
    }
    if (plan.associates && this.createAssociations) {
      this.addAssociation(cluster, namespace, serviceAccountName);
    } else if (plan.trustsPodIdentity && this.createAssociations) {
      // Prepared for (or falling back to) Pod Identity: the agent is in place before any association needs it.
      requirePodIdentityAgent(this, cluster);
    }
    // A precreated role (iam.Role.customizeRoles) is reported with the trust it had when created: later subjects are not in it.
    const precreated = this.precreatedRoleName !== undefined;
    if (!this.createdRole || (precreated && this._bindings.length > 0)) {
      Annotations.of(this).addWarningV2('cdk-eks-workload-identity:existing-role-trust',
        requiredTrust(cluster, namespace, serviceAccountName, plan, this.irsa.audience ?? DEFAULT_AUDIENCE, this.restrictTrust, this.addedConditions, migration));
    }

    const clusterArn = cluster.clusterArn !== undefined && !Token.isUnresolved(cluster.clusterArn) ? cluster.clusterArn : undefined;
    const binding: WorkloadBinding = {
      clusterName: cluster._literalClusterName ?? cluster.clusterName,
      ...(clusterArn !== undefined ? { clusterArn } : {}),
      namespace,
      serviceAccountName,
      mechanism,
      ...(this.roleArnLiteral ? { roleArn: this.roleArnLiteral } : {}),
      ...(plan.annotates ? irsaSettings(this.irsa, this.node.path) : {}),
      ...(migration ? { migration: { to: migration.to, phase: migration.phase } } : {}),
      ...fargate,
      ...(subjectPattern !== undefined ? { subjectPattern } : {}),
    };
    // Its values were validated where they came in (names here, the cluster's on its handle, a created role's name); a
    // given role's ARN comes from the user: that binding is validated now. WorkloadBindingFile.validate remembers each
    // binding it passed, so the Kubernetes side that takes it checks nothing twice.
    if (!this.createdRole && !Token.isUnresolved(binding.clusterName)) { WorkloadBindingFile.validate(binding); }
    // The app's guardrails check it; WorkloadOutputs.synth refuses to write it before this app's synth passed (lib/core/synth-order.ts).
    const record = WorkloadIdentityGuardrails._ensureEnabled(this);
    if (record) { markBindingOrigin(binding, record); }
    this._bindings.push(binding);
    return binding;
  }

  private addAssociation(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
    const association = new eks.CfnPodIdentityAssociation(this, associationId(this._bindings.length, namespace, serviceAccountName), {
      clusterName: cluster.clusterName,
      namespace,
      serviceAccount: serviceAccountName,
      roleArn: this.role.roleArn,
      disableSessionTags: this.sessionTags ? undefined : true,
      policy: this.sessionPolicy,
      targetRoleArn: this.targetRoleArn,
    });
    dependOnPodIdentityAgent(association, cluster);
    this.associations.push(association);
    this.onAssociation?.(association);
  }

  /**
   * Why this identity's pods cannot reach a target role through its
   * associations, or undefined: with the trust open to every association of
   * the account, any of them could pass its role and assume the target; with
   * its associations declared elsewhere (an EKS add-on's, which have no
   * target role), none would chain.
   *
   * @internal
   */
  public _targetRoleRefusal(targetPath: string): string | undefined {
    if (!this.createAssociations) {
      return `PodIdentityTargetRole '${targetPath}': the pod identity associations of WorkloadIdentity '${this.node.path}' are declared elsewhere ` +
        "(createPodIdentityAssociations: false, as a catalog add-on sets: an EKS add-on's PodIdentityAssociations name no target role), so none would chain to it. " +
        'Set installAddon to false (the identity then declares its own associations), or grant the resources to the identity\'s role.';
    }
    if (!this.restrictTrust) {
      return `PodIdentityTargetRole '${targetPath}': WorkloadIdentity '${this.node.path}' sets podIdentity.restrictTrustToSubjects to false, so any pod identity ` +
        'association of its account may use its role, and through it the target role (until step 2, whose ExternalIds name only its own associations). ' +
        'Keep restrictTrustToSubjects true (the default) on an identity with a target role.';
    }
    return undefined;
  }

  /**
   * The number of pod identity associations this identity declares: step 2 of a target role needs one ExternalId each.
   *
   * @internal
   */
  public get _associationCount(): number {
    return this.associations.length;
  }

  /**
   * Chains every association (made and to come) to a target role: EKS assumes
   * this identity's role, then the target. Used by `PodIdentityTargetRole`.
   *
   * @internal
   */
  public _chainToTargetRole(targetRoleArn: string, onAssociation: (association: eks.CfnPodIdentityAssociation) => void): void {
    if (this.targetRoleArn !== undefined) {
      throw new WorkloadIdentityError(`WorkloadIdentity '${this.node.path}' already chains to target role ${this.targetRoleArn}: an association names one target role.`, this.node.path);
    }
    this.targetRoleArn = targetRoleArn;
    this.onAssociation = onAssociation;
    for (const association of this.associations) {
      association.targetRoleArn = targetRoleArn;
      onAssociation(association);
    }
  }

  /** The role ARN as a literal string, or an error that says why it cannot be known. */
  private literalRoleArn(why: string): string {
    if (this.roleArnLiteral) { return this.roleArnLiteral; }
    if (!this.createdRole) {
      throw new WorkloadIdentityError(`${why}, but the given role's ARN is a token. Pass a role with a literal ARN, e.g. iam.Role.fromRoleArn(this, 'Role', 'arn:aws:iam::123456789012:role/name').`, this.node.path);
    }
    // Only reached where the ARN could not be known at construction: this throws and says why.
    return literalRoleArn(this, this.createdRoleName ?? '', why, this.rolePath);
  }
}

// Shared by every identity that sets none (frozen: read only): each identity is kept for the app's life.
const NO_IRSA_OPTIONS: IrsaOptions = Object.freeze({});
const NO_ADDED_CONDITIONS: { irsa?: { [operator: string]: any }; podIdentity?: { [operator: string]: any } } = Object.freeze({});

/** What the trust of a subject with this plan admits: IRSA for the identity's audience, Pod Identity for the subject (or, not restricted, its account). */
function subjectTrust(plan: MechanismPlan, irsa: IrsaOptions, restrictTrust: boolean): SubjectTrust {
  return {
    irsaAudience: plan.trustsIrsa ? irsa.audience ?? DEFAULT_AUDIENCE : undefined,
    podIdentity: !plan.trustsPodIdentity ? undefined : restrictTrust ? 'subject' : 'account',
  };
}

/** The IRSA settings a ServiceAccount carries: only those that differ from the webhook's defaults. */
function irsaSettings(irsa: IrsaOptions, path: string): { irsa?: IrsaServiceAccountSettings } {
  const settings: IrsaServiceAccountSettings = {
    ...(irsa.audience !== undefined && irsa.audience !== DEFAULT_AUDIENCE ? { audience: irsa.audience } : {}),
    ...(irsa.stsRegionalEndpoints ? { stsRegionalEndpoints: true } : {}),
    ...(irsa.tokenExpiration ? { tokenExpirationSeconds: tokenExpirationSeconds(irsa.tokenExpiration, path) } : {}),
  };
  return Object.keys(settings).length > 0 ? { irsa: settings } : {};
}

interface AdmittedSubject {
  readonly cluster: IWorkloadCluster;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** What the subject's pods can be given: its binding's mechanism. */
  readonly mechanism: IdentityMechanism;
  /** What its role trusts, whether it is associated and annotated. */
  readonly plan: MechanismPlan;
  readonly migration?: MechanismMigration;
  /** The subject, for messages. */
  readonly where: string;
  /** The Fargate selectors of its namespace and the reason for its mechanism, if any. */
  readonly fargate: FargateBinding;
}

/** aws-cdk-lib's ImmutableRole (not exported): it accepts every statement and drops it. */
function isImmutableRole(role: iam.IRole): boolean {
  return (role.constructor as { PROPERTY_INJECTION_ID?: string }).PROPERTY_INJECTION_ID === 'aws-cdk-lib.aws-iam.ImmutableRole';
}

/** A pattern the identity's role trusts: either half may be literal. */
interface AdmittedPattern {
  readonly cluster: IWorkloadCluster;
  /** The namespace pattern, or the literal namespace. */
  readonly namespace: string;
  /** The name pattern, or the literal name. */
  readonly serviceAccountName: string;
  /** Both halves, for messages and bindings: 'pr-*' then '/web'. */
  readonly pattern: string;
  readonly mechanism: IdentityMechanism;
  readonly plan: MechanismPlan;
}

function isAdmittedPattern(subject: AdmittedSubject | AdmittedPattern): subject is AdmittedPattern {
  return (subject as AdmittedPattern).pattern !== undefined;
}

function isPatternSubject(subject: { readonly namespacePattern?: string; readonly serviceAccountPattern?: string }): boolean {
  return subject.namespacePattern !== undefined || subject.serviceAccountPattern !== undefined;
}

/** The props' primary subject when it names one ServiceAccount: both names are required then. */
function exactSubject(props: WorkloadIdentityProps, path: string): ServiceAccountSubject {
  if (props.namespace == null) { requireValue(props.namespace, `The namespace of WorkloadIdentity '${path}'`, 'Pass namespace (or namespacePattern for a pattern of namespaces).'); }
  if (props.serviceAccountName == null) {
    requireValue(props.serviceAccountName, `The serviceAccountName of WorkloadIdentity '${path}'`, 'Pass serviceAccountName (or serviceAccountPattern for a pattern of names).');
  }
  return { ...props, namespace: props.namespace!, serviceAccountName: props.serviceAccountName! };
}

/** One half of a pattern subject: the literal name or the pattern, exactly one of them, each validated. */
function patternHalf(literal: string | undefined, pattern: string | undefined, half: 'namespace' | 'serviceAccount', path: string): string {
  const literalOption = half === 'namespace' ? 'namespace' : 'serviceAccountName';
  const patternOption = `${half}Pattern`;
  if ((literal === undefined) === (pattern === undefined)) {
    throw new WorkloadIdentityError(literal === undefined
      ? `WorkloadIdentity '${path}' has neither ${literalOption} nor ${patternOption}: give one.`
      : `WorkloadIdentity '${path}' has both ${literalOption} '${literal}' and ${patternOption} '${pattern}': give one (a pattern admits the names it matches).`, path);
  }
  if (literal !== undefined) {
    if (half === 'namespace') { KubernetesNames.validateNamespace(literal); } else { KubernetesNames.validateServiceAccountName(literal); }
    return literal;
  }
  if (half === 'namespace') { validateNamespacePattern(pattern!); } else { validateServiceAccountPattern(pattern!); }
  return pattern!;
}

/** The context iam.Role.customizeRoles sets (aws-cdk-lib's CUSTOMIZE_ROLES_CONTEXT_KEY). */
const CUSTOMIZE_ROLES_CONTEXT_KEY = '@aws-cdk/iam:customizeRoles';

/**
 * The subject's migration: its own (beside a mechanism it starts from), else
 * the identity's unless the subject names its own mechanism.
 */
function subjectMigration(subject: ServiceAccountSubject, identityMechanism: IdentityMechanism | undefined, identityMigration: MechanismMigration | undefined,
  where: string, path: string): MechanismMigration | undefined {
  const migration = subject.migration ?? (subject.mechanism === undefined ? identityMigration : undefined);
  if (migration === undefined) { return undefined; }
  validateMigration(migration, where);
  validateMechanismWithMigration(subject.migration ? subject.mechanism : identityMechanism, migration, where, path);
  return migration;
}

/**
 * A created role's ARN when it is known at construction: a literal name (ours,
 * or the precreated one under `iam.Role.customizeRoles`) in a stack with a
 * literal account and region.
 */
function knownRoleArn(identity: Construct, roleName: string | undefined, rolePath: string | undefined): string | undefined {
  if (roleName === undefined || Token.isUnresolved(roleName) || !envIsLiteral(identity)) { return undefined; }
  return literalRoleArn(identity, roleName, `WorkloadIdentity '${identity.node.path}'`, rolePath);
}

/**
 * The role is in its stack's partition (a GovCloud stack's role is
 * `arn:aws-us-gov:`), and is assumed only from that partition's clusters.
 */
function assertSamePartition(identity: Construct, cluster: IWorkloadCluster, where: string): void {
  const clusterArn = cluster.clusterArn;
  const rolePartition = literalStackPartition(identity);
  if (!clusterArn || Token.isUnresolved(clusterArn) || rolePartition === undefined) { return; }
  const clusterPartition = partitionOfArn(clusterArn);
  if (clusterPartition === rolePartition) { return; }
  const stack = Stack.of(identity);
  throw new WorkloadIdentityError(
    `${where} (${clusterArn}, partition ${clusterPartition}) cannot get a role of stack '${stack.stackName}' (region ${stack.region}, partition ${rolePartition}): ` +
    `roles, OIDC providers and STS do not cross partitions. Declare this WorkloadIdentity in a stack of partition ${clusterPartition}.`, identity.node.path);
}
/** Partitions of literal cluster ARNs: every identity on a cluster asks for the same one. */
const ARN_PARTITIONS = new Map<string, string | undefined>();

function partitionOfArn(arn: string): string | undefined {
  if (!ARN_PARTITIONS.has(arn)) { ARN_PARTITIONS.set(arn, Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).partition); }
  return ARN_PARTITIONS.get(arn);
}

function envIsLiteral(scope: Construct): boolean {
  const stack = Stack.of(scope);
  return !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
}

function associationId(index: number, namespace: string, serviceAccountName: string): string {
  // Readable and stable: the first subject's association keeps a short id.
  return index === 0 ? 'PodIdentityAssociation' : `PodIdentityAssociation-${namespace}-${serviceAccountName}-${index}`;
}
