import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeploymentOutputs } from '../../lib/core/deployment-outputs';

const BUCKET = { stackName: 'Uploads', outputKey: 'BucketNameOutput6F3A' };

describe('DeploymentOutputs', () => {
  test('GIVEN the file cdk deploy --outputs-file writes WHEN a value is asked THEN it is the deployed value', () => {
    const outputs = DeploymentOutputs.fromJson(JSON.stringify({ Uploads: { BucketNameOutput6F3A: 'uploads-bucket83908e77-1x2y' } }), 'cdk-outputs.json');
    expect(outputs.exists).toBe(true);
    expect(outputs.valueOf(BUCKET)).toBe('uploads-bucket83908e77-1x2y');
    expect(outputs.missingReason(BUCKET)).toBeUndefined();
  });

  test('GIVEN no file yet WHEN read THEN not an error: every value is missing and the reason says to deploy with --outputs-file', () => {
    const file = path.join(os.tmpdir(), 'no-such-dir-for-outputs', 'cdk-outputs.json');
    const outputs = DeploymentOutputs.readFile(file);
    expect(outputs.exists).toBe(false);
    expect(outputs.valueOf(BUCKET)).toBeUndefined();
    expect(outputs.missingReason(BUCKET)).toBe(`'${file}' does not exist yet: deploy with 'npx cdk deploy --all --outputs-file ${file}' (the file then holds every deployed stack's outputs), then synthesize again`);
  });

  test('GIVEN a file without the stack or the key WHEN asked THEN the reason names what the file has', () => {
    const outputs = DeploymentOutputs.fromJson('{"Other":{"A":"1"},"Uploads":{"TableName":"t"}}', 'out.json');
    expect(outputs.missingReason({ stackName: 'Missing', outputKey: 'X' })).toMatch(/^'out.json' has no stack 'Missing' \(it has 'Other', 'Uploads'\): deploy with/);
    expect(outputs.missingReason(BUCKET)).toMatch(/^'out.json' has no output 'BucketNameOutput6F3A' of stack 'Uploads' \(it has 'TableName'\): deploy with/);
    // An inherited property is no output.
    expect(outputs.valueOf({ stackName: 'Uploads', outputKey: 'constructor' })).toBeUndefined();
  });

  test('GIVEN a file on disk WHEN read THEN its values are there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
    try {
      fs.writeFileSync(path.join(dir, 'cdk-outputs.json'), '{ "Uploads": { "BucketNameOutput6F3A": "b" } }');
      expect(DeploymentOutputs.readFile(path.join(dir, 'cdk-outputs.json')).valueOf(BUCKET)).toBe('b');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['not JSON', '{', /^Invalid outputs file 'f.json': it is not JSON \(.*\)\. Write it with 'npx cdk deploy --all --outputs-file f.json'\.$/],
    ['an array', '[]', /^Invalid outputs file 'f.json': expected an object of stacks, each an object of output keys and string values/],
    ['a stack that is a string', '{"S":"x"}', /^Invalid outputs file 'f.json': stack 'S' is not an object of outputs/],
    ['a number value', '{"S":{"K":1}}', /^Invalid outputs file 'f.json': output 'S.K' is number, not a string/],
    ['a token value', '{"S":{"K":"${Token[TOKEN.30]}"}}', /^Invalid outputs file 'f.json': output 'S.K' is an unresolved CDK token \('\$\{Token\[TOKEN.30\]\}'\)/],
  ])('GIVEN %s WHEN read THEN the error names the file and what it should be', (_, json, message) => {
    expect(() => DeploymentOutputs.fromJson(json, 'f.json')).toThrow(message);
  });

  test.each([
    [{ stackName: '', outputKey: 'K' }, "its stackName is ''"],
    [{ stackName: 'S', outputKey: '${Token[TOKEN.1]}' }, "its outputKey is '${Token[TOKEN.1]}'"],
    [{ stackName: 'S' } as any, 'its outputKey is missing'],
  ])('GIVEN reference %j WHEN asked THEN refused', (reference, why) => {
    expect(() => DeploymentOutputs.fromJson('{}', 'f.json').valueOf(reference)).toThrow(`Invalid deployment output reference: ${why}; `);
  });
});
