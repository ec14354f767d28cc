import * as fs from 'fs';
import * as path from 'path';

// The README's minimal app is what scripts/check-packed-install.sh installs and
// synthesizes (CI): these keep its text equal to the example the repository
// type-checks, and its install line equal to package.json.
const { readmeFiles, readmePackages } = require('../scripts/readme-app.js');

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
const files: { file: string; text: string }[] = readmeFiles(readme);

test('GIVEN the README WHEN its file blocks are read THEN they are the complete app: cdk.json, tsconfig.json, bin/app.ts', () => {
  expect(files.map(f => f.file)).toEqual(['cdk.json', 'tsconfig.json', 'bin/app.ts']);
  expect(JSON.parse(files[0].text).app).toContain('bin/app.ts');
});

test('GIVEN bin/app.ts in the README WHEN compared THEN it is examples/readme-usage.ts verbatim', () => {
  const source = fs.readFileSync(path.join(root, 'examples', 'readme-usage.ts'), 'utf-8');
  // The file's first comment lines say where it is quoted; the README shows the rest.
  const code = source.split('\n').filter(l => !l.startsWith('// The README') && !l.startsWith('// and scripts/')).join('\n').trim();
  expect(files.find(f => f.file === 'bin/app.ts')?.text.trim()).toBe(code);
});

test('GIVEN the README\'s npm install lines WHEN read THEN they install the library, every peer at its package.json range, and the CLI tools', () => {
  const installed = readmePackages(readme).map((p: { dev: boolean; name: string }) => `${p.dev ? 'dev' : 'dep'} ${p.name}`);
  expect(installed).toEqual([
    `dep ${pkg.name}`,
    ...Object.keys(pkg.peerDependencies).map(name => `dep ${name}`),
    'dev aws-cdk', 'dev tsx', 'dev typescript', 'dev @types/node',
  ]);
  for (const [name, range] of Object.entries(pkg.peerDependencies)) {
    expect(readme).toContain(` ${name}@${range}`);
  }
});

test('GIVEN docs/troubleshooting.md\'s synth timings WHEN read THEN they were measured with the README\'s cdk.json, say when and on what machine, and quote the fresh-install check\'s CPU budget', () => {
  // The figures come from scripts/check-fresh-install.sh's output (nothing asserts a time in npm
  // test); this keeps the page honest about what was measured when cdk.json or the budget changes.
  const page = fs.readFileSync(path.join(root, 'docs', 'troubleshooting.md'), 'utf-8');
  const section = page.split('\n## How long `cdk synth` takes\n')[1]?.split('\n## ')[0] ?? '';
  expect(section).toContain(`\`"app": "${JSON.parse(files[0].text).app}"\``);
  expect(section).toMatch(/measured on \d{4}-\d{2}-\d{2} on the project's machine \(\d+ cores[^)]*Node \d+\.\d+\.\d+, TypeScript \d+\.\d+\.\d+/);
  const budget = /^cpu_budget=(\d+)$/m.exec(fs.readFileSync(path.join(root, 'scripts', 'check-fresh-install.sh'), 'utf-8'))?.[1];
  expect(budget).toBeDefined();
  expect(section).toContain(`more than ${budget} s of CPU`);
  expect(section).toMatch(/\n\| whole, the README's `cdk\.json` \| [\d.]+( to [\d.]+)? \| [\d.]+ s \| [\d.]+ s \|\n/);
});
