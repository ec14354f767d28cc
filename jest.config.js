/** Fast transform (swc, no type checking): `npm run build` type-checks. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/verify runs in `npm run verify` (jest.verify.config.js): it shells out to cfn-lint and fuzzes.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/verify/'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/setup.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  testTimeout: 60000,
};
