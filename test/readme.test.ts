import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');

test('the README quotes the usage example verbatim (scripts/check-packed-usage.sh compiles it)', () => {
  const source = fs.readFileSync(path.join(root, 'examples', 'readme-usage.ts'), 'utf-8');
  // The file's first comment lines say where it is quoted; the README shows the rest.
  const code = source.split('\n').filter(l => !l.startsWith('// The README') && !l.startsWith('// and scripts/')).join('\n').trim();
  expect(readme).toContain('```ts\n' + code + '\n```');
});

test('the quick start is exactly the two commands', () => {
  expect(readme).toContain('```sh\nnpm ci && npx cdk synth\nnpm test\n```');
});
