import * as fs from 'fs';
import * as path from 'path';

// docs/architecture.md says what each folder of the library owns: it must name every folder there is, and no
// folder there is not, so a folder added, renamed or removed fails here until the page says so.

const ROOT = path.resolve(__dirname, '..', '..');
const PAGE = fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf-8');

/** The folders of lib/, and one level below each side's (guardrails/rules are described with their guardrails). */
function libFolders(): string[] {
  const dirs = (p: string) => fs.readdirSync(path.join(ROOT, p), { withFileTypes: true }).filter(d => d.isDirectory()).map(d => `${p}/${d.name}`);
  return [...['lib/core', 'lib/aws', 'lib/k8s'].flatMap(side => [side, ...dirs(side)]), ...dirs('lib').filter(d => !['lib/core', 'lib/aws', 'lib/k8s'].includes(d))].sort();
}

/** The `lib/...` folders a table row of the page names (`lib/aws/cluster/`). */
function describedFolders(page: string): string[] {
  return [...page.matchAll(/^\| `(lib\/[^`]+)\/` \|/gm)].map(m => m[1]).sort();
}

describe('docs/architecture.md', () => {
  test('GIVEN the folders of lib/ THEN the page describes each of them, and no other', () => {
    expect(describedFolders(PAGE)).toEqual(libFolders().filter(f => f !== 'lib/aws'));
  });

  test('GIVEN a page missing a folder THEN the check fails (it can)', () => {
    const without = PAGE.replace(/^\| `lib\/aws\/cluster\/` \|.*$/m, '');
    expect(describedFolders(without)).not.toEqual(libFolders().filter(f => f !== 'lib/aws'));
  });

  test('the page quotes the measured module switches of one identity (scripts/module-switches.js), revisits among them', () => {
    const m = /switches between library modules \*\*(\d+)\*\* times,\s+\*\*(\d+)\*\* of them/.exec(PAGE);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeLessThanOrEqual(Number(m![1]));
  });
});
