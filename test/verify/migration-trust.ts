/**
 * The migration phases whose role trusts Pod Identity for a ServiceAccount
 * that has no association (yet, or any more): prepared for Pod Identity, or
 * switched to IRSA with the way back kept. EKS makes a Pod Identity request
 * only for an association, so the trust admits a request nobody makes until
 * the next phase; the evaluators expect it admitted, and the delivery checks
 * expect no association. Written out from docs/migration.md, not read from lib/.
 */
export function trustsPodIdentityWithoutAssociation(migration?: { readonly to: string; readonly phase: string }): boolean {
  return migration !== undefined && ((migration.to === 'POD_IDENTITY' && migration.phase === 'PREPARED') || (migration.to === 'IRSA' && migration.phase === 'SWITCHED'));
}
