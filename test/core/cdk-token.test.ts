import { Lazy, Token } from 'aws-cdk-lib';
import { containsCdkToken } from '../../lib/core/cdk-token';

describe('containsCdkToken', () => {
  test('recognizes how aws-cdk-lib renders string and list tokens, also inside a longer string', () => {
    const stringToken = Lazy.string({ produce: () => 'x' });
    const listElement = Token.asList(Lazy.any({ produce: () => ['x'] }))[0];
    expect(containsCdkToken(stringToken)).toBe(true);
    expect(containsCdkToken(`arn:aws:iam::123456789012:role/${stringToken}`)).toBe(true);
    expect(containsCdkToken(listElement)).toBe(true);
    expect(containsCdkToken(`prefix-${listElement}`)).toBe(true);
  });

  test('literal names, even with braces or dollars, are not tokens', () => {
    for (const literal of ['payments', 'arn:aws:iam::123456789012:role/payment', '${aws:username}', 'Token[1]']) {
      expect(containsCdkToken(literal)).toBe(false);
    }
  });
});
