import { statementCoversAction } from '../../lib/core/iam-action';

// IAM User Guide, "IAM JSON policy elements: Action": prefix and name are case-insensitive, * and ? match within the name;
// "NotAction": an Allow with NotAction allows every action it does not list.
describe('statementCoversAction', () => {
  test.each([
    [['sts:AssumeRoleWithWebIdentity'], 'sts:AssumeRoleWithWebIdentity'],
    [['STS:assumerolewithwebidentity'], 'sts:AssumeRoleWithWebIdentity'],
    [['sts:AssumeRole*'], 'sts:AssumeRoleWithWebIdentity'],
    [['sts:*'], 'sts:TagSession'],
    [['*'], 'sts:TagSession'],
    [['sts:TagSess?on'], 'sts:TagSession'],
    [['sts:AssumeRole', 'sts:Tag*'], 'sts:TagSession'],
  ])('Action %j covers %s', (actions, action) => {
    expect(statementCoversAction(actions, undefined, action)).toBe(true);
  });

  test.each([
    [['sts:AssumeRole'], 'sts:AssumeRoleWithWebIdentity'],
    [['sts:AssumeRoleWithSAML'], 'sts:AssumeRoleWithWebIdentity'],
    [['sts:TagSess?'], 'sts:TagSession'],
    [['iam:*'], 'sts:TagSession'],
    [['sts:TagSession '], 'sts:TagSession'],
    [[], 'sts:TagSession'],
  ])('Action %j does not cover %s', (actions, action) => {
    expect(statementCoversAction(actions, undefined, action)).toBe(false);
  });

  test('a NotAction covers every action it does not list, and no action it lists', () => {
    expect(statementCoversAction([], ['sts:AssumeRole'], 'sts:AssumeRoleWithWebIdentity')).toBe(true);
    expect(statementCoversAction([], ['sts:AssumeRoleWith*'], 'sts:AssumeRoleWithWebIdentity')).toBe(false);
    expect(statementCoversAction([], ['STS:*'], 'sts:TagSession')).toBe(false);
    expect(statementCoversAction([], [], 'sts:TagSession')).toBe(true);
  });
});
