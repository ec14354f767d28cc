/**
 * Counts what the verify suite evaluated, for the one summary table
 * `npm run verify` prints. Each test file writes its own JSON file into the
 * directory the global setup created; outside `npm run verify` nothing is
 * written.
 */
import * as fs from 'fs';
import * as path from 'path';

export const STATS_DIR_ENV = 'EWI_VERIFY_STATS_DIR';

export type StatKey =
  | 'rolesIrsa' | 'rolesPodIdentity'
  | 'trustIrsaAllowed' | 'trustIrsaDenied' | 'trustPodIdentityAllowed' | 'trustPodIdentityDenied'
  | 'permissionAllowed' | 'permissionDenied'
  | 'manifestObjects' | 'manifestFiles'
  | 'crossSideBindings'
  | 'cfnLintTemplates' | 'cfnLintErrors' | 'cfnLintWarnings' | 'cfnLintInformational'
  | 'cdkValidationViolations'
  | 'nagFindings' | 'nagAcknowledged'
  | 'fuzzValid' | 'fuzzRejected' | 'fuzzTrustTooLong' | 'fuzzTrustCases'
  | 'layoutDelivered' | 'layoutRefused' | 'layoutSkippedKnownFailing' | 'layoutTrustCases'
  | 'layoutWebhooksJudged' | 'layoutPodsOnFargate' | 'layoutPodsOnNodes' | 'layoutPodsOffPodNetworkOrLinux'
  | 'resolverTemplatesCompared';

const counts: Partial<Record<StatKey, number>> = {};
const file = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`;

export function recordStat(key: StatKey, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
  const dir = process.env[STATS_DIR_ENV];
  if (dir && fs.existsSync(dir)) {
    fs.writeFileSync(path.join(dir, file), JSON.stringify(counts));
  }
}

/** This process's counts so far (a copy). */
export function currentStats(): Partial<Record<StatKey, number>> {
  return { ...counts };
}

/** Sums every file of the directory. */
export function readStats(dir: string): Partial<Record<StatKey, number>> {
  const total: Partial<Record<StatKey, number>> = {};
  for (const f of fs.readdirSync(dir).filter(x => x.endsWith('.json'))) {
    const part = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8')) as Partial<Record<StatKey, number>>;
    for (const [k, v] of Object.entries(part) as [StatKey, number][]) { total[k] = (total[k] ?? 0) + v; }
  }
  return total;
}
