// scripts/readme-app.js reads the README's minimal app for the packed-install
// check; these show what it takes from Markdown and what it leaves.
const { readmeFiles, readmePackages } = require('../../scripts/readme-app.js');

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
