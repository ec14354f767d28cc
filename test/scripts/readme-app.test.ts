// scripts/readme-app.js reads the README's minimal app for the packed-install
// check; these show what it takes from Markdown and what it leaves.
const { installLines, readmeFiles, readmePackages, readmeSnippets } = require('../../scripts/readme-app.js');

const README = [
  '# Title',
  '',
  '```sh',
  'npm install cdk-eks-workload-identity aws-cdk-lib@^2.276.0 constructs@^10.8.1',
  'npm install -D aws-cdk @types/node@^20 typescript',
  'npx cdk synth',
  '```',
  '',
  '`cdk.json`:',
  '',
  '```json',
  '{ "app": "npx ts-node bin/app.ts" }',
  '```',
  '',
  '`bin/app.ts`',
  '```ts',
  "import { App } from 'aws-cdk-lib';",
  '```',
  '',
  'Some `inline` text before a block that is not a file:',
  '```ts',
  'const notAFile = 1;',
  '```',
].join('\n');

test('GIVEN file blocks WHEN read THEN each labelled block is one file, unlabelled blocks are not', () => {
  expect(readmeFiles(README)).toEqual([
    { file: 'cdk.json', text: '{ "app": "npx ts-node bin/app.ts" }\n' },
    { file: 'bin/app.ts', text: "import { App } from 'aws-cdk-lib';\n" },
  ]);
});

test('GIVEN npm install lines WHEN read THEN packages without ranges, dev ones marked, other commands ignored', () => {
  expect(readmePackages(README)).toEqual([
    { dev: false, name: 'cdk-eks-workload-identity' },
    { dev: false, name: 'aws-cdk-lib' },
    { dev: false, name: 'constructs' },
    { dev: true, name: 'aws-cdk' },
    { dev: true, name: '@types/node' },
    { dev: true, name: 'typescript' },
  ]);
});

test('GIVEN TypeScript blocks WHEN read as snippets THEN file blocks and quoted blocks are left out, and each snippet gets the library names it uses but does not import', () => {
  const markdown = [
    README,
    '',
    'From `examples/fleet.ts`:',
    '```ts',
    'const quoted = 1;',
    '```',
    '',
    'A block with its own imports:',
    '```ts',
    "import { WorkloadBindingFile } from 'cdk-eks-workload-identity/core';",
    'new WorkloadChart(chart, \'c\', { binding: WorkloadBindingFile.readFile(\'b.json\')[0] }); new Stack(app, \'S\'); cdk8s.App;',
    '```',
  ].join('\n');
  const exportsOf = (name: string) => name === 'aws-cdk-lib' ? ['Stack', 'App', 'aws_iam'] : ['WorkloadChart', 'WorkloadBindingFile', 'WorkloadIdentity'];

  const snippets: string[] = readmeSnippets(markdown, exportsOf);

  expect(snippets).toHaveLength(2);
  expect(snippets[0]).toContain('const notAFile = 1;');
  expect(snippets[0]).not.toContain('= wi;');
  expect(snippets[1]).toContain("import { WorkloadBindingFile } from 'cdk-eks-workload-identity/core';");
  expect(snippets[1]).toContain('const { WorkloadChart } = wi;'); // not WorkloadBindingFile (imported), not WorkloadIdentity (unused)
  expect(snippets[1]).toContain('const { Stack } = cdk;'); // not App: cdk8s.App is another module's
  expect(snippets[1]).toMatch(/constructor\(scope: Construct\) \{\n    super\(scope, 'Snippet'\);\nnew WorkloadChart/);
});

test('GIVEN an Install section WHEN its lines are read THEN its npm lines exactly as written, in order, and none from other sections', () => {
  const markdown = [
    '# Title', '', '## Install', '', '```sh', 'npm init -y', 'npm install cdk-eks-workload-identity aws-cdk-lib@^2.276.0', 'npm install -D aws-cdk tsx typescript', '```', '',
    '## Deploy', '', '```sh', 'npm install something-else', 'npx cdk synth', '```',
  ].join('\n');
  expect(installLines(markdown)).toEqual(['npm init -y', 'npm install cdk-eks-workload-identity aws-cdk-lib@^2.276.0', 'npm install -D aws-cdk tsx typescript']);
  expect(() => installLines('# Title\n')).toThrow('the README has no "## Install" section');
});
