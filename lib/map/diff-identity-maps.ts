import { IdentityMapDocument } from './identity-map';

/** One thing a ServiceAccount's pods may do: an action on a resource, through a role. */
export interface Grant {
  readonly serviceAccount: string;
  readonly role: string;
  readonly action: string;
  readonly resource: string;
}

/** What a change grants and takes away, per ServiceAccount. */
export interface IdentityMapDiff {
  readonly added: Grant[];
  readonly removed: Grant[];
}

/** Every (ServiceAccount, role, action, resource) the map allows, by Allow statements of the roles' identity policies. */
export function grantsOf(map: IdentityMapDocument): Grant[] {
  const roles = new Map(map.roles.map(r => [r.id, r]));
  const grants: Grant[] = [];
  for (const c of map.clusters) {
    for (const n of c.namespaces) {
      for (const sa of n.serviceAccounts) {
        for (const roleId of sa.roles) {
          const role = roles.get(roleId);
          for (const s of role?.permissions ?? []) {
            if (s.effect !== 'Allow') { continue; }
            for (const action of s.actions.length ? s.actions : s.notActions.map(a => `NOT ${a}`)) {
              for (const resource of s.resources) {
                grants.push({ serviceAccount: `${c.name}/${n.name}/${sa.name}`, role: role!.path, action, resource });
              }
            }
          }
        }
      }
    }
  }
  return grants;
}

/** The grants `after` has and `before` has not (added), and the other way round (removed). */
export function diffIdentityMaps(before: IdentityMapDocument, after: IdentityMapDocument): IdentityMapDiff {
  const key = (g: Grant) => `${g.serviceAccount}\u0000${g.action}\u0000${g.resource}`;
  const was = new Set(grantsOf(before).map(key));
  const is = new Set(grantsOf(after).map(key));
  return {
    added: unique(grantsOf(after).filter(g => !was.has(key(g))), key),
    removed: unique(grantsOf(before).filter(g => !is.has(key(g))), key),
  };
}

/** Whether a grant is open-ended: a wildcard in its action or a resource of `*`. */
export function isWildcardGrant(g: Grant): boolean {
  return g.action.includes('*') || g.action.startsWith('NOT ') || g.resource === '*';
}

/** The diff as Markdown for a pull-request comment: one section per ServiceAccount. */
export function diffToMarkdown(diff: IdentityMapDiff): string {
  if (diff.added.length === 0 && diff.removed.length === 0) {
    return '### Identity map: no change in what any ServiceAccount may do\n';
  }
  const accounts = [...new Set([...diff.added, ...diff.removed].map(g => g.serviceAccount))].sort();
  const lines = [`### Identity map: ${diff.added.length} grant${diff.added.length === 1 ? '' : 's'} added, ${diff.removed.length} removed`, ''];
  for (const sa of accounts) {
    lines.push(`#### \`${sa}\``, '');
    for (const [sign, list] of [['+', diff.added], ['-', diff.removed]] as const) {
      for (const g of list.filter(x => x.serviceAccount === sa)) {
        lines.push(`- ${sign} \`${g.action}\` on \`${g.resource}\` (role \`${g.role}\`)${sign === '+' && isWildcardGrant(g) ? ' **wildcard**' : ''}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

function unique<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter(x => !seen.has(key(x)) && seen.add(key(x)) !== undefined);
}
