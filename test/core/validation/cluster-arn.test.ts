import { validateClusterArn } from '../../../lib/core/validation';

const SHAPE = 'An EKS cluster ARN is arn:<partition>:eks:<region>:<12-digit account>:cluster/<cluster name>, without wildcards. ' +
  'Copy it from `aws eks describe-cluster --name <name> --query cluster.arn`, or leave clusterArn out to build it from the stack.';
const ARN = 'arn:aws:eks:eu-west-1:123456789012:cluster/campus';

describe('validateClusterArn', () => {
  test.each([
    [ARN],
    ['arn:aws-cn:eks:cn-north-1:123456789012:cluster/campus'],
    ['arn:aws-us-gov:eks:us-gov-west-1:123456789012:cluster/campus'],
    ['arn:aws-iso-b:eks:us-isob-east-1:123456789012:cluster/campus'],
    ['arn:aws-eusc:eks:eusc-de-east-1:123456789012:cluster/campus'],
    ['${Token[TOKEN.9]}'],
  ])('GIVEN %j WHEN validated for cluster campus THEN it is accepted', (arn) => {
    expect(() => validateClusterArn(arn, 'campus')).not.toThrow();
  });

  test.each([
    ['a wildcard name', 'arn:aws:eks:eu-west-1:123456789012:cluster/*', "its cluster name '*' contains '*', a wildcard"],
    ['a wildcard region', 'arn:aws:eks:*:123456789012:cluster/campus', "its region '*' contains '*', a wildcard"],
    ['a wildcard account', 'arn:aws:eks:eu-west-1:*:cluster/campus', "its account '*' contains '*', a wildcard"],
    ['a two-digit account', 'arn:aws:eks:eu-west-1:12:cluster/campus', "its account '12' has 2 digits; an AWS account id has exactly 12"],
    ['a lettered account', 'arn:aws:eks:eu-west-1:12345678901x:cluster/campus', "its account '12345678901x' contains 'x'; an AWS account id is exactly 12 digits"],
    ['an empty region', 'arn:aws:eks::123456789012:cluster/campus', "its region '' is not an AWS region code (like 'eu-west-1')"],
    ['a made-up partition', 'arn:amazon:eks:eu-west-1:123456789012:cluster/campus', "its partition 'amazon' is not an AWS partition ('aws', 'aws-cn', 'aws-us-gov', ...)"],
    ['another service', 'arn:aws:ecs:eu-west-1:123456789012:cluster/campus', "its service is 'ecs', not 'eks'"],
    ['another resource', 'arn:aws:eks:eu-west-1:123456789012:nodegroup/campus/ng/1', "its resource 'nodegroup/campus/ng/1' does not start with 'cluster/'"],
    ['a policy variable', 'arn:aws:eks:eu-west-1:123456789012:cluster/${aws:username}',
      "its cluster name '${aws:username}' contains '${', which IAM reads as a policy variable (${aws:...}), so the policy would match values never declared"],
    ['a name with a colon', 'arn:aws:eks:eu-west-1:123456789012:cluster/cam:pus', "its cluster name 'cam:pus' contains ':'"],
    ['no ARN at all', 'campus', 'it is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)'],
  ])('GIVEN a cluster ARN with %s WHEN validated THEN the error names the part and the shape', (_what, arn, why) => {
    expect(() => validateClusterArn(arn)).toThrow(`Invalid EKS cluster ARN '${arn}': ${why}. ${SHAPE}`);
  });

  test('GIVEN the ARN of another cluster WHEN validated THEN the error names both', () => {
    expect(() => validateClusterArn(ARN, 'lab')).toThrow(`Invalid EKS cluster ARN '${ARN}': it names cluster 'campus', not 'lab'. ` +
      "Pass the ARN of cluster 'lab' (arn:<partition>:eks:<region>:<account>:cluster/lab), or leave clusterArn out.");
  });
});

describe('validateClusterArn with tokens', () => {
  test.each([
    ['arn:${Token[AWS.Partition.7]}:eks:eu-west-1:123456789012:cluster/campus'],
    ['arn:aws:eks:eu-west-1:123456789012:cluster/${Token[TOKEN.3]}'],
  ])('GIVEN %j WHEN validated THEN the token part is accepted', (arn) => {
    expect(() => validateClusterArn(arn)).not.toThrow();
  });

  test('GIVEN a token beside a space in the name WHEN validated THEN the literal text is checked', () => {
    expect(() => validateClusterArn('arn:aws:eks:eu-west-1:123456789012:cluster/my ${Token[TOKEN.3]}'))
      .toThrow("Invalid EKS cluster ARN 'arn:aws:eks:eu-west-1:123456789012:cluster/my ${Token[TOKEN.3]}': its cluster name 'my ${Token[TOKEN.3]}' contains whitespace (U+0020).");
  });
});
