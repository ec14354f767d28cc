/**
 * `npm run verify`: the verification suite (test/verify) — trust and permission
 * evaluation, Kubernetes schema, cfn-lint, cdk-nag, property-based tests —
 * then one summary table. Kept out of `npm test`, which stays fast.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/verify'],
  testPathIgnorePatterns: ['/node_modules/'],
  // The verification suite reports as it goes (seeds, counts); only `npm test` fails on console output.
  setupFilesAfterEnv: [],
  globalSetup: '<rootDir>/test/verify/global-setup.ts',
  globalTeardown: '<rootDir>/test/verify/global-teardown.ts',
  testTimeout: 300000,
};
