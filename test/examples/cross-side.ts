import { ResolvedTemplate } from '../verify/cfn-resolver';
import { SynthesizedExample } from './synthesize-examples';

const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
const MIGRATION_ANNOTATION = 'cdk-eks-workload-identity/migration';
const SUBJECT_PATTERN_ANNOTATION = 'cdk-eks-workload-identity/subject-pattern';

/**
 * IAM's StringLike, written here from the IAM user guide (condition operators), not taken from lib/:
 * '*' any run of characters (':' included), '?' one character, case-sensitive.
 */
export function iamLike(pattern: string, value: string): boolean {
  const body = Array.from(pattern).map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('');
  return new RegExp(`^${body}$`, 's').test(value);
}

/** A pattern the examples may trust: a literal prefix ending in '-' before the first wildcard, no ':' inside a half. */
function safeHalf(half: string): boolean {
  const first = half.search(/[*?]/);
  return first < 0 || (first > 0 && half[first - 1] === '-' && !half.includes(':') && !half.startsWith('kube-') && half !== 'default');
}
/** The migration phases whose role keeps a Pod Identity statement with no association (prepared for it, or its way back). */
const POD_IDENTITY_TRUST_WITHOUT_ASSOCIATION = ['irsa-to-pod-identity/prepared', 'pod-identity-to-irsa/switched'];
const POD_KINDS: { [kind: string]: (o: any) => any } = {
  Pod: o => o.spec,
  Deployment: o => o.spec.template.spec,
  StatefulSet: o => o.spec.template.spec,
  DaemonSet: o => o.spec.template.spec,
  ReplicaSet: o => o.spec.template.spec,
  Job: o => o.spec.template.spec,
  CronJob: o => o.spec.jobTemplate.spec.template.spec,
};

interface Subject { readonly namespace: string; readonly name: string }
const key = (s: Subject) => `${s.namespace}/${s.name}`;

/** What the AWS side says: roles, their trusted subjects, associations, add-ons. */
export interface AwsFacts {
  /** IRSA: role logical id -> { name, subjects, audiences } per stack. */
  readonly irsaRoles: { stack: string; logicalId: string; roleName?: string; subjects: string[]; patterns: string[]; audiences: string[]; operators: string[] }[];
  /** `like`: a subject pattern (StringLike on the session tags), either half possibly literal. */
  readonly podIdentityStatements: { stack: string; logicalId: string; namespace: string; serviceAccount: string; like?: boolean }[];
  readonly associations: { stack: string; logicalId: string; cluster: string; namespace: string; serviceAccount: string; roleLogicalId: string }[];
  readonly agentAddons: { stack: string; cluster: string }[];
}

/** Reads the trust policies, associations and add-ons of an example's templates. */
export function awsFacts(example: SynthesizedExample): AwsFacts {
  const facts: AwsFacts = { irsaRoles: [], podIdentityStatements: [], associations: [], agentAddons: [] };
  for (const { stackName, template, env } of example.stacks) {
    // The template as it is now (a test may have edited it), read with the proof's own resolver.
    const resolvedTemplate = new ResolvedTemplate(template, env);
    const resources: { [id: string]: any } = template.Resources;
    for (const [logicalId, resource] of Object.entries(resources)) {
      const p = resource.Properties ?? {};
      if (resource.Type === 'AWS::IAM::Role') {
        const irsa = { stack: stackName, logicalId, roleName: p.RoleName, subjects: [] as string[], patterns: [] as string[], audiences: [] as string[], operators: [] as string[] };
        for (const statement of p.AssumeRolePolicyDocument.Statement) {
          if (statement.Action === 'sts:AssumeRoleWithWebIdentity') {
            for (const [operator, conditions] of Object.entries<any>(statement.Condition ?? {})) {
              irsa.operators.push(operator);
              // A StringEquals block built by CfnJson (token issuer) resolves to the parsed JSON.
              const resolved = resolvedTemplate.resolve(conditions);
              for (const [k, v] of Object.entries(resolved)) {
                const values = ([] as any[]).concat(v);
                if (k.endsWith(':sub')) { (operator === 'StringLike' ? irsa.patterns : irsa.subjects).push(...values); }
                if (k.endsWith(':aud')) { irsa.audiences.push(...values); }
              }
            }
          }
          if (statement.Principal?.Service === 'pods.eks.amazonaws.com') {
            const eq = statement.Condition?.StringEquals ?? {};
            const like = statement.Condition?.StringLike ?? {};
            const tag = (name: string) => like[`aws:RequestTag/${name}`] ?? eq[`aws:RequestTag/${name}`];
            if (tag('kubernetes-namespace')) {
              facts.podIdentityStatements.push({
                stack: stackName, logicalId,
                namespace: tag('kubernetes-namespace'),
                serviceAccount: tag('kubernetes-service-account'),
                ...(Object.keys(like).length > 0 ? { like: true } : {}),
              });
            }
          }
        }
        if (irsa.subjects.length > 0 || irsa.patterns.length > 0) { facts.irsaRoles.push(irsa); }
      }
      if (resource.Type === 'AWS::EKS::PodIdentityAssociation') {
        facts.associations.push({
          stack: stackName, logicalId, cluster: JSON.stringify(p.ClusterName), namespace: p.Namespace,
          serviceAccount: p.ServiceAccount, roleLogicalId: p.RoleArn?.['Fn::GetAtt']?.[0],
        });
      }
      if (resource.Type === 'AWS::EKS::Addon' && p.AddonName === 'eks-pod-identity-agent') {
        facts.agentAddons.push({ stack: stackName, cluster: JSON.stringify(p.ClusterName) });
      }
    }
  }
  return facts;
}

/**
 * Checks that the two halves of an example agree; returns one line per problem.
 * - every association and every trust subject has exactly one ServiceAccount;
 * - every pod runs as a ServiceAccount that exists, never `default`;
 * - every IRSA ServiceAccount's role trusts exactly it, with StringEquals and aud sts.amazonaws.com,
 *   or (a match of a subject pattern) the safe StringLike pattern its annotation names;
 * - the agent add-on exists once per cluster that has associations;
 * - a Pod Identity trust statement has its association, unless the ServiceAccount
 *   shows a migration phase that keeps one without (prepared for it, or its way back).
 */
export function crossSideProblems(example: SynthesizedExample): string[] {
  const problems: string[] = [];
  const facts = awsFacts(example);
  const serviceAccounts = example.manifests.filter(o => o.kind === 'ServiceAccount');
  const accountsNamed = (s: Subject) => serviceAccounts.filter(sa => sa.metadata.namespace === s.namespace && sa.metadata.name === s.name);
  const pods = example.manifests.filter(o => POD_KINDS[o.kind]).map(o => ({
    object: `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`,
    namespace: o.metadata.namespace ?? 'default',
    serviceAccountName: POD_KINDS[o.kind](o).serviceAccountName as string | undefined,
  }));

  for (const pod of pods) {
    if (!pod.serviceAccountName || pod.serviceAccountName === 'default') {
      problems.push(`${pod.object} runs as the 'default' ServiceAccount`);
    } else if (accountsNamed({ namespace: pod.namespace, name: pod.serviceAccountName }).length !== 1) {
      problems.push(`${pod.object} runs as ServiceAccount '${pod.namespace}/${pod.serviceAccountName}', which the manifests do not define exactly once`);
    }
  }

  for (const a of facts.associations) {
    const subject = { namespace: a.namespace, name: a.serviceAccount };
    const matches = accountsNamed(subject);
    if (matches.length !== 1) {
      problems.push(`association ${a.stack}/${a.logicalId} is for ServiceAccount '${key(subject)}', defined ${matches.length} times in the manifests`);
    }
    if (!pods.some(p => p.namespace === a.namespace && p.serviceAccountName === a.serviceAccount)) {
      problems.push(`association ${a.stack}/${a.logicalId}: no pod runs as ServiceAccount '${key(subject)}'`);
    }
    const pattern = matches[0]?.metadata.annotations?.[SUBJECT_PATTERN_ANNOTATION];
    const statement = facts.podIdentityStatements.find(s => s.stack === a.stack && s.logicalId === a.roleLogicalId && (s.like
      // A match of a pattern: the ServiceAccount names the pattern its role trusts it by.
      ? pattern === `${s.namespace}/${s.serviceAccount}` && iamLike(s.namespace, a.namespace) && iamLike(s.serviceAccount, a.serviceAccount)
      : s.namespace === a.namespace && s.serviceAccount === a.serviceAccount));
    if (!statement) {
      problems.push(`association ${a.stack}/${a.logicalId}: role ${a.roleLogicalId} has no trust statement for '${key(subject)}'`);
    }
  }
  for (const s of facts.podIdentityStatements.filter(x => x.like)) {
    if (!safeHalf(s.namespace) || !safeHalf(s.serviceAccount)) {
      problems.push(`role ${s.stack}/${s.logicalId} trusts the Pod Identity pattern '${s.namespace}/${s.serviceAccount}', which has no literal prefix ending in '-' or reaches the cluster's own namespaces`);
    }
  }
  for (const s of facts.podIdentityStatements.filter(x => !x.like)) {
    const phase = accountsNamed({ namespace: s.namespace, name: s.serviceAccount })[0]?.metadata.annotations?.[MIGRATION_ANNOTATION];
    if (!facts.associations.some(a => a.stack === s.stack && a.roleLogicalId === s.logicalId && a.namespace === s.namespace && a.serviceAccount === s.serviceAccount) &&
      !POD_IDENTITY_TRUST_WITHOUT_ASSOCIATION.includes(phase)) {
      problems.push(`role ${s.stack}/${s.logicalId} trusts Pod Identity subject '${s.namespace}/${s.serviceAccount}', which has no association to it`);
    }
    if (accountsNamed({ namespace: s.namespace, name: s.serviceAccount }).length !== 1) {
      problems.push(`role ${s.stack}/${s.logicalId} trusts Pod Identity subject '${s.namespace}/${s.serviceAccount}', which the manifests do not define exactly once`);
    }
  }

  for (const role of facts.irsaRoles) {
    for (const subject of role.subjects) {
      const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject);
      if (!m) {
        problems.push(`role ${role.stack}/${role.logicalId} trusts '${subject}', which is not an exact ServiceAccount subject`);
        continue;
      }
      if (accountsNamed({ namespace: m[1], name: m[2] }).length !== 1) {
        problems.push(`role ${role.stack}/${role.logicalId} trusts '${subject}', which the manifests do not define exactly once`);
      }
    }
    for (const pattern of role.patterns) {
      const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(pattern);
      if (!m || !safeHalf(m[1]) || !safeHalf(m[2])) {
        problems.push(`role ${role.stack}/${role.logicalId} trusts the pattern '${pattern}', which has no literal prefix ending in '-', crosses the namespace/name separator or reaches the cluster's own namespaces`);
      }
    }
    if (role.operators.some(o => o !== 'StringEquals' && !(o === 'StringLike' && role.patterns.length > 0))) {
      problems.push(`role ${role.stack}/${role.logicalId} uses ${role.operators.join(', ')} in its web identity trust, not StringEquals`);
    }
    if (role.audiences.length === 0 || role.audiences.some(a => a !== 'sts.amazonaws.com')) {
      problems.push(`role ${role.stack}/${role.logicalId} has audience ${JSON.stringify(role.audiences)}, not sts.amazonaws.com`);
    }
  }
  for (const sa of serviceAccounts) {
    const arn: string | undefined = sa.metadata.annotations?.[ROLE_ARN_ANNOTATION];
    if (!arn) { continue; }
    const roleName = arn.split(':role/')[1];
    const roles = facts.irsaRoles.filter(r => r.roleName === roleName);
    const subject = `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`;
    if (roles.length !== 1) {
      problems.push(`ServiceAccount '${sa.metadata.namespace}/${sa.metadata.name}' names role '${roleName}', which ${roles.length === 0 ? 'no template trusts by IRSA' : 'several roles are named'}`);
    } else if (sa.metadata.annotations?.[SUBJECT_PATTERN_ANNOTATION] !== undefined) {
      // A match of a pattern: its role trusts that pattern, and the pattern matches it.
      const pattern = `system:serviceaccount:${sa.metadata.annotations[SUBJECT_PATTERN_ANNOTATION].replace('/', ':')}`;
      if (!roles[0].patterns.includes(pattern) || !iamLike(pattern, subject)) {
        problems.push(`ServiceAccount '${sa.metadata.namespace}/${sa.metadata.name}': role ${roles[0].logicalId} trusts the patterns ${JSON.stringify(roles[0].patterns)}, not '${pattern}' matching '${subject}'`);
      }
    } else if (roles[0].subjects.length !== 1 || roles[0].subjects[0] !== subject) {
      problems.push(`ServiceAccount '${sa.metadata.namespace}/${sa.metadata.name}': role ${roles[0].logicalId} trusts ${JSON.stringify(roles[0].subjects)}, not exactly '${subject}'`);
    }
  }

  const clustersWithAssociations = new Set(facts.associations.map(a => `${a.stack}|${a.cluster}`));
  for (const cluster of clustersWithAssociations) {
    const [stack, name] = cluster.split('|');
    const count = facts.agentAddons.filter(a => a.stack === stack && a.cluster === name).length;
    const autoMode = example.stacks.find(s => s.stackName === stack)!.template.Resources;
    const isAutoMode = Object.values<any>(autoMode).some(r => r.Type === 'AWS::EKS::Cluster' && r.Properties.ComputeConfig?.Enabled === true);
    if (count !== (isAutoMode ? 0 : 1)) {
      problems.push(`cluster ${name} in ${stack} has ${count} eks-pod-identity-agent add-ons, expected ${isAutoMode ? 0 : 1}`);
    }
  }
  return problems;
}
