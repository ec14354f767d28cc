import { App } from 'aws-cdk-lib';
import { AwsRuleContext, renderShared, StackTemplate } from '../../../lib/aws/guardrails/template-model';
import { TemplateResolver, UNKNOWN } from '../../../lib/aws/guardrails/template-resolver';

const template = {
  Resources: {
    Provider: { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: 'https://oidc.eks.example/id/ABC' } },
  },
};

function resolver(): TemplateResolver {
  return new TemplateResolver(template, { stackName: 'Shop', account: '123456789012', region: 'eu-west-1' });
}

/** A policy document with intrinsics in some places, as aws-cdk-lib writes them. */
function document(): any {
  return {
    Statement: [
      { Action: ['s3:GetObject*', 's3:List*'], Effect: 'Allow', Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::data/*']] }, 'arn:aws:s3:::logs'] },
      { Action: 'sts:AssumeRoleWithWebIdentity', Effect: 'Allow', Principal: { Federated: { 'Fn::GetAtt': ['Provider', 'Arn'] } }, Condition: { StringEquals: { 'x:aud': 'sts.amazonaws.com' } } },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::ImportValue': 'Queue' }, Condition: { Bool: { 'aws:SecureTransport': true }, Null: { 'aws:TokenIssueTime': 'false' } } },
      { Action: 'ec2:Describe*', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': [{ Ref: 'AWS::Region' }, 'us-east-1', 3, null] } } },
    ],
    Version: '2012-10-17',
  };
}

describe('renderShared', () => {
  test('renders what resolve renders, JSON for JSON', () => {
    // GIVEN a document with intrinsics at several depths, an unknown one and values of every JSON type
    const doc = document();
    // THEN the two render the same text
    expect(JSON.stringify(renderShared(resolver(), doc))).toEqual(JSON.stringify(resolver().resolve(doc)));
    expect(renderShared(resolver(), doc).Statement[2].Resource).toBe(UNKNOWN);
    expect(renderShared(resolver(), doc).Statement[1].Principal.Federated).toBe('arn:aws:iam::123456789012:oidc-provider/oidc.eks.example/id/ABC');
  });

  test('returns the parts without intrinsics as they are, and leaves the template alone', () => {
    // GIVEN a document
    const doc = document();
    const before = JSON.stringify(doc);
    // WHEN it is rendered
    const rendered = renderShared(resolver(), doc);
    // THEN what has no intrinsic is the template's own object (resolve copied all of it), the rest is new
    expect(rendered).not.toBe(doc);
    expect(rendered.Statement[0].Action).toBe(doc.Statement[0].Action);
    expect(rendered.Statement[1].Condition).toBe(doc.Statement[1].Condition);
    expect(rendered.Statement[2].Condition).toBe(doc.Statement[2].Condition);
    expect(rendered.Statement[0].Resource).not.toBe(doc.Statement[0].Resource);
    expect(rendered.Statement[0].Resource[1]).toBe('arn:aws:s3:::logs');
    const plain = { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] };
    expect(renderShared(resolver(), plain)).toBe(plain);
    expect(JSON.stringify(doc)).toEqual(before);
  });

  test('treats a __proto__ key as resolve does (resolve\'s copy drops it)', () => {
    // GIVEN a parsed document with an own '__proto__' key, without intrinsics
    const doc = JSON.parse('{"Statement":[{"Effect":"Allow","__proto__":{"a":"b"},"Action":"s3:*"}]}');
    // THEN both render the same text
    expect(JSON.stringify(renderShared(resolver(), doc))).toEqual(JSON.stringify(resolver().resolve(doc)));
  });
});

describe('AwsRuleContext', () => {
  test('renders values sharing their parts without intrinsics with the template', () => {
    // GIVEN a context over one stack
    const r = resolver();
    const stack: StackTemplate = { stackPath: 'Shop', templatePath: 'Shop.template.json', account: '123456789012', region: 'eu-west-1', resources: [], resolver: r };
    const context = new AwsRuleContext([stack], new App(), { maxTrustPolicyLength: 2048, maxPodIdentityAssociationsPerCluster: 5000, subjectPatterns: [] },
      { notEksClusters: [], hasRuntimeMarks: false }, []);
    const doc = document();
    // THEN it renders as resolve does, without copying what needs no rendering
    expect(JSON.stringify(context.render(stack, doc))).toEqual(JSON.stringify(r.resolve(doc)));
    expect(context.render(stack, doc).Statement[3].Condition.StringEquals['aws:RequestedRegion']).toEqual(['eu-west-1', 'us-east-1', 3, null]);
    expect(context.render(stack, doc).Statement[0].Action).toBe(doc.Statement[0].Action);
  });
});
