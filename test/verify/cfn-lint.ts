/**
 * Runs the real cfn-lint (`pip install cfn-lint`; 1.x) over templates written
 * to a temporary directory, and returns its findings.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface CfnLintFinding {
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly rule: string;
  /** The template's name (stack name). */
  readonly template: string;
  /** Logical id of the resource, when the finding is inside Resources. */
  readonly resource?: string;
  readonly path: string;
  readonly message: string;
}

/** cfn-lint's version, or undefined when it is not installed. */
export function cfnLintVersion(): string | undefined {
  const r = spawnSync('cfn-lint', ['--version'], { encoding: 'utf-8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim() : undefined;
}

/** Lints `templates` (name -> template JSON) in one cfn-lint run. */
export function cfnLint(templates: { [name: string]: unknown }): CfnLintFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewi-cfn-lint-'));
  try {
    const files = Object.entries(templates).map(([name, template]) => {
      const file = path.join(dir, `${name}.template.json`);
      fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
      return file;
    });
    if (files.length === 0) { return []; }
    const r = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) {
      throw new Error(`cfn-lint could not run (${r.error.message}); install it with 'pip install cfn-lint'.`);
    }
    // Exit bits: 1 crash, 2 error, 4 warning, 8 informational.
    if (r.status === null || (r.status & 1) !== 0) {
      throw new Error(`cfn-lint failed (exit ${r.status}): ${r.stderr}`);
    }
    const matches: any[] = r.stdout.trim() ? JSON.parse(r.stdout) : [];
    return matches.map(m => {
      const p: unknown[] = m.Location?.Path ?? [];
      return {
        level: m.Level,
        rule: m.Rule.Id,
        template: path.basename(m.Filename).replace(/\.template\.json$/, ''),
        resource: p[0] === 'Resources' ? String(p[1]) : undefined,
        path: p.join('/'),
        message: m.Message,
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The cfn-lint errors (not warnings) in the templates, one line each. */
export function cfnLintErrors(templates: { [name: string]: unknown }): string[] {
  return cfnLint(templates).filter(f => f.level === 'Error').map(f => `${f.rule} in ${f.template} at ${f.path}: ${f.message}`);
}
