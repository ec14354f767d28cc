/**
 * Reads the validation report aws-cdk-lib writes into the cloud assembly
 * (`validation-report.json`): the findings of every validation plugin — its
 * built-in CloudFormation validation, cdk-nag — and the acknowledgements
 * (`Validations.of(scope).acknowledge({ id, reason })`) that suppressed some.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface ValidationFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly constructPaths: string[];
  /** The acknowledgement that suppressed it. */
  readonly acknowledged?: { readonly id: string; readonly reason: string };
}

export interface ValidationReport {
  readonly plugins: string[];
  readonly findings: ValidationFinding[];
}

/** The report of an assembly; no file means no plugin had anything to say. */
export function readValidationReport(assemblyDir: string): ValidationReport {
  const file = path.join(assemblyDir, 'validation-report.json');
  if (!fs.existsSync(file)) { return { plugins: [], findings: [] }; }
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const findings: ValidationFinding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    const finding = (v: any, acknowledged: boolean): ValidationFinding => ({
      plugin: plugin.pluginName,
      rule: v.ruleName,
      severity: v.severity,
      description: v.description,
      constructPaths: (v.violatingConstructs ?? []).map((c: any) => c.constructPath),
      ...(acknowledged ? { acknowledged: { id: v.acknowledgedId, reason: v.reason } } : {}),
    });
    findings.push(...(plugin.violations ?? []).map((v: any) => finding(v, false)));
    findings.push(...(plugin.suppressedViolations ?? []).map((v: any) => finding(v, true)));
  }
  return { plugins: (report.pluginReports ?? []).map((p: any) => p.pluginName), findings };
}

export function describeFinding(f: ValidationFinding): string {
  return `[${f.plugin}] ${f.rule} (${f.severity}) at ${f.constructPaths.join(', ')}: ${f.description}` +
    (f.acknowledged ? ` — acknowledged as ${f.acknowledged.id}: ${f.acknowledged.reason}` : '');
}
