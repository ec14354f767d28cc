import { IdentityMechanism } from './identity-mechanism';

/**
 * How far a ServiceAccount has moved from one mechanism to the other. Each
 * phase is one deployment; the way back from a phase is to declare the one
 * before it (docs/migration.md).
 */
export enum MigrationPhase {
  /**
   * The new mechanism is made possible, pods still use the old one.
   * To Pod Identity: the role trusts `pods.eks.amazonaws.com` too and the
   * agent add-on is in place, no association yet. To IRSA: the role trusts
   * the cluster's OIDC provider too and the ServiceAccount gets
   * `eks.amazonaws.com/role-arn`, the association stays (it takes precedence).
   */
  PREPARED = 'PREPARED',

  /**
   * Pods started from now on use the new mechanism; the old one stays trusted
   * as the fallback. To Pod Identity: the association is added (as
   * `IdentityMechanism.BOTH`). To IRSA: the association is removed.
   */
  SWITCHED = 'SWITCHED',

  /**
   * Only the new mechanism is left: the old one's trust statement (and, to
   * Pod Identity, the role-arn annotation) is gone. The same AWS resources as
   * declaring the new mechanism alone; the ServiceAccount still names the
   * finished migration until the option is dropped.
   */
  FINISHED = 'FINISHED',
}

/**
 * A staged move of a ServiceAccount between IRSA and Pod Identity, declared
 * as the phase it is in: `{ to: IdentityMechanism.POD_IDENTITY, phase: MigrationPhase.SWITCHED }`.
 */
export interface MechanismMigration {
  /** Where the ServiceAccount moves: `POD_IDENTITY` (from IRSA) or `IRSA` (from Pod Identity, e.g. onto Fargate). */
  readonly to: IdentityMechanism;

  /** The phase the move is in. */
  readonly phase: MigrationPhase;
}
