import * as fs from 'fs';
import { readStats, STATS_DIR_ENV } from './verify-stats';

/** Prints the one summary table of `npm run verify`. */
export default function globalTeardown(): void {
  const dir = process.env[STATS_DIR_ENV];
  if (!dir || !fs.existsSync(dir)) { return; }
  const s = readStats(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const n = (k: keyof typeof s) => s[k] ?? 0;
  const trust = n('trustIrsaAllowed') + n('trustIrsaDenied') + n('trustPodIdentityAllowed') + n('trustPodIdentityDenied');
  const rows: [string, string][] = [
    ['Workload roles evaluated (IRSA / Pod Identity)', `${n('rolesIrsa')} / ${n('rolesPodIdentity')}`],
    ['Trust cases, IRSA (allowed / denied)', `${n('trustIrsaAllowed')} / ${n('trustIrsaDenied')}`],
    ['Trust cases, Pod Identity (allowed / denied)', `${n('trustPodIdentityAllowed')} / ${n('trustPodIdentityDenied')}`],
    ['Permission cases (allowed / denied)', `${n('permissionAllowed')} / ${n('permissionDenied')}`],
    ['Kubernetes objects validated (files)', `${n('manifestObjects')} (${n('manifestFiles')})`],
    ['Declared bindings cross-checked', `${n('crossSideBindings')}`],
    ['cfn-lint templates: errors / warnings / info', `${n('cfnLintTemplates')}: ${n('cfnLintErrors')} / ${n('cfnLintWarnings')} / ${n('cfnLintInformational')}`],
    ['aws-cdk-lib validation, unacknowledged', `${n('cdkValidationViolations')}`],
    ['cdk-nag AwsSolutions: unacknowledged / acknowledged', `${n('nagFindings')} / ${n('nagAcknowledged')}`],
    ['Fuzz cases: valid / bad value named / trust over quota', `${n('fuzzValid')} / ${n('fuzzRejected')} / ${n('fuzzTrustTooLong')}`],
    ['Fuzz trust cases evaluated', `${n('fuzzTrustCases')}`],
    ['Layout apps: delivered exactly / refused naming the reason / left out (known-failing)', `${n('layoutDelivered')} / ${n('layoutRefused')} / ${n('layoutSkippedKnownFailing')}`],
    ['Layout trust cases evaluated (every subject on every cluster)', `${n('layoutTrustCases')}`],
    ['Policy cases evaluated in total', `${trust + n('permissionAllowed') + n('permissionDenied') + n('fuzzTrustCases') + n('layoutTrustCases')}`],
  ];
  const w1 = Math.max(...rows.map(r => r[0].length));
  const w2 = Math.max(...rows.map(r => r[1].length));
  const line = `+${'-'.repeat(w1 + 2)}+${'-'.repeat(w2 + 2)}+`;
  const out = [line, `| ${'Verification (npm run verify)'.padEnd(w1)} | ${''.padStart(w2)} |`, line,
    ...rows.map(([k, v]) => `| ${k.padEnd(w1)} | ${v.padStart(w2)} |`), line];
  console.log(`\n${out.join('\n')}`);
}
