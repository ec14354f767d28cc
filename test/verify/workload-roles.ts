/**
 * Joins the two sides of a synthesized app into the facts AWS will act on:
 * every IAM role with its (resolved) trust and identity policies, and the
 * callers that will ask for it — ServiceAccounts annotated with its ARN (IRSA)
 * and pod identity associations that name it (Pod Identity). Also checks that
 * these outputs match what each WorkloadIdentity declared (the cross-side check).
 */
import { IdentityMechanism, WorkloadBinding, WorkloadBindingFile } from '../../lib';
import { DeclaredIdentity, KubernetesObject, SynthesizedApp, SynthesizedCluster, SynthesizedStack } from './synthesized-app';

// Written out, not imported from lib/core: the verifier states what EKS expects on its own,
// so a wrong constant in the library fails here instead of being mirrored.
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';
export const STS_REGIONAL_ENDPOINTS_ANNOTATION = 'eks.amazonaws.com/sts-regional-endpoints';
export const TOKEN_EXPIRATION_ANNOTATION = 'eks.amazonaws.com/token-expiration';
const RESERVED_ANNOTATION_PREFIX = 'eks.amazonaws.com/';

/**
 * The `eks.amazonaws.com/` annotations a ServiceAccount must carry, written
 * from the EKS User Guide ("Assign IAM roles to Kubernetes service accounts":
 * the role ARN annotation, nothing for Pod Identity, whose association lives in
 * AWS) and the amazon-eks-pod-identity-webhook README (audience, default
 * sts.amazonaws.com; sts-regional-endpoints "true"/"false"; token-expiration
 * in seconds), never from lib/. `roleArn` is the identity's role as the
 * template (or, for an existing role, the user) gives it.
 */
export function expectedServiceAccountAnnotations(intent: {
  readonly irsa: boolean;
  readonly roleArn?: string;
  readonly audience?: string;
  readonly stsRegionalEndpoints?: boolean;
  readonly tokenExpirationSeconds?: number;
}): { [key: string]: string } {
  if (!intent.irsa) { return {}; }
  return {
    ...(intent.roleArn !== undefined ? { [ROLE_ARN_ANNOTATION]: intent.roleArn } : {}),
    ...(intent.audience !== undefined && intent.audience !== DEFAULT_AUDIENCE ? { [AUDIENCE_ANNOTATION]: intent.audience } : {}),
    ...(intent.stsRegionalEndpoints !== undefined ? { [STS_REGIONAL_ENDPOINTS_ANNOTATION]: intent.stsRegionalEndpoints ? 'true' : 'false' } : {}),
    ...(intent.tokenExpirationSeconds !== undefined ? { [TOKEN_EXPIRATION_ANNOTATION]: String(intent.tokenExpirationSeconds) } : {}),
  };
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: any[];
}

/** A ServiceAccount object from a manifest, with the cluster it is applied to. */
export interface EmittedServiceAccount {
  readonly example: string;
  readonly chart: string;
  readonly namespace: string;
  readonly name: string;
  readonly annotations: { [key: string]: string };
  /** The declared binding it was matched to (by example, cluster, namespace and name). */
  readonly binding?: WorkloadBinding;
  readonly cluster?: SynthesizedCluster;
}

/** A pod identity association from a template. */
export interface EmittedAssociation {
  readonly stackName: string;
  readonly logicalId: string;
  readonly clusterName: string;
  /** The ARN EKS puts in the `eks-cluster-arn` session tag: the association's region and account. */
  readonly clusterArn: string;
  readonly account: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
  readonly sessionTags: boolean;
  /** The EKS managed add-on that declares it (in its PodIdentityAssociations) and creates the ServiceAccount. */
  readonly addon?: string;
}

/**
 * The namespace each EKS managed add-on runs in, which its PodIdentityAssociations
 * entries do not name. Written out here, from the EKS add-on documentation, not read from lib/.
 */
const ADDON_NAMESPACES: { [addon: string]: string } = {
  'aws-ebs-csi-driver': 'kube-system',
  'aws-efs-csi-driver': 'kube-system',
  'aws-mountpoint-s3-csi-driver': 'kube-system',
  'vpc-cni': 'kube-system',
  'amazon-cloudwatch-observability': 'amazon-cloudwatch',
};

/**
 * The ServiceAccount each EKS managed add-on creates and, given a ServiceAccountRoleArn (IRSA), annotates with
 * that role: from the EKS user guide's add-on pages and the drivers' charts, not read from lib/.
 */
const ADDON_SERVICE_ACCOUNTS: { [addon: string]: string } = {
  'aws-ebs-csi-driver': 'ebs-csi-controller-sa',
  'aws-efs-csi-driver': 'efs-csi-controller-sa',
  'aws-mountpoint-s3-csi-driver': 's3-csi-driver-sa',
  'vpc-cni': 'aws-node',
  'amazon-cloudwatch-observability': 'cloudwatch-agent',
};

/** The ServiceAccount an EKS managed add-on creates (namespace and name). */
export function addonServiceAccount(addon: string): { namespace: string; serviceAccountName: string } {
  if (ADDON_NAMESPACES[addon] === undefined || ADDON_SERVICE_ACCOUNTS[addon] === undefined) {
    throw new Error(`Add-on ${addon}: its ServiceAccount is not known to the verifier; add it to ADDON_NAMESPACES and ADDON_SERVICE_ACCOUNTS.`);
  }
  return { namespace: ADDON_NAMESPACES[addon], serviceAccountName: ADDON_SERVICE_ACCOUNTS[addon] };
}

/** An EKS managed add-on's IRSA binding: EKS annotates the ServiceAccount it creates with ServiceAccountRoleArn. */
export interface EmittedAddonRoleBinding {
  readonly stackName: string;
  readonly logicalId: string;
  readonly addon: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
}

export function emittedAddonRoleBindings(app: SynthesizedApp): EmittedAddonRoleBinding[] {
  return app.stacks.flatMap(s => s.resolved.logicalIdsOfType('AWS::EKS::Addon').flatMap(id => {
    const p = s.resolved.properties(id);
    if (p.ServiceAccountRoleArn === undefined) { return []; }
    const sa = addonServiceAccount(p.AddonName);
    return [{ stackName: s.stackName, logicalId: id, addon: p.AddonName, clusterName: p.ClusterName, namespace: sa.namespace, serviceAccount: sa.serviceAccountName, roleArn: p.ServiceAccountRoleArn }];
  }));
}

/** An IRSA caller: a ServiceAccount whose token the role must (only) accept. */
export interface IrsaCaller {
  readonly serviceAccount: EmittedServiceAccount;
  /** Issuer without https://, the prefix of the condition keys. */
  readonly issuer: string;
  readonly providerArn: string;
  readonly audience: string;
}

export interface SynthesizedWorkloadRole {
  readonly stackName: string;
  readonly logicalId: string;
  readonly arn: string;
  readonly account: string;
  readonly trustPolicy: PolicyDocument;
  readonly identityPolicies: { name: string; policy: PolicyDocument }[];
  readonly declared?: DeclaredIdentity;
  readonly irsaCallers: IrsaCaller[];
  readonly podIdentityCallers: EmittedAssociation[];
}

export interface WorkloadRoleOptions {
  /**
   * The cluster a chart's objects are applied to.
   *
   * @default - the cluster of the folder the chart's file is in (dist/<example>/<cluster>/)
   */
  readonly clusterOfChart?: (chart: string) => string | undefined;
  /**
   * Collect the roles without matching ServiceAccounts and associations to
   * them by cluster name (a declared layout, which knows each subject's
   * cluster, checks those instead).
   *
   * @default false
   */
  readonly rolesOnly?: boolean;
}

export function describeRole(role: Pick<SynthesizedWorkloadRole, 'stackName' | 'logicalId'>): string {
  return `${role.stackName}/${role.logicalId}`;
}

export function describeServiceAccount(sa: { namespace: string; name: string; cluster?: { clusterName: string } }): string {
  return `${sa.namespace}/${sa.name}${sa.cluster ? ` on cluster '${sa.cluster.clusterName}'` : ''}`;
}

/** All ServiceAccount objects of the app, matched to their declared bindings. */
export function emittedServiceAccounts(app: SynthesizedApp, options: WorkloadRoleOptions = {}): EmittedServiceAccount[] {
  return app.manifests.flatMap(m => m.objects.filter(isServiceAccount).map(o => {
    const namespace = o.metadata.namespace ?? 'default';
    const name = o.metadata.name ?? '';
    const clusterName = options.clusterOfChart ? options.clusterOfChart(m.chart) : m.cluster;
    const candidates = app.identities.filter(i => i.example === m.example).flatMap(i => i.bindings.map(b => ({ b, stackName: i.stackName })))
      .filter(({ b }) => b.namespace === namespace && b.serviceAccountName === name && (clusterName === undefined || b.clusterName === clusterName));
    // An example with one chart per cluster names it <example>-<cluster> (the fleet example).
    const perCluster = candidates.filter(({ b }) => m.chart === `${m.example}-${b.clusterName}`);
    if (candidates.length > 1 && perCluster.length === 1) { candidates.splice(0, candidates.length, ...perCluster); }
    if (candidates.length > 1) {
      throw new Error(`ServiceAccount ${namespace}/${name} in chart '${m.chart}' matches ${candidates.length} bindings (clusters ${candidates.map(c => c.b.clusterName).join(', ')}); pass clusterOfChart.`);
    }
    const binding = candidates[0]?.b;
    const cluster = binding ? clusterNamed(app, binding.clusterName, candidates[0].stackName) : undefined;
    return { example: m.example, chart: m.chart, namespace, name, annotations: o.metadata.annotations ?? {}, binding, cluster };
  }));
}

export function emittedAssociations(app: SynthesizedApp): EmittedAssociation[] {
  return app.stacks.flatMap(s => {
    const { account, region } = s.resolved.env;
    const association = (logicalId: string, clusterName: string, namespace: string, serviceAccount: string, roleArn: string, sessionTags: boolean, addon?: string): EmittedAssociation => ({
      stackName: s.stackName,
      logicalId,
      clusterName,
      clusterArn: `arn:${s.resolved.partition}:eks:${region}:${account}:cluster/${clusterName}`,
      account,
      namespace,
      serviceAccount,
      roleArn,
      sessionTags,
      ...(addon ? { addon } : {}),
    });
    const standalone = s.resolved.logicalIdsOfType('AWS::EKS::PodIdentityAssociation').map(id => {
      const p = s.resolved.properties(id);
      return association(id, p.ClusterName, p.Namespace, p.ServiceAccount, p.RoleArn, p.DisableSessionTags !== true);
    });
    // An add-on's own associations: EKS creates them in the add-on's namespace, with session tags.
    const throughAddons = s.resolved.logicalIdsOfType('AWS::EKS::Addon').flatMap(id => {
      const p = s.resolved.properties(id);
      const entries: { ServiceAccount: string; RoleArn: string }[] = p.PodIdentityAssociations ?? [];
      if (entries.length > 0 && ADDON_NAMESPACES[p.AddonName] === undefined) {
        throw new Error(`${s.stackName}/${id}: add-on ${p.AddonName} has PodIdentityAssociations, but its namespace is not known to the verifier; add it to ADDON_NAMESPACES.`);
      }
      return entries.map(e => association(id, p.ClusterName, ADDON_NAMESPACES[p.AddonName], e.ServiceAccount, e.RoleArn, true, p.AddonName));
    });
    return [...standalone, ...throughAddons];
  });
}

/**
 * Every IAM role of the app that a workload can reach: those named by a
 * ServiceAccount annotation or an association, those a WorkloadIdentity
 * created, and any other role whose trust admits an OIDC provider or
 * pods.eks.amazonaws.com (a role nobody is bound to must not trust those).
 */
export function workloadRoles(app: SynthesizedApp, options: WorkloadRoleOptions = {}): SynthesizedWorkloadRole[] {
  const serviceAccounts = options.rolesOnly ? [] : emittedServiceAccounts(app, options);
  const associations = options.rolesOnly ? [] : emittedAssociations(app);
  const roles: SynthesizedWorkloadRole[] = [];
  for (const s of app.stacks) {
    for (const logicalId of s.resolved.logicalIdsOfType('AWS::IAM::Role')) {
      const arn: string = s.resolved.getAtt(logicalId, 'Arn');
      const props = s.resolved.properties(logicalId);
      const trustPolicy: PolicyDocument = props.AssumeRolePolicyDocument;
      const declared = app.identities.find(i => i.stackName === s.stackName && i.roleLogicalId === logicalId);
      const irsaCallers = serviceAccounts.filter(sa => sa.annotations[ROLE_ARN_ANNOTATION] === arn).map(sa => irsaCaller(sa, s));
      const podIdentityCallers = associations.filter(a => a.roleArn === arn);
      if (!declared && irsaCallers.length === 0 && podIdentityCallers.length === 0 && !trustsWorkloads(trustPolicy)) { continue; }
      roles.push({
        stackName: s.stackName,
        logicalId,
        arn,
        account: s.resolved.env.account,
        trustPolicy,
        identityPolicies: identityPoliciesOf(s, logicalId, props),
        declared,
        irsaCallers,
        podIdentityCallers,
      });
    }
  }
  return roles;
}

/**
 * The cross-side check: for every declared binding, the ServiceAccount exists
 * with exactly the annotations of the binding, IRSA annotates this identity's
 * role and Pod Identity has an association to it; and nothing is emitted that
 * no binding declared. Returns the problems found (empty when consistent).
 */
export function crossSideProblems(app: SynthesizedApp, options: WorkloadRoleOptions = {}): string[] {
  const problems: string[] = [];
  const serviceAccounts = emittedServiceAccounts(app, options);
  const associations = emittedAssociations(app);
  const claimedAssociations = new Set<EmittedAssociation>();
  for (const identity of app.identities) {
    const stack = app.stack(identity.stackName);
    // The created role's ARN as the template gives it; an existing role's as the user gave it.
    const roleArn = identity.roleLogicalId ? stack.resolved.getAtt(identity.roleLogicalId, 'Arn') as string : identity.existingRoleArn;
    for (const b of identity.bindings) {
      const where = `${identity.path}: binding ${b.namespace}/${b.serviceAccountName} on cluster '${b.clusterName}' (${b.mechanism})`;
      try {
        WorkloadBindingFile.validate(b);
        const roundTrip = WorkloadBindingFile.fromJson(WorkloadBindingFile.toJson([b]))[0];
        if (JSON.stringify(sortKeys(roundTrip)) !== JSON.stringify(sortKeys(b))) { problems.push(`${where}: does not survive toJson/fromJson.`); }
      } catch (e) {
        problems.push(`${where}: invalid binding: ${(e as Error).message}`);
      }
      const sa = serviceAccounts.find(x => x.binding === b);
      const irsa = b.mechanism === IdentityMechanism.IRSA || b.mechanism === IdentityMechanism.BOTH;
      const podIdentity = b.mechanism === IdentityMechanism.POD_IDENTITY || b.mechanism === IdentityMechanism.BOTH;
      const rendered = expectedServiceAccountAnnotations({ irsa, roleArn, ...b.irsa });
      const addonOwned = associations.some(a => a.addon !== undefined && a.stackName === identity.stackName && a.clusterName === b.clusterName &&
        a.namespace === b.namespace && a.serviceAccount === b.serviceAccountName);
      if (!sa && !addonOwned) {
        problems.push(`${where}: no ServiceAccount ${b.namespace}/${b.serviceAccountName} in the manifests of example '${identity.example}'.`);
      } else if (sa && addonOwned) {
        problems.push(`${where}: its EKS add-on creates the ServiceAccount, yet the manifests of example '${identity.example}' declare it too.`);
      } else if (sa) {
        const reserved = (a: { [k: string]: string }) => JSON.stringify(Object.entries(a).filter(([k]) => k.startsWith(RESERVED_ANNOTATION_PREFIX)).sort());
        if (reserved(sa.annotations) !== reserved(rendered)) {
          problems.push(`${where}: the ServiceAccount carries ${reserved(sa.annotations)} but EKS needs ${reserved(rendered)} for it.`);
        }
      }
      if (irsa) {
        if (roleArn === undefined) { problems.push(`${where}: IRSA, but the identity's role ARN is not known.`); }
        if (b.roleArn !== roleArn) { problems.push(`${where}: the binding's roleArn '${b.roleArn}' is not the identity's role '${roleArn}'.`); }
      } else if (rendered[ROLE_ARN_ANNOTATION] !== undefined || sa?.annotations[ROLE_ARN_ANNOTATION] !== undefined) {
        problems.push(`${where}: a Pod Identity ServiceAccount must not carry ${ROLE_ARN_ANNOTATION}.`);
      }
      const matching = associations.filter(a => a.stackName === identity.stackName && a.clusterName === b.clusterName &&
        a.namespace === b.namespace && a.serviceAccount === b.serviceAccountName);
      matching.forEach(a => claimedAssociations.add(a));
      if (podIdentity) {
        if (matching.length !== 1) {
          problems.push(`${where}: expected one pod identity association, found ${matching.length}.`);
        } else if (roleArn && matching[0].roleArn !== roleArn) {
          problems.push(`${where}: the association names role '${matching[0].roleArn}', not the identity's role '${roleArn}'.`);
        }
      } else if (matching.length > 0) {
        problems.push(`${where}: IRSA only, yet a pod identity association exists (${matching.map(a => a.logicalId).join(', ')}).`);
      }
    }
  }
  for (const a of associations.filter(x => !claimedAssociations.has(x))) {
    problems.push(`${a.stackName}/${a.logicalId}: pod identity association for ${a.namespace}/${a.serviceAccount} on cluster '${a.clusterName}' matches no declared binding.`);
  }
  for (const sa of serviceAccounts.filter(x => x.annotations[ROLE_ARN_ANNOTATION] !== undefined && !x.binding)) {
    problems.push(`ServiceAccount ${describeServiceAccount(sa)} in chart '${sa.chart}' is annotated with a role but matches no declared binding.`);
  }
  return problems;
}

function irsaCaller(sa: EmittedServiceAccount, roleStack: SynthesizedStack): IrsaCaller {
  if (!sa.cluster?.oidcIssuerUrl) {
    throw new Error(`ServiceAccount ${describeServiceAccount(sa)} in chart '${sa.chart}' is annotated with a role but its cluster's OIDC issuer is unknown (no declared binding or no issuer).`);
  }
  const issuer = sa.cluster.oidcIssuerUrl.replace(/^https:\/\//, '');
  return {
    serviceAccount: sa,
    issuer,
    // The provider registered in the role's account (IAM matches the token's iss against it).
    providerArn: `arn:${roleStack.resolved.partition}:iam::${roleStack.resolved.env.account}:oidc-provider/${issuer}`,
    audience: sa.annotations[AUDIENCE_ANNOTATION] ?? DEFAULT_AUDIENCE,
  };
}

function identityPoliciesOf(s: SynthesizedStack, roleLogicalId: string, roleProps: any): { name: string; policy: PolicyDocument }[] {
  const roleName = s.resolved.ref(roleLogicalId);
  const policies: { name: string; policy: PolicyDocument }[] = (roleProps.Policies ?? []).map((p: any) => ({ name: p.PolicyName, policy: p.PolicyDocument }));
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const id of s.resolved.logicalIdsOfType(type)) {
      const p = s.resolved.properties(id);
      if ((p.Roles ?? []).includes(roleName)) { policies.push({ name: id, policy: p.PolicyDocument }); }
    }
  }
  for (const arn of roleProps.ManagedPolicyArns ?? []) {
    const local = s.resolved.logicalIdsOfType('AWS::IAM::ManagedPolicy').find(id => s.resolved.ref(id) === arn);
    if (!local) {
      // An AWS managed policy's text is not in the template; evaluating without it would understate the role.
      policies.push({ name: `unresolvable:${arn}`, policy: { Statement: [] } });
    }
  }
  return policies;
}

function trustsWorkloads(doc: PolicyDocument): boolean {
  return (doc?.Statement ?? []).some((st: any) => {
    const federated = [st.Principal?.Federated ?? []].flat();
    const service = [st.Principal?.Service ?? []].flat();
    return federated.some((f: string) => f.includes(':oidc-provider/')) || service.includes('pods.eks.amazonaws.com');
  });
}

/** The cluster of that name as the binding's stack knows it (two stacks may each reference a cluster 'campus'). */
function clusterNamed(app: SynthesizedApp, name: string, stackName: string): SynthesizedCluster | undefined {
  return app.clusters.find(c => c.clusterName === name && c.stackName === stackName) ?? app.clusters.find(c => c.clusterName === name);
}

function isServiceAccount(o: KubernetesObject): boolean {
  return o.apiVersion === 'v1' && o.kind === 'ServiceAccount';
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) { return v.map(sortKeys); }
  if (v && typeof v === 'object') { return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])])); }
  return v;
}
