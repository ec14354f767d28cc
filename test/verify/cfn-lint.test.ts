import * as cdk from 'aws-cdk-lib';
import { cfnLint, CfnLintFinding, cfnLintVersion } from './cfn-lint';
import { synthesize, synthesizeExamples, SynthesizedApp } from './synthesized-app';
import { describeFinding, readValidationReport } from './validation-report';
import { recordStat } from './verify-stats';

/** cfn-lint warnings reviewed and accepted, each with its reason; errors are never accepted. */
const ACCEPTED_WARNINGS: { rule: string; template: string; resource: RegExp; reason: string }[] = [
  {
    rule: 'W3005',
    template: 'IrsaOnNewCluster',
    resource: /^Cluster[0-9A-F]{8}$/,
    reason: "aws-eks-v2's Cluster adds DependsOn on the VPC's subnets and routes, some of which it also references; redundant, harmless, and not this library's resource.",
  },
  {
    // cfn-lint reports this one in some runs and not in others (1.51).
    rule: 'W3005',
    template: 'IrsaOnNewCluster',
    resource: /^AWSCDKCfnUtilsProviderCustomResourceProviderHandler[0-9A-F]{8}$/,
    reason: "aws-cdk-lib's CfnUtils provider (behind CfnJson, needed for a token issuer) depends on its role explicitly and by GetAtt; redundant and harmless.",
  },
  {
    rule: 'W3005',
    template: 'IrsaOnNewCluster',
    resource: /^CustomVpcRestrictDefaultSGCustomResourceProviderHandler[0-9A-F]{8}$/,
    reason: "aws-cdk-lib's provider that empties the example VPC's default security group (@aws-cdk/aws-ec2:restrictDefaultSecurityGroup, a recommended flag) depends on its role explicitly and by GetAtt; redundant, harmless, and not this library's resource.",
  },
];

const accepted = (f: CfnLintFinding) => f.level === 'Warning' &&
  ACCEPTED_WARNINGS.some(a => a.rule === f.rule && a.template === f.template && a.resource.test(f.resource ?? ''));
const describe_ = (f: CfnLintFinding) => `${f.level} ${f.rule} in ${f.template} at ${f.path}: ${f.message}`;

let app: SynthesizedApp;

beforeAll(() => {
  // aws-cdk-lib's built-in CloudFormation validation, in error mode as cdk.json sets it.
  delete process.env.CDK_VALIDATION;
  app = synthesizeExamples();
}, 120_000);

afterAll(() => {
  process.env.CDK_VALIDATION = 'false';
  app?.dispose();
});

describe('real CloudFormation linters over every example template', () => {
  test("aws-cdk-lib's built-in validation runs in error mode and reports nothing unacknowledged", () => {
    // GIVEN the examples, synthesized with the validation on (it throws on an error)
    // WHEN its report is read
    const report = readValidationReport(app.assemblyDir);
    recordStat('cdkValidationViolations', report.findings.filter(f => !f.acknowledged).length);
    // THEN error mode is set and nothing is left unacknowledged (the broken-template test below shows it runs and fails)
    expect(app.awsApp.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBe(true);
    expect(process.env.CDK_VALIDATION).toBeUndefined();
    expect(report.findings.filter(f => !f.acknowledged).map(describeFinding)).toEqual([]);
    expect(report.findings.filter(f => (f.acknowledged?.reason ?? '').length < 20).map(describeFinding)).toEqual([]);
  });

  test('cfn-lint finds no error and only reviewed warnings', () => {
    // GIVEN every example template
    expect(cfnLintVersion()).toMatch(/^cfn-lint 1\./);
    const templates = Object.fromEntries(app.stacks.map(s => [s.stackName, s.template]));
    // WHEN cfn-lint runs over them
    const findings = cfnLint(templates);
    recordStat('cfnLintTemplates', app.stacks.length);
    recordStat('cfnLintErrors', findings.filter(f => f.level === 'Error').length);
    recordStat('cfnLintWarnings', findings.filter(f => f.level === 'Warning').length);
    recordStat('cfnLintInformational', findings.filter(f => f.level === 'Informational').length);
    // THEN there is no error, and every warning is one that was reviewed
    expect(findings.filter(f => f.level === 'Error').map(describe_)).toEqual([]);
    expect(findings.filter(f => f.level === 'Warning' && !accepted(f)).map(describe_)).toEqual([]);
  });

  test('both linters fail on a broken template', () => {
    // GIVEN a resource with a misspelled property
    const build = (awsApp: cdk.App) => {
      const stack = new cdk.Stack(awsApp, 'Broken', { env: { account: '123456789012', region: 'eu-west-1' } });
      new cdk.CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeoutSecs: 30 } });
    };
    // WHEN synthesized with the built-in validation, and linted THEN both report it
    expect(() => synthesize([{ name: 'broken', build }])).toThrow(/VisibilityTimeoutSecs/);
    const broken = synthesize([{ name: 'broken', build }], { tolerateValidationFailure: true });
    try {
      expect(cfnLint({ Broken: broken.stack('Broken').template }).filter(f => f.level === 'Error').map(f => f.rule)).toEqual(['E3002']);
    } finally {
      broken.dispose();
    }
  });
});
