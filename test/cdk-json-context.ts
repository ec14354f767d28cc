import * as fs from 'fs';
import * as path from 'path';

/**
 * cdk.json's context (the recommended feature flags, as `cdk init` writes
 * them): what `npx cdk synth` of the examples runs with. A test that builds
 * the examples in its own App passes it, so it sees what the CLI would.
 */
export const CDK_JSON_CONTEXT: { readonly [key: string]: unknown } =
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8')).context;
