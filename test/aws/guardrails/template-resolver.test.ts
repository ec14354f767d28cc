import { TemplateResolver, UNKNOWN } from '../../../lib/aws/guardrails/template-resolver';

const template = {
  Parameters: { Stage: { Type: 'String', Default: 'prod' } },
  Resources: {
    Provider: { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: 'https://oidc.eks.example/id/ABC' } },
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'campus' } },
    Unnamed: { Type: 'AWS::EKS::Cluster', Properties: {} },
    Conditions: { Type: 'Custom::AWSCDKCfnJson', Properties: { Value: { 'Fn::Join': ['', ['{"', { 'Fn::GetAtt': ['Cluster', 'OpenIdConnectIssuerUrl'] }, ':sub":"x"}']] } } },
    Bucket: { Type: 'AWS::S3::Bucket' },
  },
};

describe('TemplateResolver', () => {
  test.each([
    ['eu-west-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu'],
  ])('takes the partition and URL suffix of %s from region-info', (region, partition, suffix) => {
    const r = new TemplateResolver(template, { stackName: 'Shop', account: '123456789012', region });
    expect(r.resolve({ Ref: 'AWS::Partition' })).toBe(partition);
    expect(r.resolve({ Ref: 'AWS::URLSuffix' })).toBe(suffix);
    expect(r.resolve({ 'Fn::GetAtt': ['Provider', 'Arn'] })).toBe(`arn:${partition}:iam::123456789012:oidc-provider/oidc.eks.example/id/ABC`);
    expect(r.resolve({ 'Fn::GetAtt': ['Cluster', 'Arn'] })).toBe(`arn:${partition}:eks:${region}:123456789012:cluster/campus`);
  });

  test('resolves Sub, Join, Select, Split and CfnJson values', () => {
    const r = new TemplateResolver(template, { stackName: 'Shop', account: '123456789012', region: 'eu-west-1' });
    expect(r.resolve({ 'Fn::Sub': ['${AWS::Region}-${Name}-${Cluster}', { Name: 'x' }] })).toBe('eu-west-1-x-campus');
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(r.resolve({ 'Fn::GetAtt': ['Conditions', 'Value'] })).toEqual({ [`https://oidc.eks.eu-west-1.amazonaws.com/id/${'0'.repeat(32)}:sub`]: 'x' });
  });

  test('resolves Fn::FindInMap, Fn::Sub\'s ${!Literal} and Fn::GetAZs as the CloudFormation template reference defines them', () => {
    // GIVEN a template with Mappings
    const mapped = { ...template, Mappings: { Names: { 'eu-west-1': { topic: 'alerts' }, 'us-east-1': { topic: 'alarms' } } } };
    const r = new TemplateResolver(mapped, { stackName: 'Shop', account: '123456789012', region: 'eu-west-1' }, { strict: true });
    // THEN FindInMap reads them, with intrinsic keys, and a DefaultValue (AWS::LanguageExtensions) stands for a missing key
    expect(r.resolve({ 'Fn::FindInMap': ['Names', { Ref: 'AWS::Region' }, 'topic'] })).toBe('alerts');
    expect(r.resolve({ 'Fn::FindInMap': ['Names', 'ap-south-1', 'topic', { DefaultValue: { 'Fn::Sub': '${AWS::Region}-x' } }] })).toBe('eu-west-1-x');
    expect(() => r.resolve({ 'Fn::FindInMap': ['Names', 'ap-south-1', 'topic'] }))
      .toThrow('Cannot resolve offline: Fn::FindInMap ["Names","ap-south-1","topic"] is not in the template\'s Mappings (stack \'Shop\').');
    // AND Sub writes ${!Literal} as ${Literal}, substituting the rest
    expect(r.resolve({ 'Fn::Sub': 'a-${!Literal}-${AWS::Region}' })).toBe('a-${Literal}-eu-west-1');
    // AND GetAZs lists the zones of the Region named, the stack's for '' or Ref AWS::Region
    expect(r.resolve({ 'Fn::Select': [0, { 'Fn::GetAZs': 'us-east-1' }] })).toBe('us-east-1a');
    expect(r.resolve({ 'Fn::GetAZs': '' })).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(r.resolve({ 'Fn::GetAZs': { Ref: 'AWS::Region' } })).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  test('a lenient resolver renders what the template does not tell as unknown, with same-length stand-ins for the environment', () => {
    const r = new TemplateResolver(template, { stackName: 'Shop' });
    expect(r.resolve({ 'Fn::Join': [':', [{ Ref: 'AWS::AccountId' }, { Ref: 'Bucket' }, { Ref: 'Stage' }, { Ref: 'Unnamed' }]] })).toBe(`000000000000:${UNKNOWN}:${UNKNOWN}:${UNKNOWN}`);
    expect(r.resolve({ 'Fn::ImportValue': 'x' })).toBe(UNKNOWN);
  });

  test('a strict resolver refuses to guess, and asks for the values it lacks', () => {
    const r = new TemplateResolver(template, { stackName: 'Shop' }, { strict: true });
    expect(() => r.resolve({ Ref: 'AWS::AccountId' })).toThrow("Cannot resolve offline: the account of an environment-agnostic stack (stack 'Shop').");
    expect(() => r.resolve({ Ref: 'Bucket' })).toThrow("Cannot resolve offline: the Ref of AWS::S3::Bucket 'Bucket' (stack 'Shop').");
    expect(r.resolve({ Ref: 'Stage' })).toBe('prod');
    const named = new TemplateResolver(template, { stackName: 'Shop', account: '1', region: 'eu-west-1' }, {
      strict: true, resourceValue: (_, id, attribute) => attribute === undefined ? `${id}-name` : undefined,
    });
    expect(named.resolve({ Ref: 'Bucket' })).toBe('Bucket-name');
  });
});

describe('TemplateResolver, lenient', () => {
  afterEach(() => jest.restoreAllMocks());

  test('renders an unknown value without formatting the message a strict resolver would throw', () => {
    // GIVEN a lenient resolver and values it cannot know (the guardrails render one per role of a workload stack)
    const r = new TemplateResolver(template, { stackName: 'Shop', account: '123456789012', region: 'eu-west-1' });
    const stringify = jest.spyOn(JSON, 'stringify');
    // WHEN it renders them
    const rendered = r.resolve([
      { 'Fn::GetStackOutput': { StackName: 'Platform', OutputName: 'Provider' } },
      { 'Fn::Join': ['', { 'Fn::ImportValue': 'Parts' }] },
      { 'Fn::Select': [5, ['a']] },
    ]);
    // THEN they are unknown, and no message was built
    expect(rendered).toEqual([UNKNOWN, UNKNOWN, UNKNOWN]);
    expect(stringify).not.toHaveBeenCalled();
  });

  test('a strict resolver still names the value it cannot resolve', () => {
    const r = new TemplateResolver(template, { stackName: 'Shop', account: '123456789012', region: 'eu-west-1' }, { strict: true });
    expect(() => r.resolve({ 'Fn::GetStackOutput': { StackName: 'Platform' } }))
      .toThrow('Cannot resolve offline: Fn::GetStackOutput is not modelled offline ({"Fn::GetStackOutput":{"StackName":"Platform"}}) (stack \'Shop\').');
  });
});
