/**
 * Whether `value` holds an unresolved aws-cdk-lib token, as a string renders
 * one: '${Token[...]}', or '#{Token[...]}' for an element of a list token.
 * The core does not load aws-cdk-lib, so it recognizes the encoding instead
 * of asking `Token.isUnresolved`.
 */
export function containsCdkToken(value: string): boolean {
  return value.includes('${Token[') || value.includes('#{Token[');
}

/**
 * `value` with each aws-cdk-lib token replaced by `placeholder`, so the
 * literal parts around a token can still be checked (a created cluster's name
 * is a token; 'my cluster-' + token still has a space).
 */
export function withoutCdkTokens(value: string, placeholder: string): string {
  return value.replace(/[$#]\{Token\[[^\]]*\]\}/g, placeholder);
}

/** Whether `value` is one aws-cdk-lib token and nothing else. */
export function isWholeCdkToken(value: string): boolean {
  return /^[$#]\{Token\[[^\]]*\]\}$/.test(value);
}

/**
 * Whether `value` is an unresolved aws-cdk-lib number token: aws-cdk-lib
 * encodes one as a double near -1.8881545897087e+289 (a marker in the high
 * bits, the token's index in the low ones), which no real setting comes near.
 */
export function isCdkNumberToken(value: number): boolean {
  return value <= -1.8881545897e289 && value >= -1.8882e289;
}
