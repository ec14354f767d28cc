import { CfnOutput, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { WorkloadRole, WorkloadRoleProps } from '../../lib/aws/workload-role';
import { newStack } from '../fixtures';

const TRUST = new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')], actions: ['sts:AssumeRole', 'sts:TagSession'] });
const READ = new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] });
const WRITE = new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::uploads/*'] });

/** The same role, in a stack of the same name, built by `build`: the two templates must match. */
function templateOf(build: (scope: Construct) => void): any {
  const stack = newStack();
  build(stack);
  return Template.fromStack(stack).toJSON();
}

function roleId(template: any): string {
  const ids = Object.keys(template.Resources).filter(id => template.Resources[id].Type === 'AWS::IAM::Role');
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('WorkloadRole writes what iam.Role writes', () => {
  test.each<[string, WorkloadRoleProps]>([
    ['no props', {}],
    ['every prop', {
      roleName: 'payment',
      description: 'Payment pods',
      maxSessionDuration: Duration.hours(2),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyName(newStack(), 'Boundary', 'workload-boundary'),
    }],
  ])('GIVEN %s WHEN the role trusts a principal and gets two grants THEN the template equals iam.Role\'s, DefaultPolicy included', (_, props) => {
    // GIVEN / WHEN
    const lean = templateOf(scope => {
      const role = new WorkloadRole(scope, 'Payment', props);
      role.assumeRolePolicy.addStatements(TRUST);
      role.addToPrincipalPolicy(READ);
      role.addToPolicy(WRITE);
    });
    const l2 = templateOf(scope => {
      const role = new iam.Role(scope, 'Payment', { ...props, assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags() });
      role.addToPrincipalPolicy(READ);
      role.addToPolicy(WRITE);
    });

    // THEN same resources, logical ids, properties and policy name
    expect(lean.Resources).toEqual(l2.Resources);
    expect(Object.values<any>(lean.Resources).map(r => r.Type).sort()).toEqual(['AWS::IAM::Policy', 'AWS::IAM::Role']);
  });

  test('GIVEN no grant THEN there is no policy resource', () => {
    const template = templateOf(scope => new WorkloadRole(scope, 'Payment').assumeRolePolicy.addStatements(TRUST));
    expect(Object.values<any>(template.Resources).map(r => r.Type)).toEqual(['AWS::IAM::Role']);
  });
});

describe('grants', () => {
  test('GIVEN a bucket whose policy names the role WHEN the bucket is also granted to the role THEN the grant lands in the separate policy, so no cycle forms', () => {
    // GIVEN
    const stack = newStack();
    const role = new WorkloadRole(stack, 'Reader');
    role.assumeRolePolicy.addStatements(TRUST);
    const bucket = new s3.Bucket(stack, 'Reports');
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));

    // WHEN
    bucket.grantRead(role);

    // THEN the role references nothing of the bucket; the policy references both
    const template = Template.fromStack(stack);
    const json = template.toJSON();
    const id = roleId(json);
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    expect(JSON.stringify(json.Resources[id])).not.toContain(bucketId);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: id }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: Match.arrayWith([{ 'Fn::GetAtt': [bucketId, 'Arn'] }]) })]) },
    });
  });

  test('GIVEN another role WHEN it is granted to pass, assume and tag this role THEN its policy names exactly this role\'s ARN', () => {
    // GIVEN
    const stack = newStack();
    const role = new WorkloadRole(stack, 'Payment');
    role.assumeRolePolicy.addStatements(TRUST);
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });

    // WHEN
    role.grantPassRole(operator);
    role.grantAssumeRole(operator);
    role.grant(operator, 'iam:TagRole');

    // THEN
    const id = stack.getLogicalId(role.resource);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Operator') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: { 'Fn::GetAtt': [id, 'Arn'] } },
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { 'Fn::GetAtt': [id, 'Arn'] } },
          { Effect: 'Allow', Action: 'iam:TagRole', Resource: { 'Fn::GetAtt': [id, 'Arn'] } },
        ],
      },
    });
  });

  test('grantAssumeRole to a service principal is refused, as iam.Role refuses it', () => {
    const role = new WorkloadRole(newStack(), 'Payment');
    expect(() => role.grantAssumeRole(new iam.ServicePrincipal('ec2.amazonaws.com')))
      .toThrow('Cannot use a service or account principal with grantAssumeRole, use assumeRolePolicy instead.');
  });

  test('a managed policy added twice is attached once; an attached inline policy names the role', () => {
    // GIVEN
    const stack = newStack();
    const role = new WorkloadRole(stack, 'Payment');
    role.assumeRolePolicy.addStatements(TRUST);
    const readOnly = iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess');

    // WHEN
    role.addManagedPolicy(readOnly);
    role.addManagedPolicy(readOnly);
    const inline = new iam.Policy(stack, 'Extra', { statements: [READ] });
    role.attachInlinePolicy(inline);
    role.attachInlinePolicy(inline);

    // THEN
    const template = Template.fromStack(stack);
    const id = roleId(template.toJSON());
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: id }], PolicyDocument: { Statement: [Match.objectLike({ Action: 's3:GetObject' })] } });
  });

  test('PermissionsBoundary.of(scope).apply reaches the role, as it reaches iam.Role', () => {
    // GIVEN
    const stack = newStack();
    new WorkloadRole(stack, 'Payment').assumeRolePolicy.addStatements(TRUST);

    // WHEN
    iam.PermissionsBoundary.of(stack).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'workload-boundary'));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:policy/workload-boundary']] },
    });
  });

  test('its ARN used in another stack becomes a cross-stack reference', () => {
    // GIVEN
    const stack = newStack();
    const role = new WorkloadRole(stack, 'Payment');
    role.assumeRolePolicy.addStatements(TRUST);
    const other = new Stack(stack.node.root, 'Other', { env: { account: stack.account, region: stack.region } });

    // WHEN
    new CfnOutput(other, 'RoleArn', { value: role.roleArn });

    // THEN
    Template.fromStack(other).hasOutput('RoleArn', { Value: { 'Fn::ImportValue': Match.stringLikeRegexp('^Test:ExportsOutputFnGetAttPayment[0-9A-F]{8}Arn') } });
  });
});

describe('errors', () => {
  test.each([
    [Duration.minutes(30), "Invalid maxSessionDuration 1800 seconds for role 'Test/Payment': IAM allows 1 to 12 hours. Use e.g. Duration.hours(1)."],
    [Duration.hours(13), "Invalid maxSessionDuration 46800 seconds for role 'Test/Payment': IAM allows 1 to 12 hours. Use e.g. Duration.hours(1)."],
  ])('maxSessionDuration %s', (maxSessionDuration, message) => {
    expect(() => new WorkloadRole(newStack(), 'Payment', { maxSessionDuration })).toThrow(message);
  });

  test('a maxSessionDuration from a parameter is passed through, for CloudFormation to check', () => {
    const stack = newStack();
    const hours = new CfnParameter(stack, 'SessionSeconds', { type: 'Number' });
    new WorkloadRole(stack, 'Payment', { maxSessionDuration: Duration.seconds(hours.valueAsNumber) }).assumeRolePolicy.addStatements(TRUST);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: { Ref: 'SessionSeconds' } });
  });

  test('a description over 1000 characters', () => {
    expect(() => new WorkloadRole(newStack(), 'Payment', { description: 'x'.repeat(1001) }))
      .toThrow("Invalid description for role 'Test/Payment': it has 1001 characters, IAM allows 1000. Shorten it.");
  });

  test('an identity statement without resources fails synth, as in iam.Policy', () => {
    const stack = newStack();
    const role = new WorkloadRole(stack, 'Payment');
    role.assumeRolePolicy.addStatements(TRUST);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'] }));
    expect(() => Template.fromStack(stack)).toThrow('[Test/Payment] A PolicyStatement used in an identity-based policy must specify at least one resource.');
  });

  test('a trust statement without a principal fails synth, as in iam.Role', () => {
    const stack = newStack();
    new WorkloadRole(stack, 'Payment').assumeRolePolicy.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'] }));
    expect(() => Template.fromStack(stack)).toThrow('[Test/Payment] A PolicyStatement used in a trust policy must specify at least one IAM principal.');
  });
});
