import * as fs from 'fs';
import * as path from 'path';

// The README ships in the npm package, where docs/, examples/ and the other
// pages are not: its links must be absolute repository URLs (or anchors of
// the README itself), and each must name a file of this repository (and a
// heading of it). The pages in the repository link to each other relatively.
const root = path.join(__dirname, '..');
const REPOSITORY = 'https://github.com/cdk-eks-workload-identity/cdk-eks-workload-identity/blob/main/';

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
}

/** Every link target of a markdown text, outside code blocks and code spans. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, 'code');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]);
}

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf-8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map(m => anchorOf(m[1])));
}

/** What is wrong with a link to `file#anchor` in the repository, or undefined. */
function problemWith(file: string, anchor: string | undefined): string | undefined {
  if (!fs.existsSync(file)) { return `${path.relative(root, file)} does not exist`; }
  if (anchor && file.endsWith('.md') && !anchorsOf(file).has(anchor)) { return `${path.relative(root, file)} has no heading #${anchor}`; }
  return undefined;
}

test('GIVEN the README WHEN its links are read THEN each is an anchor of it or an absolute URL of a file (and heading) of the repository', () => {
  const readme = path.join(root, 'README.md');
  const links = linksOf(fs.readFileSync(readme, 'utf-8'));
  expect(links.length).toBeGreaterThan(10);
  const problems = links.flatMap(link => {
    if (link.startsWith('#')) { return anchorsOf(readme).has(link.slice(1)) ? [] : [`${link}: no such heading`]; }
    if (link.startsWith(REPOSITORY)) {
      const [file, anchor] = link.slice(REPOSITORY.length).split('#');
      const problem = problemWith(path.join(root, file), anchor);
      return problem ? [`${link}: ${problem}`] : [];
    }
    return /^https:\/\//.test(link) ? [] : [`${link}: relative, so it points nowhere in the installed package`];
  });
  expect(problems).toEqual([]);
});

test.each(['CONTRIBUTING.md', 'CHANGELOG.md', ...fs.readdirSync(path.join(root, 'docs')).map(f => `docs/${f}`)])(
  'GIVEN %s WHEN its relative links are followed THEN each names a file (and heading) of the repository', page => {
    const problems = linksOf(fs.readFileSync(path.join(root, page), 'utf-8'))
      .filter(link => !/^[a-z]+:/.test(link))
      .flatMap(link => {
        const [file, anchor] = link.split('#');
        const problem = problemWith(file ? path.resolve(path.dirname(path.join(root, page)), file) : path.join(root, page), anchor);
        return problem ? [`${link}: ${problem}`] : [];
      });
    expect(problems).toEqual([]);
  });

test('GIVEN a broken link WHEN checked THEN it is found (the check can fail)', () => {
  expect(problemWith(path.join(root, 'docs', 'nowhere.md'), undefined)).toBe('docs/nowhere.md does not exist');
  expect(problemWith(path.join(root, 'docs', 'clusters.md'), 'no-such-heading')).toBe('docs/clusters.md has no heading #no-such-heading');
  expect(linksOf('[a](b.md) `[c](d.md)`\n```\n[e](f.md)\n```\n')).toEqual(['b.md']);
});

test('GIVEN the README WHEN measured THEN it stays under 25,000 characters, and its table of contents lists every section in order', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  // The README takes a user from install to applied YAML; reference belongs in docs/ and API.md.
  expect(readme.length).toBeLessThan(25_000);
  const sections = [...readme.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^## (.*)$/gm)].map(m => m[1]).filter(s => s !== 'Contents');
  const contents = readme.slice(readme.indexOf('## Contents'), readme.indexOf('\n## ', readme.indexOf('## Contents') + 1));
  expect([...contents.matchAll(/^- \[(.*)\]\(#(.*)\)$/gm)].map(m => [m[1], m[2]])).toEqual(sections.map(s => [s, anchorOf(s)]));
});
