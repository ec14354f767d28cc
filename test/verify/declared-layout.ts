/**
 * What an app declared, per cluster: the ground truth the evaluation measures
 * the output against. Every cluster as it really is (name, account, region,
 * the issuer its tokens carry) and, for every role, which ServiceAccounts were
 * declared on which of those clusters and by which mechanism. A property test
 * states it from its own generator, never from the library's output; for the
 * examples it is read from the bindings and the clusters' own attributes.
 *
 * - `layoutTrustCases`: every declared subject from its own cluster (allowed),
 *   and every subject name of the app from every other cluster, issuer and
 *   account of the app, including same-named clusters in the app's other
 *   accounts and regions (denied unless declared there).
 * - `deliveryProblems`: what trust alone does not decide. Each declared subject
 *   gets its association where EKS looks for it (the cluster's own account and
 *   region), its role-arn annotation on its own cluster's ServiceAccount, and
 *   an OIDC provider of its cluster's issuer in the role's account (declared,
 *   imported, or assumed to exist where the app references it); nothing
 *   reaches a subject that was not declared there; nothing collides at deploy
 *   (one association per ServiceAccount, one provider per issuer and account).
 */
import { IRSA_CAMPUS } from '../../examples/irsa';
import { EXAMPLE_ORGANIZATION, EXAMPLE_SOURCE_IP, POD_IDENTITY_PRINCIPAL, TrustCase } from './trust-evaluator';
import { SynthesizedApp } from './synthesized-app';
import {
  AUDIENCE_ANNOTATION, DEFAULT_AUDIENCE, describeRole, EmittedAddonRoleBinding, emittedAddonRoleBindings, EmittedAssociation, emittedAssociations, ROLE_ARN_ANNOTATION,
  SynthesizedWorkloadRole,
} from './workload-roles';
import { trustsPodIdentityWithoutAssociation } from './migration-trust';
import { iamLike, patternHalves, patternProbes } from './subject-patterns';

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const POD_IDENTITY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];
/** An account and an issuer no cluster of any generated app has. */
export const STRANGER_ACCOUNT = '999999999999';
export const STRANGER_ISSUER = 'oidc.eks.eu-north-1.amazonaws.com/id/57RANGER000000000000000000000000';

/** A cluster as it really is. */
export interface LayoutCluster {
  /** Short id for messages, e.g. 'c0'. */
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** Whether EKS Pod Identity exists there. */
  readonly eks: boolean;
  /** The `iss` of its ServiceAccount tokens, without https://; undefined when unknown to the app. */
  readonly issuer?: string;
}

/** One ServiceAccount declared for a role on one cluster. */
export interface LayoutSubject {
  readonly cluster: LayoutCluster;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly irsa: boolean;
  readonly podIdentity: boolean;
  /** Trusted for Pod Identity without an association: a migration phase that prepares it or keeps it as the way back. */
  readonly podIdentityTrustOnly?: boolean;
  /** The token audience (IRSA). */
  readonly audience: string;
  /** Whether its association asks for session tags (Pod Identity). */
  readonly sessionTags: boolean;
}

/**
 * A subject pattern declared for a role on one cluster: either half a pattern
 * (IAM StringLike) or literal. The trust admits every name it matches there;
 * only its declared matches (ordinary subjects) get associations and ServiceAccounts.
 */
export interface LayoutPattern {
  readonly cluster: LayoutCluster;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly irsa: boolean;
  readonly podIdentity: boolean;
  readonly audience: string;
}

/** A role and what was declared for it. */
export interface LayoutRole {
  /** Subject patterns its trust admits (issue 25). */
  readonly patterns?: LayoutPattern[];
  /** The WorkloadIdentity's construct path. */
  readonly identityPath: string;
  readonly subjects: LayoutSubject[];
  /** podIdentity.restrictTrustToSubjects false: any association in a declared Pod Identity account may use it. */
  readonly podIdentityAccountWide: boolean;
  /** An existing role, whose trust the library does not write (only its delivery is checked). */
  readonly existingRoleArn?: string;
}

export interface DeclaredLayout {
  readonly clusters: LayoutCluster[];
  readonly roles: LayoutRole[];
  /** OIDC provider ARNs that exist outside the app (imported by literal ARN, or by token standing for that ARN). */
  readonly externalProviders: string[];
  /** Those of them known to the app only by a token: nothing can count them against a second provider. */
  readonly opaqueProviders?: string[];
  /**
   * OIDC provider ARNs the app trusts without declaring them (clusters owned elsewhere, the
   * default of a cluster known by its attributes). The layout's assumption, which synth states
   * as an info: they exist, listing the audiences used. They count as existing for delivery,
   * never as a second provider (they are no resource).
   */
  readonly referencedProviders?: string[];
  /** The output folder (one cdk8s app, dist/<example>/<folder>/) that holds a cluster's ServiceAccounts. */
  folderOf(cluster: LayoutCluster): string;
}

export function clusterArnOf(c: Pick<LayoutCluster, 'partition' | 'region' | 'account' | 'name'>): string {
  return `arn:${c.partition}:eks:${c.region}:${c.account}:cluster/${c.name}`;
}

export function describeLayoutSubject(s: { namespace: string; serviceAccountName: string; cluster: LayoutCluster }): string {
  return `${s.namespace}/${s.serviceAccountName} on cluster ${s.cluster.id} '${s.cluster.name}' (${s.cluster.account}, ${s.cluster.region})`;
}

const sameCluster = (a: Pick<LayoutCluster, 'account' | 'region' | 'name'>, b: Pick<LayoutCluster, 'account' | 'region' | 'name'>) =>
  a.account === b.account && a.region === b.region && a.name === b.name;

/**
 * Where a request may come from: the app's clusters, the same names in every
 * other account and region of the app, and a stranger account and issuer.
 */
function probes(layout: DeclaredLayout, roleAccounts: string[]): { podIdentity: LayoutCluster[]; issuers: { issuer: string; from: string }[] } {
  const accounts = [...new Set([...layout.clusters.map(c => c.account), ...roleAccounts, STRANGER_ACCOUNT])];
  const regions = [...new Set(layout.clusters.map(c => c.region))];
  const podIdentity: LayoutCluster[] = layout.clusters.filter(c => c.eks);
  for (const c of layout.clusters) {
    for (const account of accounts) {
      for (const region of regions) {
        const p = { ...c, id: `${c.id}@${account}/${region}`, account, region, eks: true, issuer: undefined };
        if (!podIdentity.some(x => sameCluster(x, p)) && !layout.clusters.some(x => sameCluster(x, p))) { podIdentity.push(p); }
      }
    }
  }
  const issuers = [...new Map<string, { issuer: string; from: string }>([
    ...layout.clusters.filter(c => c.issuer).map(c => [c.issuer!, { issuer: c.issuer!, from: `cluster ${c.id} '${c.name}'` }] as [string, { issuer: string; from: string }]),
    [STRANGER_ISSUER, { issuer: STRANGER_ISSUER, from: 'a stranger issuer' }],
  ]).values()];
  return { podIdentity, issuers };
}

/**
 * The requests for one created role: from every probe, for every ServiceAccount
 * name declared anywhere in the app, each expected Allowed exactly when it was
 * declared for this role on that cluster (or, unrestricted, in that account).
 */
export function layoutTrustCases(role: SynthesizedWorkloadRole, declared: LayoutRole, layout: DeclaredLayout): TrustCase[] {
  const cases: TrustCase[] = [];
  // Every declared name, and for each pattern a match nobody declared, its near misses and the cluster's own namespaces.
  const patternNames = layout.roles.flatMap(r => r.patterns ?? []).flatMap(p => [
    ...patternProbes(p.namespace).map(namespace => ({ namespace, serviceAccountName: p.serviceAccountName.replace(/[*?]/g, '1') })),
    ...patternProbes(p.serviceAccountName).map(serviceAccountName => ({ namespace: p.namespace.replace(/[*?]/g, '1'), serviceAccountName })),
  ]);
  const names = [...new Map([...layout.roles.flatMap(r => r.subjects), ...patternNames].map(s => [`${s.namespace}/${s.serviceAccountName}`, s])).values()];
  const matched = (p: LayoutPattern, n: { namespace: string; serviceAccountName: string }) => iamLike(p.namespace, n.namespace) && iamLike(p.serviceAccountName, n.serviceAccountName);
  const audiences = [...new Set([DEFAULT_AUDIENCE, ...declared.subjects.filter(s => s.irsa).map(s => s.audience)])];
  const { podIdentity, issuers } = probes(layout, [role.account]);
  const accountWideAccounts = new Set(declared.podIdentityAccountWide ? declared.subjects.filter(s => s.podIdentity).map(s => s.cluster.account) : []);
  const partition = role.arn.split(':')[1];

  for (const { issuer, from } of issuers) {
    for (const n of names) {
      for (const audience of audiences) {
        const own = declared.subjects.some(s => s.irsa && s.cluster.issuer === issuer && s.namespace === n.namespace && s.serviceAccountName === n.serviceAccountName && s.audience === audience) ||
          (declared.patterns ?? []).some(p => p.irsa && p.cluster.issuer === issuer && p.audience === audience && matched(p, n));
        cases.push({
          role, mechanism: 'IRSA', expect: own ? 'Allowed' : 'Denied',
          serviceAccount: `${n.namespace}/${n.serviceAccountName}`,
          variation: `a token of ${from} (issuer ${issuer}, audience ${audience})`,
          // STS checks the token against the provider of its issuer in the role's own account.
          principal: `arn:${partition}:iam::${role.account}:oidc-provider/${issuer}`,
          action: WEB_IDENTITY, issuer,
          // From the NAT addresses of the examples' pods (the fleet example's exporter is trusted only from there).
          context: { [`${issuer}:sub`]: `system:serviceaccount:${n.namespace}:${n.serviceAccountName}`, [`${issuer}:aud`]: audience, 'aws:SourceIp': EXAMPLE_SOURCE_IP },
        });
      }
    }
  }
  for (const p of podIdentity) {
    const clusterArn = clusterArnOf(p);
    for (const n of names) {
      const declaredHere = declared.subjects.some(s => (s.podIdentity || s.podIdentityTrustOnly) && sameCluster(s.cluster, p) && s.namespace === n.namespace && s.serviceAccountName === n.serviceAccountName) ||
        (declared.patterns ?? []).some(x => x.podIdentity && sameCluster(x.cluster, p) && matched(x, n));
      for (const tags of [true, false]) {
        for (const action of tags ? POD_IDENTITY_ACTIONS : ['sts:AssumeRole']) {
          const allowed = accountWideAccounts.has(p.account) || (declaredHere && tags);
          cases.push({
            role, mechanism: 'POD_IDENTITY', expect: allowed ? 'Allowed' : 'Denied',
            serviceAccount: `${n.namespace}/${n.serviceAccountName}`,
            variation: `an association on cluster ${p.id} '${p.name}' (${p.account}, ${p.region})${tags ? '' : ' without session tags'}`,
            principal: POD_IDENTITY_PRINCIPAL, action,
            context: podIdentityContext(p.account, clusterArn, p.name, n.namespace, n.serviceAccountName, tags),
          });
        }
      }
    }
  }
  return cases;
}

/** The request context EKS Pod Identity sends (EKS user guide, pod-id-abac). */
function podIdentityContext(account: string, clusterArn: string, clusterName: string, namespace: string, serviceAccount: string, tags: boolean): Record<string, string | string[]> {
  // Accounts of an organization: EKS sends aws:SourceOrgID too (the fleet example's trust requires it).
  const context: Record<string, string | string[]> = { 'aws:SourceAccount': account, 'aws:SourceArn': clusterArn, 'aws:SourceOrgID': EXAMPLE_ORGANIZATION };
  if (tags) {
    const t: Record<string, string> = {
      'eks-cluster-arn': clusterArn,
      'eks-cluster-name': clusterName,
      'kubernetes-namespace': namespace,
      'kubernetes-service-account': serviceAccount,
      'kubernetes-pod-name': `${serviceAccount.slice(0, 40)}-7d4b9c8f6-x2x9z`,
      'kubernetes-pod-uid': '0b1e3a2c-5d4f-4e6a-9b8c-7d6e5f4a3b2c',
    };
    for (const [k, v] of Object.entries(t)) { context[`aws:RequestTag/${k}`] = v; }
    context['aws:TagKeys'] = Object.keys(t);
  }
  return context;
}

/** The role a layout role became: created (by the identity's path) or existing. */
export function roleOf(roles: SynthesizedWorkloadRole[], declared: LayoutRole): { arn: string; account: string; created?: SynthesizedWorkloadRole } | undefined {
  if (declared.existingRoleArn) { return { arn: declared.existingRoleArn, account: declared.existingRoleArn.split(':')[4] }; }
  const created = roles.find(r => r.declared?.path === declared.identityPath);
  return created ? { arn: created.arn, account: created.account, created } : undefined;
}

/** An association (or add-on) as EKS sees it: in its stack's account and region, for the cluster of that name there. */
function targetOf(a: Pick<EmittedAssociation, 'stackName' | 'clusterName'>, app: SynthesizedApp): Pick<LayoutCluster, 'account' | 'region' | 'name'> {
  const env = app.stack(a.stackName).resolved.env;
  return { account: env.account, region: env.region, name: a.clusterName };
}

/**
 * Problems with what reaches each declared subject, and with anything that
 * reaches a subject not declared; empty when the app delivers exactly the layout.
 */
export function deliveryProblems(app: SynthesizedApp, roles: SynthesizedWorkloadRole[], layout: DeclaredLayout): string[] {
  const problems: string[] = [];
  const associations = emittedAssociations(app);
  const claimed = new Set<EmittedAssociation>();
  // EKS managed add-ons given a role for IRSA: EKS annotates the ServiceAccount the add-on creates.
  const addonRoleBindings = emittedAddonRoleBindings(app);
  const claimedAddonRoles = new Set<EmittedAddonRoleBinding>();
  const providers = app.stacks.flatMap(s => s.resolved.logicalIdsOfType('AWS::IAM::OIDCProvider').map(id => {
    const p = s.resolved.properties(id);
    return { where: `${s.stackName}/${id}`, account: s.resolved.env.account, issuer: String(p.Url).replace(/^https:\/\//, ''), clientIds: (p.ClientIdList ?? []) as string[], arn: s.resolved.ref(id) };
  }));
  const chartServiceAccounts = (c: LayoutCluster) => app.manifests.filter(m => m.cluster === layout.folderOf(c))
    .flatMap(m => m.objects.filter(o => o.apiVersion === 'v1' && o.kind === 'ServiceAccount'));

  for (const declared of layout.roles) {
    const role = roleOf(roles, declared);
    if (!role) { problems.push(`${declared.identityPath}: no role in the templates.`); continue; }
    for (const s of declared.subjects) {
      const at = `${declared.identityPath}: ${describeLayoutSubject(s)}`;
      const sas = chartServiceAccounts(s.cluster).filter(o => (o.metadata.namespace ?? 'default') === s.namespace && o.metadata.name === s.serviceAccountName);
      // An EKS managed add-on creates its own ServiceAccount: the chart must then not declare it too.
      const addonRoles = addonRoleBindings.filter(a => sameCluster(targetOf(a, app), s.cluster) && a.namespace === s.namespace && a.serviceAccount === s.serviceAccountName);
      addonRoles.forEach(a => claimedAddonRoles.add(a));
      const addonOwned = addonRoles.length > 0 ||
        associations.some(a => a.addon !== undefined && sameCluster(targetOf(a, app), s.cluster) && a.namespace === s.namespace && a.serviceAccount === s.serviceAccountName);
      if (sas.length !== (addonOwned ? 0 : 1)) { problems.push(`${at}: ${sas.length} ServiceAccount objects in folder '${layout.folderOf(s.cluster)}'${addonOwned ? ', whose add-on creates it' : ''}.`); }
      if (addonRoles.length > 1) { problems.push(`${at}: ${addonRoles.length} add-ons give its ServiceAccount a role (${addonRoles.map(a => `${a.stackName}/${a.logicalId}`).join(', ')}).`); }
      // The add-on's ServiceAccount carries the role EKS annotates it with; the others what the chart wrote.
      const annotations = addonRoles.length > 0 ? { [ROLE_ARN_ANNOTATION]: addonRoles[0].roleArn } : sas[0]?.metadata.annotations ?? {};
      if (s.irsa) {
        if (annotations[ROLE_ARN_ANNOTATION] !== role.arn) { problems.push(`${at}: role-arn annotation '${annotations[ROLE_ARN_ANNOTATION]}', the role is '${role.arn}'.`); }
        const audienceAnnotation = s.audience === DEFAULT_AUDIENCE ? undefined : s.audience;
        if (annotations[AUDIENCE_ANNOTATION] !== undefined && annotations[AUDIENCE_ANNOTATION] !== audienceAnnotation) {
          problems.push(`${at}: audience annotation '${annotations[AUDIENCE_ANNOTATION]}', declared '${s.audience}'.`);
        }
        if (role.created) {
          // STS needs a provider of the token's issuer in the role's account that accepts its audience.
          const arn = `arn:${role.arn.split(':')[1]}:iam::${role.account}:oidc-provider/${s.cluster.issuer}`;
          const declaredProvider = providers.find(p => p.account === role.account && p.issuer === s.cluster.issuer);
          if (declaredProvider && !declaredProvider.clientIds.includes(s.audience)) {
            problems.push(`${at}: provider ${declaredProvider.where} does not list audience '${s.audience}' (has ${JSON.stringify(declaredProvider.clientIds)}).`);
          }
          if (!declaredProvider && !layout.externalProviders.includes(arn) && !layout.referencedProviders?.includes(arn)) {
            problems.push(`${at}: no OIDC provider of issuer ${s.cluster.issuer} in the role's account ${role.account} (declared: ${providers.map(p => `${p.account}:${p.issuer}`).join(', ') || 'none'}).`);
          }
        }
      } else if (annotations[ROLE_ARN_ANNOTATION] !== undefined) {
        problems.push(`${at}: Pod Identity only, yet annotated with role '${annotations[ROLE_ARN_ANNOTATION]}'.`);
      }
      const here = associations.filter(a => sameCluster(targetOf(a, app), s.cluster) && a.namespace === s.namespace && a.serviceAccount === s.serviceAccountName);
      here.forEach(a => claimed.add(a));
      if (s.podIdentity) {
        if (here.length !== 1) {
          problems.push(`${at}: ${here.length} pod identity associations target it (EKS takes one, in the cluster's account and region); ` +
            `associations of that ServiceAccount: ${describeAssociations(associations.filter(a => a.namespace === s.namespace && a.serviceAccount === s.serviceAccountName), app)}.`);
        } else {
          if (here[0].roleArn !== role.arn) { problems.push(`${at}: its association names role '${here[0].roleArn}', not '${role.arn}'.`); }
          if (here[0].sessionTags !== s.sessionTags) { problems.push(`${at}: association session tags ${here[0].sessionTags}, declared ${s.sessionTags}.`); }
        }
      } else if (here.length > 0) {
        problems.push(`${at}: IRSA only, yet associations ${describeAssociations(here, app)} target it.`);
      }
    }
  }
  for (const a of addonRoleBindings.filter(x => !claimedAddonRoles.has(x))) {
    const t = targetOf(a, app);
    problems.push(`Add-on ${a.stackName}/${a.logicalId} (${a.addon}) gives role '${a.roleArn}' to ${a.namespace}/${a.serviceAccount} on cluster '${t.name}' in ${t.account}/${t.region}, where that ServiceAccount was not declared for IRSA.`);
  }
  for (const a of associations.filter(x => !claimed.has(x))) {
    const t = targetOf(a, app);
    problems.push(`Association ${a.stackName}/${a.logicalId} gives role '${a.roleArn}' to ${a.namespace}/${a.serviceAccount} on cluster '${t.name}' in ${t.account}/${t.region}, where that ServiceAccount was not declared.`);
  }
  // Annotated ServiceAccounts: each declared on that chart's cluster for that very role.
  for (const c of layout.clusters) {
    for (const o of chartServiceAccounts(c).filter(x => x.metadata.annotations?.[ROLE_ARN_ANNOTATION] !== undefined)) {
      const arn = o.metadata.annotations![ROLE_ARN_ANNOTATION];
      const ok = layout.roles.some(r => roleOf(roles, r)?.arn === arn && r.subjects.some(s => s.irsa && s.cluster === c &&
        s.namespace === (o.metadata.namespace ?? 'default') && s.serviceAccountName === o.metadata.name));
      if (!ok) { problems.push(`ServiceAccount ${o.metadata.namespace}/${o.metadata.name} on cluster ${c.id} '${c.name}' carries role '${arn}', which was not declared for it there.`); }
    }
  }
  // Deploy collisions: IAM names are global per account.
  const seen = new Map<string, string>(layout.externalProviders.filter(arn => !layout.opaqueProviders?.includes(arn)).map(arn => [`${arn.split(':')[4]}|${arn.split(':oidc-provider/')[1]}`, `${arn} (exists)`]));
  for (const p of providers) {
    const key = `${p.account}|${p.issuer}`;
    if (seen.has(key)) { problems.push(`Two OIDC providers of issuer ${p.issuer} in account ${p.account} (${seen.get(key)}, ${p.where}): the second fails at deploy.`); }
    seen.set(key, p.where);
  }
  // The agent add-on: one per EKS cluster of the layout, declared where that cluster is.
  const agents = new Map<string, string>();
  for (const st of app.stacks) {
    for (const id of st.resolved.logicalIdsOfType('AWS::EKS::Addon')) {
      const p = st.resolved.properties(id);
      if (p.AddonName !== 'eks-pod-identity-agent') { continue; }
      const t = { account: st.resolved.env.account, region: st.resolved.env.region, name: p.ClusterName };
      const where = `${st.stackName}/${id}`;
      if (!layout.clusters.some(c => c.eks && sameCluster(c, t))) {
        problems.push(`Agent add-on ${where} targets cluster '${t.name}' in ${t.account}/${t.region}, which is no cluster of the app.`);
      }
      const key = `${t.account}|${t.region}|${t.name}`;
      if (agents.has(key)) { problems.push(`Two agent add-ons for cluster '${t.name}' in ${t.account}/${t.region} (${agents.get(key)}, ${where}): EKS takes one.`); }
      agents.set(key, where);
    }
  }
  const roleNames = new Map<string, string>();
  for (const r of roles) {
    const key = `${r.account}|${r.arn.split('/').pop()}`;
    if (roleNames.has(key)) { problems.push(`Two roles named ${r.arn} (${roleNames.get(key)}, ${describeRole(r)}): the second fails at deploy.`); }
    roleNames.set(key, describeRole(r));
  }
  return problems;
}

function describeAssociations(as: EmittedAssociation[], app: SynthesizedApp): string {
  if (as.length === 0) { return 'none'; }
  return as.map(a => { const t = targetOf(a, app); return `${a.stackName}/${a.logicalId} -> '${t.name}' in ${t.account}/${t.region}`; }).join(', ');
}

/**
 * The layout the examples declare, read from their bindings: each binding's
 * cluster is the one of that name its identity's stack knows, with the issuer
 * and ARN the cluster itself has (its attributes, or a created cluster's own
 * attributes, resolved). The examples keep every option at its default
 * (subject-scoped trust, session tags), and one folder per example and cluster.
 */
export function declaredLayoutOfExamples(app: SynthesizedApp): DeclaredLayout {
  const clusters: LayoutCluster[] = [];
  const clusterFor = (stackName: string, clusterName: string, example: string): LayoutCluster => {
    const c = app.clusters.find(x => x.stackName === stackName && x.clusterName === clusterName) ?? app.clusters.find(x => x.clusterName === clusterName);
    if (!c) { throw new Error(`No cluster '${clusterName}' in the app for stack ${stackName}.`); }
    const env = app.stack(stackName).resolved.env;
    const [, partition, , region, account] = (c.clusterArn ?? `arn:${app.stack(stackName).resolved.partition}:eks:${env.region}:${env.account}:cluster/${clusterName}`).split(':');
    const id = `${example}:${clusterName}`;
    let found = clusters.find(x => x.id === id);
    if (!found) {
      found = { id, name: clusterName, account, region, partition, eks: c.clusterArn !== undefined, issuer: c.oidcIssuerUrl?.replace(/^https:\/\//, '') };
      clusters.push(found);
    }
    return found;
  };
  const roles: LayoutRole[] = app.identities.map(identity => ({
    identityPath: identity.path,
    // The patterns the examples' matches were bound by (each binding of a match names its pattern).
    patterns: [...new Map(identity.bindings.filter(b => b.subjectPattern !== undefined).map(b => [`${b.clusterName}|${b.subjectPattern}`, {
      cluster: clusterFor(identity.stackName, b.clusterName, identity.example),
      ...patternHalves(b.subjectPattern!),
      irsa: b.mechanism === 'IRSA' || b.mechanism === 'BOTH',
      podIdentity: b.mechanism === 'POD_IDENTITY' || b.mechanism === 'BOTH',
      audience: b.irsa?.audience ?? DEFAULT_AUDIENCE,
    }] as [string, LayoutPattern])).values()],
    podIdentityAccountWide: false,
    existingRoleArn: identity.roleLogicalId === undefined ? identity.bindings[0]?.roleArn : undefined,
    subjects: identity.bindings.map(b => ({
      cluster: clusterFor(identity.stackName, b.clusterName, identity.example),
      namespace: b.namespace,
      serviceAccountName: b.serviceAccountName,
      irsa: b.mechanism === 'IRSA' || b.mechanism === 'BOTH',
      podIdentity: b.mechanism === 'POD_IDENTITY' || b.mechanism === 'BOTH',
      podIdentityTrustOnly: trustsPodIdentityWithoutAssociation(b.migration),
      audience: b.irsa?.audience ?? DEFAULT_AUDIENCE,
      sessionTags: true,
    })),
  }));
  // The examples' cluster owned elsewhere (examples/irsa.ts): its provider exists, in the account of the stack that references it.
  const referencedProviders = [IRSA_CAMPUS.cluster!].filter(attrs => attrs.oidcIssuerUrl !== undefined && !attrs.createOpenIdConnectProvider).flatMap(attrs =>
    app.clusters.filter(c => c.clusterName === attrs.clusterName).map(c =>
      `arn:${app.stack(c.stackName).resolved.partition}:iam::${app.stack(c.stackName).resolved.env.account}:oidc-provider/${attrs.oidcIssuerUrl!.replace(/^https:\/\//, '')}`));
  // The fleet's clusters (examples/fleet.ts) are owned elsewhere too: no handle declares their providers. The ones its IRSA subjects use.
  const fleetIrsa = new Set(app.identities.filter(i => i.stackName === 'Fleet').flatMap(i => i.bindings).filter(b => b.mechanism === 'IRSA' || b.mechanism === 'BOTH').map(b => b.clusterName));
  referencedProviders.push(...app.clusters.filter(c => c.stackName === 'Fleet' && c.oidcIssuerUrl !== undefined && fleetIrsa.has(c.clusterName)).map(c =>
    `arn:${app.stack(c.stackName).resolved.partition}:iam::${app.stack(c.stackName).resolved.env.account}:oidc-provider/${c.oidcIssuerUrl!.replace(/^https:\/\//, '')}`));
  // Each example cluster's manifests are in the folder named after it.
  return { clusters, roles, externalProviders: [], referencedProviders, folderOf: c => c.name };
}
