/**
 * Property test of subject patterns (issue 25), seeded: generated layouts of
 * pattern identities (layout-patterns.ts) are refused naming the pattern and
 * the rule (or both identities), or delivered exactly: every declared match
 * and every other name the pattern matches allowed on its own cluster, by its
 * mechanism only; near misses (prx-1 beside pr-*, another prefix,
 * kube-system, default), the other cluster, its issuer and a stranger
 * account denied; one association per declared Pod Identity match and one
 * ServiceAccount per declared match, nothing more.
 *
 * FUZZ_SEED picks the seed, FUZZ_PATTERN_RUNS the number of layouts.
 */
import * as fc from 'fast-check';
import { deliveryProblems, layoutTrustCases, roleOf } from './declared-layout';
import { patternExample, patternExpectation, patternLayout, patternScenarioArb, PatternScenario } from './layout-patterns';
import { synthesize } from './synthesized-app';
import { describeMismatch, evaluateTrustCases } from './trust-evaluator';
import { recordStat } from './verify-stats';
import { workloadRoles } from './workload-roles';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_PATTERN_RUNS ?? 40);

describe('generated subject-pattern layouts', () => {
  const previousValidation = process.env.CDK_VALIDATION;
  beforeAll(() => { process.env.CDK_VALIDATION = 'false'; });
  afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

  test(`refused naming the pattern and the rule, or delivered exactly: 0 wrong allow, 0 wrong deny (seed ${SEED}, ${RUNS} layouts)`, async () => {
    const tally = { delivered: 0, refused: 0, cases: 0, wrongAllow: 0, wrongDeny: 0, nearMissesDenied: 0 };
    const problems: string[] = [];
    for (const scenario of fc.sample(patternScenarioArb, { seed: SEED, numRuns: RUNS })) {
      const expected = patternExpectation(scenario);
      let app;
      try {
        app = synthesize([patternExample(scenario)]);
      } catch (e) {
        const message = (e as Error).message;
        if (!expected.refuse) { problems.push(`${show(scenario)}: refused, but nothing in it is unsafe: ${message}`); continue; }
        const named = expected.refuse.anyOf.some(words => words.every(w => message.includes(w)));
        if (!named) {
          const missing = expected.refuse.anyOf.map(words => words.filter(w => !message.includes(w)).join(', ')).join(' or ');
          problems.push(`${show(scenario)}: refused without naming ${missing}: ${message}`);
          continue;
        }
        tally.refused++;
        continue;
      }
      try {
        if (expected.refuse) { problems.push(`${show(scenario)}: delivered, but it must be refused (naming ${expected.refuse.anyOf.map(words => words.join(', ')).join(' or ')})`); continue; }
        const layout = patternLayout(scenario);
        const roles = workloadRoles(app, { rolesOnly: true });
        problems.push(...deliveryProblems(app, roles, layout).map(p => `${show(scenario)}: ${p}`));
        for (const declared of layout.roles) {
          const role = roleOf(roles, declared)?.created;
          if (!role) { problems.push(`${show(scenario)}: no role for ${declared.identityPath}`); continue; }
          const results = await evaluateTrustCases(layoutTrustCases(role, declared, layout));
          tally.cases += results.length;
          for (const r of results.filter(x => x.actual !== x.trustCase.expect)) {
            if (r.actual === 'Allowed') { tally.wrongAllow++; } else { tally.wrongDeny++; }
            problems.push(`${show(scenario)}: ${describeMismatch(r)}`);
          }
          tally.nearMissesDenied += results.filter(r => r.actual === 'Denied' && /^(prx-1|pr1|kube-system|default)\//.test(r.trustCase.serviceAccount)).length;
        }
        tally.delivered++;
      } finally {
        app.dispose();
      }
    }
    recordStat('layoutTrustCases', tally.cases);
    recordStat('layoutDelivered', tally.delivered);
    recordStat('layoutRefused', tally.refused);
    expect(problems.slice(0, 5)).toEqual([]);
    expect({ wrongAllow: tally.wrongAllow, wrongDeny: tally.wrongDeny }).toEqual({ wrongAllow: 0, wrongDeny: 0 });
    // Both outcomes were exercised, with near misses evaluated.
    expect(tally.delivered).toBeGreaterThan(RUNS / 4);
    expect(tally.refused).toBeGreaterThan(RUNS / 10);
    expect(tally.nearMissesDenied).toBeGreaterThan(0);
    if (process.env.PATTERN_TALLY === "1") { process.stdout.write(`pattern layouts (seed ${SEED}): ${JSON.stringify(tally)}\n`); }
  }, Math.max(300_000, RUNS * 10_000));
});

function show(s: PatternScenario): string {
  return JSON.stringify(s);
}

test('the check fails when a pattern is wider than declared: pr* instead of pr-* admits prx-1 and pr1, named', async () => {
  const previousValidation = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  const scenario: PatternScenario = { identities: [{ cluster: 0, prefix: 'pr-', kind: 'namespace', mechanism: 'BOTH', matches: ['1'] }] };
  const app = synthesize([patternExample(scenario)]);
  try {
    const layout = patternLayout(scenario);
    const role = workloadRoles(app, { rolesOnly: true })[0];
    // WHEN the trust is widened after synthesis (as a hand edit would)
    const widened = JSON.parse(JSON.stringify(role.trustPolicy).replace(/pr-\*/g, 'pr*'));
    const results = await evaluateTrustCases(layoutTrustCases({ ...role, trustPolicy: widened }, layout.roles[0], layout));
    // THEN the near misses are allowed where the declaration denies them, by both mechanisms
    const wrong = results.filter(r => r.actual !== r.trustCase.expect);
    expect([...new Set(wrong.map(r => `${r.trustCase.mechanism} ${r.trustCase.serviceAccount} ${r.actual}`))].sort()).toEqual([
      'IRSA pr1/web Allowed', 'IRSA prx-1/web Allowed', 'POD_IDENTITY pr1/web Allowed', 'POD_IDENTITY prx-1/web Allowed',
    ]);
  } finally {
    app.dispose();
    process.env.CDK_VALIDATION = previousValidation;
  }
});
