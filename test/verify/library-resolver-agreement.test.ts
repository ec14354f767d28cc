/**
 * The comparison of the two resolvers can fail: templates written by hand
 * where the library's TemplateResolver and the proof's cfn-intrinsics.ts
 * agree (among them Fn::FindInMap, Fn::Sub's ${!Literal} and Fn::GetAZs of
 * another region, which the library once resolved unlike the CloudFormation
 * docs), and where they do not (an intrinsic the library does not model).
 */
import { AppImports, CfnTemplate, ResolvedTemplate } from './cfn-resolver';
import { resolverDisagreements } from './library-resolver-agreement';

const ENV = { stackName: 'Hand', account: '111111111111', region: 'eu-west-1' };
const NO_IMPORTS: AppImports = {
  exportNamed: name => { throw new Error(`no export ${name}`); },
  stackOutput: (stack, output) => { throw new Error(`no output ${stack}/${output}`); },
  crossRegion: name => { throw new Error(`no parameter ${name}`); },
};

function disagreements(resources: CfnTemplate['Resources'], extra: Partial<CfnTemplate> = {}): string[] {
  return resolverDisagreements([new ResolvedTemplate({ Resources: resources, ...extra }, ENV, NO_IMPORTS)], NO_IMPORTS);
}

const cluster = { Type: 'AWS::EKS::Cluster', Properties: { Name: 'blue' } };
const provider = { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: { 'Fn::GetAtt': ['Cluster', 'OpenIdConnectIssuerUrl'] } } };

test('GIVEN a trust built from a created cluster and provider with Ref, GetAtt, Join, Sub, Select and Split THEN both resolvers agree', () => {
  const issuer = { 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', { Ref: 'Provider' }] }] };
  expect(disagreements({
    Cluster: cluster,
    Provider: provider,
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { 'Fn::Sub': '${AWS::StackName}-${Cluster}-${AWS::Region}' },
        AssumeRolePolicyDocument: {
          Statement: [{
            Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: { Ref: 'Provider' } },
            Condition: { StringEquals: { 'Fn::Join': ['', [issuer, ':sub']] } },
          }],
        },
        Tags: [{ Key: 'cluster', Value: { 'Fn::GetAtt': ['Cluster', 'Arn'] } }, { Key: 'partition', Value: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }],
      },
    },
  })).toEqual([]);
});

test('GIVEN Fn::FindInMap (found, with intrinsic keys; a missing key both refuse) THEN both resolvers agree', () => {
  expect(disagreements(
    {
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::FindInMap': ['Names', { Ref: 'AWS::Region' }, 'topic'] } } },
      Missing: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::FindInMap': ['Names', 'ap-south-1', 'topic'] } } },
    },
    { Mappings: { Names: { 'eu-west-1': { topic: 'alerts' } } } },
  )).toEqual([]);
});

test('GIVEN Fn::Sub with ${!Literal}, which CloudFormation writes as ${Literal} THEN both resolvers agree', () => {
  expect(disagreements({ Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': 'a-${!Literal}-${AWS::Region}' } } } })).toEqual([]);
});

test('GIVEN Fn::GetAZs of another region, of \'\' and of Ref AWS::Region THEN both resolvers agree', () => {
  expect(disagreements({
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': 'us-east-1' }] } } },
    Here: { Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] } } },
    Region: { Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: { 'Fn::Select': [2, { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] } } },
  })).toEqual([]);
});

test('GIVEN an intrinsic only the proof models (Fn::Base64) THEN the comparison names the resource the library refuses', () => {
  expect(disagreements({ Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Base64': 'alerts' } } } }))
    .toEqual([expect.stringMatching(/^Hand Resources\.Topic\.Properties: the library refuses it \(Cannot resolve offline: Fn::Base64 is not modelled offline/)]);
});
