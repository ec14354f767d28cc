import { statementCoversAction } from '../core/iam-action';
import { ROLE_ARN_ANNOTATION } from '../core/service-account-annotations';
import { AssemblyStack, resourcePath } from './read-cloud-assembly';
import { ClusterManifests, workloadsOf } from './read-manifests';
import { IDENTITY_MAP_FORMAT, IdentityMapDocument, MapCluster, MapFlag, MapRole, MapStatement, MapTrust } from './identity-map';

const MIGRATION_ANNOTATION = 'cdk-eks-workload-identity/migration';
// Writes to where data lives: a reviewer looks at these first.
const DATA_STORE_WRITE = /^(s3:(Put|Delete|Abort|Restore|Replicate)|dynamodb:(Put|Update|Delete|BatchWrite|PartiQL(Insert|Update|Delete))|rds-data:(Execute|BatchExecute)|rds-db:connect|secretsmanager:(Put|Update|Delete|Create|Restore)|sqs:(Send|Delete|Purge)|sns:Publish|kinesis:Put|firehose:Put|es:ESHttp(Post|Put|Delete|Patch)|elasticfilesystem:ClientWrite|timestream:Write|kms:(Encrypt|Decrypt|GenerateDataKey|ReEncrypt))/i;
// What a wildcard action is checked against: it writes data if it matches one of these.
const DATA_STORE_WRITES = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteBucket', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem', 'rds-data:ExecuteStatement', 'rds-db:connect', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret',
  'sqs:SendMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue', 'sns:Publish', 'kinesis:PutRecord', 'firehose:PutRecord', 'es:ESHttpPost',
  'elasticfilesystem:ClientWrite', 'timestream:WriteRecords', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

function writesData(action: string): boolean {
  if (!action.includes('*') && !action.includes('?')) { return DATA_STORE_WRITE.test(action); }
  const pattern = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return DATA_STORE_WRITES.some(a => pattern.test(a));
}

interface Association { readonly cluster: string; readonly namespace: string; readonly serviceAccount: string; readonly roleId: string; readonly addon?: string; readonly targetRole?: string; readonly sessionPolicy?: any }

/**
 * Links what the clusters' YAML declares with what the templates grant: each
 * ServiceAccount to its roles (IRSA by its annotation's ARN, Pod Identity by
 * the associations naming it), each role to its trust and permissions, and
 * the flags a reviewer wants first.
 */
export function buildIdentityMap(stacks: AssemblyStack[], folders: ClusterManifests[], managedPolicy: (name: string) => any | undefined): IdentityMapDocument {
  const roles = new Map<string, MapRole & { permissions: MapStatement[]; sessionPolicies: MapStatement[]; targetRoles: string[]; trust: MapTrust[]; unexpandedManagedPolicies: string[] }>();
  const associations: Association[] = [];
  const flags: MapFlag[] = [];

  for (const stack of stacks) {
    const resources = stack.template.Resources ?? {};
    const roleIdOf = (value: any): string | undefined => {
      const logicalId = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
      return typeof logicalId === 'string' && resources[logicalId]?.Type === 'AWS::IAM::Role' ? `${stack.stackName}/${logicalId}` : undefined;
    };
    for (const [logicalId, r] of Object.entries<any>(resources)) {
      if (r.Type !== 'AWS::IAM::Role') { continue; }
      const p = r.Properties ?? {};
      const id = `${stack.stackName}/${logicalId}`;
      const managed = (stack.resolver.resolve(p.ManagedPolicyArns) ?? []) as string[];
      const role = {
        id, stack: stack.stackName, path: resourcePath(stack.template, stack.stackName, logicalId).replace(/(\/Resource)+$/, ''),
        arn: String(stack.resolver.getAtt(logicalId, 'Arn')),
        trust: trustOf(stack.resolver.resolve(p.AssumeRolePolicyDocument)),
        permissions: (p.Policies ?? []).flatMap((pol: any) => statementsOf(stack.resolver.resolve(pol.PolicyDocument), `inline:${stack.resolver.resolve(pol.PolicyName)}`)),
        sessionPolicies: [] as MapStatement[],
        permissionsBoundary: p.PermissionsBoundary !== undefined ? String(stack.resolver.resolve(p.PermissionsBoundary)) : undefined,
        targetRoles: [] as string[],
        unexpandedManagedPolicies: [] as string[],
      };
      for (const [i, arn] of managed.entries()) {
        const aws = /^arn:[\w-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(String(arn));
        if (aws) {
          const document = managedPolicy(aws[1]);
          if (document) { role.permissions.push(...statementsOf(document, `aws-managed:${aws[1]}`)); } else { role.unexpandedManagedPolicies.push(aws[1]); }
          continue;
        }
        // A customer managed policy of this template: its statements (AWS::IAM::ManagedPolicy by Ref).
        const ref = p.ManagedPolicyArns?.[i]?.Ref;
        if (typeof ref === 'string' && resources[ref]?.Type === 'AWS::IAM::ManagedPolicy') { continue; }
        role.permissions.push({ effect: 'Allow', actions: [], notActions: [], resources: [], source: `managed:${arn}` });
      }
      roles.set(id, role);
    }
    for (const [logicalId, r] of Object.entries<any>(resources)) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
        const statements = statementsOf(stack.resolver.resolve(p.PolicyDocument), `policy:${stack.stackName}/${logicalId}`);
        const attached = [...p.Roles ?? []].map(roleIdOf);
        // A customer managed policy a role lists in ManagedPolicyArns.
        for (const [roleLogicalId, role] of Object.entries<any>(resources)) {
          if (role.Type === 'AWS::IAM::Role' && (role.Properties?.ManagedPolicyArns ?? []).some((a: any) => a?.Ref === logicalId)) { attached.push(`${stack.stackName}/${roleLogicalId}`); }
        }
        for (const id of new Set(attached)) { if (id && roles.has(id)) { roles.get(id)!.permissions.push(...statements); } }
      } else if (r.Type === 'AWS::EKS::PodIdentityAssociation') {
        const roleId = roleIdOf(p.RoleArn) ?? String(stack.resolver.resolve(p.RoleArn));
        const sessionPolicy = p.Policy !== undefined ? stack.resolver.resolve(p.Policy) : undefined;
        associations.push({
          cluster: String(stack.resolver.resolve(p.ClusterName)), namespace: String(stack.resolver.resolve(p.Namespace)),
          serviceAccount: String(stack.resolver.resolve(p.ServiceAccount)), roleId,
          targetRole: p.TargetRoleArn !== undefined ? String(stack.resolver.resolve(p.TargetRoleArn)) : undefined,
          sessionPolicy: typeof sessionPolicy === 'string' ? safeJson(sessionPolicy) : sessionPolicy,
        });
      } else if (r.Type === 'AWS::EKS::Addon') {
        for (const a of p.PodIdentityAssociations ?? []) {
          associations.push({
            cluster: String(stack.resolver.resolve(p.ClusterName)), namespace: `(add-on ${stack.resolver.resolve(p.AddonName)})`,
            serviceAccount: String(stack.resolver.resolve(a.ServiceAccount)), roleId: roleIdOf(a.RoleArn) ?? String(stack.resolver.resolve(a.RoleArn)),
            addon: String(stack.resolver.resolve(p.AddonName)),
          });
        }
      }
    }
    for (const ack of stack.acknowledgements) {
      flags.push({ kind: 'acknowledgement', subject: ack.path, message: `${ack.rule} acknowledged: ${ack.reason}` });
    }
  }

  // Pod Identity trust: the associations that name each role; a session policy and a target role per association.
  for (const a of associations) {
    const role = roles.get(a.roleId);
    if (!role) { continue; }
    const podIdentity = role.trust.find(t => t.mechanism === 'POD_IDENTITY');
    if (podIdentity) { (podIdentity.associations as string[]).push(`${a.cluster}/${a.namespace}/${a.serviceAccount}`); }
    if (a.sessionPolicy) { role.sessionPolicies.push(...statementsOf(a.sessionPolicy, `session-policy:${a.cluster}/${a.namespace}/${a.serviceAccount}`)); }
    if (a.targetRole && !role.targetRoles.includes(a.targetRole)) { role.targetRoles.push(a.targetRole); }
  }

  const roleByArn = new Map([...roles.values()].map(r => [r.arn, r.id]));
  const usedRoles = new Set<string>(associations.filter(a => a.addon).map(a => a.roleId));
  const subjectsByRole = new Map<string, string[]>();
  const clusters: MapCluster[] = folders.map(folder => {
    const serviceAccounts = new Map<string, any>();
    for (const sa of folder.objects.filter(o => o.kind === 'ServiceAccount' && o.apiVersion === 'v1')) {
      serviceAccounts.set(`${sa.metadata?.namespace ?? 'default'}/${sa.metadata?.name}`, sa);
    }
    const workloads = workloadsOf(folder.objects);
    const keys = new Set([...serviceAccounts.keys(), ...workloads.map(w => `${w.namespace}/${w.serviceAccountName}`)]);
    const byNamespace = new Map<string, any[]>();
    for (const key of [...keys].sort()) {
      const [namespace, name] = key.split('/');
      const sa = serviceAccounts.get(key);
      const roleArn = sa?.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
      const irsaRole = typeof roleArn === 'string' ? roleByArn.get(roleArn) ?? roleArn : undefined;
      const podIdentityRoles = associations.filter(a => !a.addon && a.cluster === folder.cluster && a.namespace === namespace && a.serviceAccount === name).map(a => a.roleId);
      const saRoles = [...new Set([...irsaRole ? [irsaRole] : [], ...podIdentityRoles])];
      const mechanism = irsaRole && podIdentityRoles.length ? 'BOTH' : irsaRole ? 'IRSA' : podIdentityRoles.length ? 'POD_IDENTITY' : 'NONE';
      const pods = workloads.filter(w => w.namespace === namespace && w.serviceAccountName === name).map(w => `${w.kind}/${w.name}`);
      const subject = `${folder.cluster}/${namespace}/${name}`;
      saRoles.forEach(r => { usedRoles.add(r); subjectsByRole.set(r, [...subjectsByRole.get(r) ?? [], subject]); });
      if (name === 'default' && pods.length > 0) {
        flags.push({ kind: 'default-service-account', subject, message: `${pods.join(', ')} run as the namespace's default ServiceAccount: every pod of '${namespace}' that names none shares its identity.` });
      } else if (saRoles.length === 0 && pods.length > 0) {
        flags.push({ kind: 'no-identity', subject, message: `${pods.join(', ')} run as '${name}', which gets no AWS role (no role-arn annotation, no Pod Identity association).` });
      }
      if (saRoles.length > 1) {
        flags.push({ kind: 'trusted-by-several-roles', subject, message: `'${name}' gets ${saRoles.length} roles (${saRoles.join(', ')}): its pods' credentials depend on which mechanism wins.` });
      }
      byNamespace.set(namespace, [...byNamespace.get(namespace) ?? [], {
        name, mechanism, ...sa?.metadata?.annotations?.[MIGRATION_ANNOTATION] ? { migration: sa.metadata.annotations[MIGRATION_ANNOTATION] } : {},
        roles: saRoles, workloads: pods, declared: sa !== undefined,
      }]);
    }
    return { name: folder.cluster, folder: folder.folder, namespaces: [...byNamespace.entries()].map(([name, sas]) => ({ name, serviceAccounts: sas })) };
  });

  for (const role of roles.values()) {
    const workloadTrust = role.trust.some(t => t.mechanism !== 'OTHER');
    if (workloadTrust && !usedRoles.has(role.id)) {
      flags.push({ kind: 'unused-role', subject: role.id, message: `Role '${role.path}' trusts pods, but no ServiceAccount of the clusters' YAML gets it.` });
    }
    for (const s of role.permissions.filter(st => st.effect === 'Allow')) {
      const wildActions = [...s.actions.filter(a => a.includes('*')), ...s.notActions.length ? [`NotAction ${s.notActions.join(', ')}`] : []];
      if (wildActions.length) { flags.push({ kind: 'wildcard-action', subject: role.id, message: `${wildActions.join(', ')} (${s.source})` }); }
      if (s.resources.includes('*')) { flags.push({ kind: 'wildcard-resource', subject: role.id, message: `${s.actions.join(', ')} on * (${s.source})` }); }
      const writes = s.actions.filter(writesData);
      if (writes.length) { flags.push({ kind: 'data-store-write', subject: role.id, message: `${writes.join(', ')} on ${s.resources.join(', ')} (${s.source})` }); }
    }
  }
  return { format: IDENTITY_MAP_FORMAT, clusters, roles: [...roles.values()], flags };
}

function trustOf(document: any): MapTrust[] {
  return (asArray(document?.Statement)).filter((s: any) => s.Effect === 'Allow').map((s: any): MapTrust => {
    const principal = s.Principal ?? {};
    const services = asArray(principal.Service);
    const federated = asArray(principal.Federated);
    if (federated.length > 0 && statementCoversAction(asArray(s.Action).map(String), s.NotAction === undefined ? undefined : asArray(s.NotAction).map(String), 'sts:AssumeRoleWithWebIdentity')) {
      const conditions = Object.values<any>(s.Condition ?? {});
      const subKey = conditions.flatMap(c => Object.keys(c)).find(k => k.toLowerCase().endsWith(':sub'));
      const subjects = conditions.flatMap(c => Object.entries<any>(c).filter(([k]) => k.toLowerCase().endsWith(':sub')).flatMap(([, v]) => asArray(v)));
      return { mechanism: 'IRSA', issuer: subKey ? subKey.slice(0, -':sub'.length) : undefined, subjects, associations: [], principals: federated };
    }
    if (services.includes('pods.eks.amazonaws.com')) {
      return { mechanism: 'POD_IDENTITY', subjects: [], associations: [], principals: services };
    }
    return { mechanism: 'OTHER', subjects: [], associations: [], principals: [...asArray(principal.AWS), ...services, ...federated, ...principal === '*' ? ['*'] : []] };
  });
}

function statementsOf(document: any, source: string): MapStatement[] {
  return asArray(document?.Statement).map((s: any) => ({
    effect: s.Effect, actions: asArray(s.Action).map(String), notActions: asArray(s.NotAction).map(String),
    resources: [...asArray(s.Resource).map(String), ...asArray(s.NotResource).map((r: any) => `NOT ${r}`)],
    ...s.Condition ? { conditions: s.Condition } : {}, source,
  }));
}

function asArray(v: any): any[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function safeJson(text: string): any {
  try { return JSON.parse(text); } catch { return undefined; }
}
