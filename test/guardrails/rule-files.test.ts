import * as fs from 'fs';
import * as path from 'path';
import { AWS_RULES } from '../../lib/aws/guardrails/rules';
import { GuardrailRule } from '../../lib/core/guardrails/guardrail-level';
import { K8S_RULES } from '../../lib/k8s/guardrails/rules';

// A rule is found by its id: `wi-aws-11-node-imds-reachable.ts` holds WI-AWS-11,
// named node-imds-reachable, exported as `nodeImdsReachable`, and nothing else.
const SIDES: [string, string, readonly GuardrailRule[]][] = [
  ['WI-AWS', path.join(__dirname, '../../lib/aws/guardrails/rules'), AWS_RULES],
  ['WI-K8S', path.join(__dirname, '../../lib/k8s/guardrails/rules'), K8S_RULES],
];

const camelCase = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe.each(SIDES)('the %s rules', (prefix, dir, table) => {
  test('are numbered 1..n in table order, without gaps', () => {
    expect(table.map(r => r.id)).toEqual(table.map((_, i) => `${prefix}-${i + 1}`));
  });

  test.each(table.map(r => [r.id, r] as const))('%s lives in its own file, named after its id and name, exported under its name', (id, rule) => {
    const file = path.join(dir, `${id.toLowerCase()}-${rule.name}.ts`);
    expect(fs.existsSync(file)).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(file);
    expect(Object.keys(module)).toContain(camelCase(rule.name));
    expect(module[camelCase(rule.name)]).toBe(rule);
    // Its doc comment starts with its id and name, so a search for either lands on it.
    expect(fs.readFileSync(file, 'utf-8')).toContain(`${id} ${rule.name}`);
  });

  test('every rule file is in the table; the other files are shared helpers', () => {
    const ruleFiles = fs.readdirSync(dir).filter(f => f.startsWith(`${prefix.toLowerCase()}-`) && f.endsWith('.ts') && !f.endsWith('.d.ts'));
    expect(ruleFiles.sort()).toEqual(table.map(r => `${r.id.toLowerCase()}-${r.name}.ts`).sort());
  });

  test('each rule has an explanation and a fix', () => {
    for (const rule of table) {
      expect(rule.explanation.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
  });
});
