import * as fs from 'fs';
import { GUARDRAILS_DOC, rulesTable, withCurrentTable } from '../../scripts/guardrail-docs';
import { AWS_RULES } from '../../lib/aws/guardrails/rules';
import { K8S_RULES } from '../../lib/k8s/guardrails/rules';

// docs/guardrails.md's rules table is generated from the rules (id, level, explanation, fix):
// when a rule changes, run `npx ts-node -P tsconfig.dev.json scripts/guardrail-docs.ts`.

test('GIVEN docs/guardrails.md WHEN its rules table is generated again from lib/ THEN nothing changes (else: run scripts/guardrail-docs.ts)', () => {
  const current = fs.readFileSync(GUARDRAILS_DOC, 'utf-8');
  expect(withCurrentTable(current)).toBe(current);
});

test('GIVEN the rules WHEN tabled THEN every rule of both sides has its row, with its level and fix', () => {
  const table = rulesTable();
  for (const rule of [...AWS_RULES, ...K8S_RULES]) {
    expect(table).toContain(`| ${rule.id} | ${rule.level} | \`${rule.name}\` |`);
    expect(table).toContain(rule.fix.replace(/\|/g, '\\|'));
  }
});

test('GIVEN a stale table WHEN checked THEN it differs (the check can fail)', () => {
  const current = fs.readFileSync(GUARDRAILS_DOC, 'utf-8');
  const stale = current.replace('| WI-AWS-1 | error |', '| WI-AWS-1 | warning |');
  expect(stale).not.toBe(current);
  expect(withCurrentTable(stale)).toBe(current);
});
