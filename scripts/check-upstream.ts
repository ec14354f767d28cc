/**
 * `npm run check:upstream`: each catalog entry's pinned upstream release and
 * its diff against the policy document kept for that release
 * (test/aws/catalog/upstream/<Entry>/<version>.json), offline. Exits 1 when
 * an entry differs from its document in a way it does not declare (the same
 * judgment as test/aws/catalog/upstream.test.ts).
 */
process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import { ACCOUNT, REGION, addEveryEntry, platformCluster } from '../test/aws/catalog/catalog-app';
import { upstreamCases, upstreamReport } from '../test/aws/catalog/upstream/upstream-diff';

const cases = upstreamCases();
const stack = new Stack(new App(), 'Catalog', { env: { account: ACCOUNT, region: REGION } });
const every = addEveryEntry(stack, platformCluster(stack));
let failed = false;
const lines: string[] = [];
for (const [key, entry] of Object.entries(every)) {
  const c = cases.find(x => x.key === key);
  if (!c) {
    lines.push(`${key}: ${entry.upstream.version} (no kept document yet: ${entry.upstream.url})`);
    continue;
  }
  const report = upstreamReport(c, platformCluster, { account: ACCOUNT, region: REGION });
  lines.push(`${key}: ${report.kept.version}, ${report.pinned}`);
  for (const [configuration, d] of Object.entries(report.diff)) {
    lines.push(`  ${configuration}: missing [${d.missing.join(', ')}] beyond [${d.beyond.join(', ')}]`);
  }
  for (const o of entry.upstream.omitted ?? []) {
    lines.push(`  omitted ${o.actions.join(', ')}: ${o.feature}${o.option ? ` (option ${o.option})` : ''}: ${o.reason}`);
  }
  for (const a of entry.upstream.additions ?? []) { lines.push(`  added ${a.actions.join(', ')}: ${a.reason}`); }
  for (const n of entry.upstream.narrowings ?? []) { lines.push(`  tighter: ${n}`); }
  for (const p of report.problems) { lines.push(`  PROBLEM ${p}`); failed = true; }
}
process.stdout.write(lines.join('\n') + '\n');
if (failed) {
  process.stderr.write('check:upstream: an entry differs from its pinned upstream document without declaring it (see PROBLEM lines).\n');
  process.exit(1);
}
