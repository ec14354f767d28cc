import failOnConsole from 'jest-fail-on-console';

// `npm test` prints test results only: a test whose code writes to the console
// (a guardrail warning, an aws-cdk-lib deprecation, a stray log) fails and
// names the message. A test that expects a warning asserts it
// (test/synth-warning.ts), which also keeps it off the output.
failOnConsole({
  shouldFailOnAssert: true,
  shouldFailOnDebug: true,
  shouldFailOnError: true,
  shouldFailOnInfo: true,
  shouldFailOnLog: true,
  shouldFailOnWarn: true,
});
