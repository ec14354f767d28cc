/**
 * Runs `synth` (which synthesizes an app), expecting aws-cdk-lib's validation
 * report to print a warning that contains `expected`, and returns its result.
 * npm test fails on any other console output (test/setup-after-env.ts), so a
 * test whose app warns on purpose says so here, and proves the user sees it.
 */
export function synthWarning<T>(synth: () => T, expected: string): T {
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const result = synth();
    expect(printed.mock.calls.map(args => args.join(' ')).join('\n')).toContain(expected);
    return result;
  } finally {
    printed.mockRestore();
  }
}
