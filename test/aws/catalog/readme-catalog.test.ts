/**
 * The README's catalog table names each pinned entry's release: it changes
 * with the pin (and the chart version with the entry's).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { HelmIdentity } from '../../../lib';
import { ACCOUNT, REGION, addEveryEntry, platformCluster } from './catalog-app';
import { upstreamCases } from './upstream/upstream-diff';

// The table lives in docs/catalog.md (the README links to it; it stays under 25,000 characters).
const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'catalog.md'), 'utf-8');
const rows = readme.split('\n').filter(l => /^\| `[A-Za-z0-9]+Identity` \|/.test(l)).map(l => l.split('|').map(c => c.trim()));

test('every pinned entry has a README row with its repository, release and chart version', () => {
  // GIVEN every entry and the folders of pinned ones
  const stack = new Stack(new App(), 'Readme', { env: { account: ACCOUNT, region: REGION } });
  const entries = addEveryEntry(stack, platformCluster(stack));
  const pinned = upstreamCases().map(c => entries[c.key]);
  expect(pinned.length).toBeGreaterThanOrEqual(4);
  for (const entry of pinned) {
    // WHEN its row is read THEN it names the entry's pin
    const row = rows.find(r => r[1] === `\`${entry.constructor.name}\``);
    expect([entry.constructor.name, row?.[2].startsWith(`${entry.upstream.repository} ${entry.upstream.version}`)]).toEqual([entry.constructor.name, true]);
    if (entry instanceof HelmIdentity) {
      expect(row?.[3]).toBe(`chart \`${entry.chart.chart}\` ${entry.chart.version}`);
    }
  }
});
