#!/usr/bin/env node
/**
 * Writes the file `cdk deploy --all --outputs-file <file>` would write for the
 * stacks of a cloud assembly, without deploying (there is no AWS account
 * here): { "<stack name>": { "<output key>": "<value>" } } for every output of
 * every stack template, each value a stand-in the stack would plausibly
 * deploy (lower case, like a generated bucket name).
 *
 *   node scripts/simulated-deploy-outputs.js <cdk.out> <file>
 */
const fs = require('fs');
const path = require('path');

function simulatedOutputs(assemblyDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf-8'));
  const outputs = {};
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') { continue; }
    const stackName = artifact.properties?.stackName ?? id;
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf-8'));
    const keys = Object.keys(template.Outputs ?? {});
    // The CLI writes a stack only when it has outputs.
    if (keys.length > 0) {
      outputs[stackName] = Object.fromEntries(keys.map(key => [key, `${stackName}-${key}-deployed`.toLowerCase()]));
    }
  }
  return outputs;
}

if (require.main === module) {
  const [assemblyDir, file] = process.argv.slice(2);
  if (!assemblyDir || !file) { throw new Error('usage: simulated-deploy-outputs.js <cdk.out> <file>'); }
  fs.writeFileSync(file, JSON.stringify(simulatedOutputs(assemblyDir), null, 2) + '\n');
  console.log(`${file}: ${JSON.stringify(simulatedOutputs(assemblyDir))}`);
}

module.exports = { simulatedOutputs };
