import { IdentityMechanism } from './identity-mechanism';
import { MechanismMigration, MigrationPhase } from './migration-phase';
import { WorkloadIdentityError } from './validation-error';
import { WorkloadBinding } from './workload-binding';

/** The Kubernetes annotation that shows a ServiceAccount's migration, e.g. `irsa-to-pod-identity/switched`. */
export const MIGRATION_ANNOTATION = 'cdk-eks-workload-identity/migration';

const PHASES = Object.values(MigrationPhase) as string[];
const TARGETS = [IdentityMechanism.POD_IDENTITY, IdentityMechanism.IRSA] as string[];
const MIGRATION_FIELDS = ['to', 'phase'];

/**
 * What one subject gets: which statements its role's trust holds, whether it
 * has a pod identity association, and whether its ServiceAccount carries the
 * IRSA annotation. A mechanism or a migration phase comes down to this.
 */
export interface MechanismPlan {
  readonly trustsIrsa: boolean;
  readonly trustsPodIdentity: boolean;
  readonly associates: boolean;
  readonly annotates: boolean;
}

/** The plan of a plain mechanism. */
export function mechanismPlan(mechanism: IdentityMechanism): MechanismPlan {
  const irsa = mechanism !== IdentityMechanism.POD_IDENTITY;
  const podIdentity = mechanism !== IdentityMechanism.IRSA;
  return { trustsIrsa: irsa, trustsPodIdentity: podIdentity, associates: podIdentity, annotates: irsa };
}

/**
 * The plan of a migration phase. The old mechanism's trust stays until
 * FINISHED (the fallback), the new one's comes at PREPARED; what pods use
 * changes at SWITCHED, when the association comes (to Pod Identity) or goes
 * (to IRSA), because an association takes precedence over the annotation.
 */
export function migrationPlan(migration: MechanismMigration): MechanismPlan {
  const { phase } = migration;
  if (migration.to === IdentityMechanism.POD_IDENTITY) {
    return {
      trustsIrsa: phase !== MigrationPhase.FINISHED,
      trustsPodIdentity: true,
      associates: phase !== MigrationPhase.PREPARED,
      annotates: phase !== MigrationPhase.FINISHED,
    };
  }
  return {
    trustsIrsa: true,
    trustsPodIdentity: phase !== MigrationPhase.FINISHED,
    associates: phase === MigrationPhase.PREPARED,
    annotates: true,
  };
}

/** The mechanism the binding records: what the ServiceAccount's pods can be given (BOTH where both are wired). */
export function deliveredMechanism(plan: MechanismPlan): IdentityMechanism {
  if (plan.associates && plan.annotates) { return IdentityMechanism.BOTH; }
  return plan.associates ? IdentityMechanism.POD_IDENTITY : IdentityMechanism.IRSA;
}

/** The mechanism a migration starts from. */
export function migrationFrom(migration: MechanismMigration): IdentityMechanism {
  return migration.to === IdentityMechanism.POD_IDENTITY ? IdentityMechanism.IRSA : IdentityMechanism.POD_IDENTITY;
}

/** The annotation value, e.g. `irsa-to-pod-identity/switched`. */
export function migrationLabel(migration: MechanismMigration): string {
  const slug = (m: IdentityMechanism) => m.toLowerCase().replace(/_/g, '-');
  return `${slug(migrationFrom(migration))}-to-${slug(migration.to)}/${migration.phase.toLowerCase()}`;
}

/** The migration as the user declared it, for messages. */
export function describeMigration(migration: MechanismMigration): string {
  return `{ to: ${migration.to}, phase: ${migration.phase} }`;
}

/** Throws unless `migration` is a migration to IRSA or POD_IDENTITY in a known phase, and nothing else. */
export function validateMigration(migration: MechanismMigration, where: string): void {
  if (migration === null || typeof migration !== 'object' || Array.isArray(migration)) {
    throw new WorkloadIdentityError(`Invalid migration of the ${where}: it must be { to, phase }, got ${JSON.stringify(migration)}.`);
  }
  const unknown = Object.keys(migration).filter(k => !MIGRATION_FIELDS.includes(k));
  if (unknown.length > 0) {
    throw new WorkloadIdentityError(`Invalid migration of the ${where}: unknown field ${unknown.map(k => `'${k}'`).join(', ')}; the fields are to, phase.`);
  }
  if (!TARGETS.includes(migration.to)) {
    throw new WorkloadIdentityError(
      `Invalid migration of the ${where}: to ${JSON.stringify(migration.to)} must be ${TARGETS.join(' or ')}. ` +
      'BOTH is not a destination: it is the SWITCHED phase to POD_IDENTITY (or the PREPARED phase to IRSA).');
  }
  if (!PHASES.includes(migration.phase)) {
    throw new WorkloadIdentityError(`Invalid migration of the ${where}: phase ${JSON.stringify(migration.phase)} must be one of ${PHASES.join(', ')}.`);
  }
}

/**
 * Throws unless a `mechanism` declared beside the migration is the one it
 * starts from (the migration alone says what the role trusts and what the
 * ServiceAccount carries).
 */
export function validateMechanismWithMigration(mechanism: IdentityMechanism | undefined, migration: MechanismMigration, where: string, path?: string): void {
  const from = migrationFrom(migration);
  if (mechanism === undefined || mechanism === from) { return; }
  throw new WorkloadIdentityError(
    `${where} declares mechanism ${mechanism} and migration ${describeMigration(migration)}, which contradict: ` +
    `a migration to ${migration.to} starts from ${from}, and each phase sets what the role trusts and what the ServiceAccount carries. ` +
    `Remove mechanism (the migration implies it) or set it to ${from}.`, path);
}

/** The ServiceAccount annotation that shows the binding's migration to `kubectl`, or none. */
export function migrationAnnotations(binding: WorkloadBinding): { [key: string]: string } {
  return binding.migration ? { [MIGRATION_ANNOTATION]: migrationLabel(binding.migration) } : {};
}
