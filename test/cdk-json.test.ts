import * as fs from 'fs';
import * as path from 'path';
import { CDK_JSON_CONTEXT } from './cdk-json-context';

const ROOT = path.join(__dirname, '..');
const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf-8'));

test('GIVEN the installed aws-cdk-lib WHEN its recommended feature flags are read THEN cdk.json sets every one as `cdk init` would', () => {
  // Without them `cdk synth` prints "N feature flags are not configured"; a newer
  // aws-cdk-lib adds flags, and this test names the ones to copy into cdk.json.
  const recommended = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf-8'));
  const differing = Object.keys(recommended).filter(flag => JSON.stringify(CDK_JSON_CONTEXT[flag]) !== JSON.stringify(recommended[flag]));
  expect(differing).toEqual([]);
  expect(Object.keys(recommended).length).toBeGreaterThan(80);
});

test('GIVEN cdk.json WHEN read THEN CLI notices and telemetry are off', () => {
  expect(cdkJson.notices).toBe(false);
  expect(CDK_JSON_CONTEXT['cli-telemetry']).toBe(false);
});
