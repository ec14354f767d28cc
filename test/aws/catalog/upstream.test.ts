/**
 * A test per entry with a kept upstream document (test/aws/catalog/upstream/<Entry>/):
 * the entry's pin names the kept document's release, and its actions equal
 * upstream's up to the omissions and additions it declares with reasons.
 */
import { ACCOUNT, REGION, platformCluster } from './catalog-app';
import { allowedActions, diffActions, keptUpstream, UpstreamCase, upstreamCases, upstreamReport } from './upstream/upstream-diff';

const cases = upstreamCases();

test('the upstream diff finds missing and extra actions, wildcards included', () => {
  // GIVEN an upstream and an entry that differ WHEN diffed THEN each side's surplus is named
  const d = diffActions(['ec2:describe*', 'ec2:createtags', 'sqs:receivemessage'], ['ec2:describeinstances', 'ec2:createtags', 'kms:decrypt']);
  expect(d).toEqual({ missing: ['sqs:receivemessage'], beyond: ['kms:decrypt'] });
  expect(diffActions(['kms:reencryptfrom'], ['kms:reencrypt*'])).toEqual({ missing: [], beyond: ['kms:reencrypt*'] });
  expect(allowedActions([{ Effect: 'Allow', Action: 'Route53:ListHostedZones' }, { Effect: 'Deny', Action: 'x:y' }])).toEqual(['route53:listhostedzones']);
});

test('a kept document that is missing is named with what to do', () => {
  expect(() => keptUpstream('ExternalDns', 'v0.0.1')).toThrow(/No kept upstream document .*ExternalDns\/v0.0.1.json: copy the published policy of v0.0.1 there, with its source./);
});

describe.each(cases.map(c => [c.key, c] as [string, UpstreamCase]))('%s', (_key, c) => {
  test('matches its pinned upstream document up to declared, reasoned differences', () => {
    // GIVEN the entry built minimal and full WHEN diffed against the kept document THEN nothing is undeclared or stale
    const report = upstreamReport(c, platformCluster, { account: ACCOUNT, region: REGION });
    expect(report.problems).toEqual([]);
  });
});
