import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { addNagPlugin, nagAcknowledgements, nagHits } from './nag';
import { synthesize, synthesizeExamples } from './synthesized-app';
import { describeFinding, readValidationReport } from './validation-report';
import { recordStat } from './verify-stats';

describe('cdk-nag AwsSolutions over every example', () => {
  test('synthesis with the pack as a validation plugin reports nothing unacknowledged', () => {
    // GIVEN the examples with the AwsSolutions pack registered
    const app = synthesizeExamples({ configure: addNagPlugin, tolerateValidationFailure: true });
    try {
      // WHEN synthesized THEN no finding is left, and every finding has an acknowledgement with a reason
      const report = readValidationReport(app.assemblyDir);
      expect(app.validationFailure?.error.message).toBeUndefined();
      expect(report.findings.filter(f => !f.acknowledged).map(describeFinding)).toEqual([]);
      const hits = nagHits(app.awsApp);
      const acknowledgements = nagAcknowledgements(app.awsApp);
      recordStat('nagFindings', hits.filter(h => !h.acknowledged).length);
      recordStat('nagAcknowledged', hits.filter(h => h.acknowledged).length);
      expect(hits.filter(h => !h.acknowledged).map(h => `${h.rule} at ${h.path}`)).toEqual([]);
      expect(hits.filter(h => (h.acknowledged?.reason ?? '').length < 20).map(h => `${h.rule} at ${h.path}`)).toEqual([]);
      // AND no acknowledgement is stale: each one still matches a finding below it
      const used = acknowledgements.filter(a => hits.some(h => h.acknowledged?.at === a.at && h.rule === a.rule));
      expect(acknowledgements.filter(a => !used.includes(a)).map(a => `${a.rule} at ${a.at}`)).toEqual([]);
      // AND the workload identities' own findings are only the reviewed wildcard ones
      expect([...new Set(hits.filter(h => /\/(Payment|Report|Upload|Reader|Notifier)\//.test(h.path)).map(h => h.rule.replace(/<\w+\.Arn>/, '<bucket>')))].sort()).toEqual([
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Resource::<bucket>/*]',
        'AwsSolutions-IAM5[Resource::<bucket>/incoming/*]',
      ]);
    } finally {
      app.dispose();
    }
  });

  test('an unacknowledged finding fails synthesis', () => {
    // GIVEN an app with a bucket that has no acknowledgement
    const build = (awsApp: cdk.App) => {
      const stack = new cdk.Stack(awsApp, 'Unacknowledged', { env: { account: '123456789012', region: 'eu-west-1' } });
      new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    };
    // WHEN synthesized with the pack THEN the finding is reported and synthesis fails
    const app = synthesize([{ name: 'unacknowledged', build }], { configure: addNagPlugin, tolerateValidationFailure: true });
    try {
      expect(app.validationFailure?.error.message).toContain('AwsSolutions-S1');
      expect(readValidationReport(app.assemblyDir).findings.filter(f => !f.acknowledged).map(f => f.rule)).toEqual(['AwsSolutions-S1']);
    } finally {
      app.dispose();
    }
  });
});
