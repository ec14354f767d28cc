/**
 * The AWS guardrails against IAM's own evaluation (iam-simulate), on trusts
 * written by hand: every way of spelling the action (wildcards, case,
 * NotAction) and, for IRSA, the subject and audience conditions (exact,
 * wildcard, absent, keys in another case) that IAM accepts. The oracle is
 * iam-simulate, never the rules' own reading of the statement.
 *
 * - WI-AWS-3 and WI-AWS-4: an IRSA trust that lets in a ServiceAccount other
 *   than the one it names, or a token minted for another audience, fails the
 *   synth with an error on that role; one that lets in only its own
 *   ServiceAccount's token for sts.amazonaws.com gets neither.
 * - WI-AWS-6: a Pod Identity trust that allows sts:AssumeRole fails the synth
 *   exactly when it does not allow sts:TagSession (EKS tags every session).
 * - WI-AWS-7: a Pod Identity trust that lets in an association of another
 *   cluster or another account gets the warning; one that lets in only its own
 *   cluster's, or those of its account a name pattern names, does not.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkloadIdentityGuardrails } from '../../lib';
import { evaluateServiceRequest, evaluateWebIdentity } from './trust-evaluator';
import { readValidationReport, ValidationFinding } from './validation-report';

const ACCOUNT = '123456789012';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
const OWN = { sub: 'system:serviceaccount:payments:api', aud: 'sts.amazonaws.com' };
/** Requests the trust must refuse: another name, another namespace, a token minted for another audience. */
const NEIGHBOURS = [
  { what: 'another ServiceAccount of the namespace', sub: 'system:serviceaccount:payments:other', aud: OWN.aud },
  { what: 'a ServiceAccount of another namespace', sub: 'system:serviceaccount:billing:api', aud: OWN.aud },
  { what: 'a token for another audience', sub: OWN.sub, aud: 'other.example.com' },
];

const ACTIONS: Array<{ [element: string]: string }> = [
  { Action: 'sts:AssumeRoleWithWebIdentity' }, { Action: 'sts:AssumeRole*' }, { Action: 'STS:assumerolewithwebidentity' },
  { Action: 'sts:*' }, { NotAction: 'sts:AssumeRole' },
  // Neither allows web identity: the trust is dead, and no claim is made of it.
  { Action: 'sts:AssumeRole' }, { NotAction: 'sts:AssumeRoleWith*' },
];
const SUBJECTS: Array<{ [operator: string]: { [key: string]: string } } | undefined> = [
  undefined,
  { StringEquals: { [`${ISSUER}:sub`]: OWN.sub } },
  { StringEquals: { [`${ISSUER}:Sub`]: OWN.sub } },
  { StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:payments:*' } },
  { StringLike: { [`${ISSUER}:SUB`]: '*' } },
];
const AUDIENCES: Array<{ [key: string]: string } | undefined> = [undefined, { [`${ISSUER}:aud`]: OWN.aud }, { [`${ISSUER}:Aud`]: OWN.aud }];

interface HandWrittenTrust { readonly id: string; readonly document: any }

function trusts(): HandWrittenTrust[] {
  const out: HandWrittenTrust[] = [];
  for (const action of ACTIONS) {
    for (const subject of SUBJECTS) {
      for (const audience of AUDIENCES) {
        const condition: { [operator: string]: { [key: string]: string } } = {};
        for (const [operator, keys] of Object.entries(subject ?? {})) { condition[operator] = { ...condition[operator], ...keys }; }
        if (audience) { condition.StringEquals = { ...condition.StringEquals, ...audience }; }
        const statement = { Effect: 'Allow', Principal: { Federated: PROVIDER }, ...action, ...Object.keys(condition).length > 0 ? { Condition: condition } : {} };
        out.push({ id: `Trust${out.length}`, document: { Version: '2012-10-17', Statement: [statement] } });
      }
    }
  }
  return out;
}

/** The unacknowledged findings of `rules` (errors unless `severity` says otherwise) in the report of an app whose roles are Trusts/<id>, by role id. */
function synthesizeWithGuardrails(dir: string, documents: Array<{ id: string; document: any }>, rules: string[], severity = 'error'): (id: string) => ValidationFinding[] {
  const app = new App({ outdir: dir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stack = new Stack(app, 'Trusts', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  for (const t of documents) { new iam.CfnRole(stack, t.id, { roleName: t.id.toLowerCase(), assumeRolePolicyDocument: t.document }); }
  Validations.of(app).addPlugins(new WorkloadIdentityGuardrails());
  app.synth();
  const findings = readValidationReport(dir).findings.filter(f => rules.includes(f.rule) && f.severity === severity && !f.acknowledged);
  return id => findings.filter(f => f.description.includes(`'Trusts/${id}'`));
}

const roleArnOf = (id: string) => `arn:aws:iam::${ACCOUNT}:role/${id.toLowerCase()}`;

describe('the AWS guardrails on hand-written trusts, judged by iam-simulate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-trust-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a trust that lets in more than its own ServiceAccount fails; one that lets in only it passes', async () => {
    // GIVEN every combination, each its own role in one app with the guardrails as a plugin
    const all = trusts();
    // WHEN the app is synthesized and each trust evaluated as STS would
    const errorsOf = synthesizeWithGuardrails(path.join(dir, 'irsa'), all, ['WI-AWS-3', 'WI-AWS-4']);
    const errorsOn = (t: HandWrittenTrust) => errorsOf(t.id);
    const problems: string[] = [];
    let wide = 0;
    let exact = 0;
    for (const t of all) {
      const roleArn = roleArnOf(t.id);
      const own = await evaluateWebIdentity(t.document, roleArn, PROVIDER, ISSUER, OWN.sub, OWN.aud);
      const admitted: string[] = [];
      for (const n of NEIGHBOURS) {
        if (await evaluateWebIdentity(t.document, roleArn, PROVIDER, ISSUER, n.sub, n.aud) === 'Allowed') { admitted.push(n.what); }
      }
      const statement = JSON.stringify(t.document.Statement[0]);
      // THEN
      if (admitted.length > 0) {
        wide++;
        if (errorsOn(t).length === 0) { problems.push(`${statement} lets in ${admitted.join(', ')} (iam-simulate), but neither WI-AWS-3 nor WI-AWS-4 fails it.`); }
      } else if (own === 'Allowed') {
        exact++;
        if (errorsOn(t).length > 0) { problems.push(`${statement} lets in only its own ServiceAccount (iam-simulate), but fails: ${errorsOn(t).map(f => f.description).join(' | ')}`); }
      }
    }
    expect(problems).toEqual([]);
    // AND both kinds were drawn: 5 live actions x (3 x 3 wide + 2 x 2 exact): wide 5 x 11, exact 5 x 4
    expect({ wide, exact }).toEqual({ wide: 55, exact: 20 });
  });

  test('a Pod Identity trust that allows sts:AssumeRole fails exactly when it does not allow sts:TagSession', async () => {
    // GIVEN one Allow for pods.eks.amazonaws.com per spelling of its actions
    const spellings: Array<{ [element: string]: string | string[] }> = [
      { Action: ['sts:AssumeRole', 'sts:TagSession'] }, { Action: ['sts:AssumeRole', 'sts:Tag*'] }, { Action: ['sts:AssumeRole', 'STS:tagsession'] },
      { Action: ['sts:AssumeRole', 'sts:TagSess?on'] }, { Action: 'sts:*' }, { NotAction: 'sts:AssumeRoleWithWebIdentity' },
      { Action: 'sts:AssumeRole' }, { Action: ['sts:AssumeRole', 'sts:TagRole*'] }, { NotAction: ['sts:Tag*'] },
    ];
    const all = spellings.map((actions, i) => ({
      id: `PodTrust${i}`,
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, ...actions }] },
    }));

    // WHEN
    const errorsOf = synthesizeWithGuardrails(path.join(dir, 'pod-identity'), all, ['WI-AWS-6']);

    // THEN
    const problems: string[] = [];
    const decided = { tagged: 0, untagged: 0 };
    for (const t of all) {
      if (await evaluateServiceRequest(t.document, roleArnOf(t.id), 'pods.eks.amazonaws.com', 'sts:AssumeRole') !== 'Allowed') { continue; }
      const tags = await evaluateServiceRequest(t.document, roleArnOf(t.id), 'pods.eks.amazonaws.com', 'sts:TagSession') === 'Allowed';
      decided[tags ? 'tagged' : 'untagged']++;
      const fails = errorsOf(t.id).length > 0;
      if (fails === tags) {
        problems.push(`${JSON.stringify(t.document.Statement[0])} ${tags ? 'allows' : 'does not allow'} sts:TagSession (iam-simulate), but WI-AWS-6 ${fails ? 'fails it' : 'passes it'}.`);
      }
    }
    expect(problems).toEqual([]);
    expect(decided).toEqual({ tagged: 6, untagged: 3 });
  });

  test('a Pod Identity trust that lets in another cluster or account gets WI-AWS-7; one that lets in only its own cluster, or clusters of its account a name pattern names, does not', async () => {
    // GIVEN every combination of an account condition and a cluster condition: Not operators, and patterns that
    // leave the account open (a wildcard account, 1234*) or the cluster (cluster/*) or name clusters of one account
    const own = { account: ACCOUNT, cluster: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod-1` };
    const foreign = { account: '999999999999', cluster: 'arn:aws:eks:eu-west-1:999999999999:cluster/prod-1' };
    const accountConditions: Condition[] = [
      {}, { StringEquals: { 'aws:SourceAccount': own.account } }, { StringNotEquals: { 'aws:SourceAccount': foreign.account } },
      { StringLike: { 'aws:SourceAccount': '*' } }, { StringLike: { 'aws:SourceAccount': '1234*' } },
    ];
    const clusterConditions: Condition[] = [
      {}, { ArnEquals: { 'aws:SourceArn': own.cluster } }, { ArnNotEquals: { 'aws:SourceArn': foreign.cluster } },
      { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:*:cluster/prod-1' } },
      // ArnLike compares the six fields one by one: the region's * does not reach into the account.
      { ArnLike: { 'aws:SourceArn': `arn:aws:eks:*:${ACCOUNT}:cluster/prod-1` } },
      { ArnLike: { 'aws:SourceArn': `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/*` } },
      { ArnLike: { 'aws:SourceArn': `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod-*` } },
      { StringEquals: { 'aws:RequestTag/eks-cluster-arn': own.cluster } },
    ];
    const all = accountConditions.flatMap((a, i) => clusterConditions.map((c, j) => {
      const condition = mergeConditions(a, c);
      const statement = { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'], ...Object.keys(condition).length > 0 ? { Condition: condition } : {} };
      return { id: `ScopedTrust${i}x${j}`, document: { Version: '2012-10-17', Statement: [statement] } };
    }));

    // WHEN
    const warningsOf = synthesizeWithGuardrails(path.join(dir, 'pod-identity-scope'), all, ['WI-AWS-7'], 'warning');

    // THEN, as EKS asks for an association of the role's own cluster, another cluster of its account, clusters of other
    // accounts (one whose id starts 1234), each request with aws:SourceArn and the eks-cluster-arn tag of its cluster
    const outside = [
      { what: 'another cluster of the account', account: own.account, cluster: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/staging` },
      { what: 'a cluster of another account', ...foreign },
      { what: 'a cluster of an account whose id starts 1234', account: '123499999999', cluster: 'arn:aws:eks:eu-west-1:123499999999:cluster/prod-1' },
    ];
    // and a cluster of the account that differs from staging only in its name, prod-2: a trust that lets it in but not
    // staging restricts the names of the account's clusters by a pattern, which WI-AWS-7 counts as naming them
    const sibling = { account: own.account, cluster: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod-2` };
    const problems: string[] = [];
    const decided = { wide: 0, pattern: 0, exact: 0 };
    for (const t of all) {
      const ask = (r: { account: string; cluster: string }) => evaluateServiceRequest(t.document, roleArnOf(t.id), 'pods.eks.amazonaws.com', 'sts:AssumeRole',
        { 'aws:SourceAccount': r.account, 'aws:SourceArn': r.cluster, 'aws:RequestTag/eks-cluster-arn': r.cluster });
      if (await ask(own) !== 'Allowed') { problems.push(`${JSON.stringify(t.document.Statement[0])} denies its own cluster (iam-simulate): the combination is wrong.`); continue; }
      const admitted: string[] = [];
      for (const r of outside) { if (await ask(r) === 'Allowed') { admitted.push(r.what); } }
      const warned = warningsOf(t.id).length > 0;
      decided[admitted.length > 0 ? 'wide' : await ask(sibling) === 'Allowed' ? 'pattern' : 'exact']++;
      if (admitted.length > 0 && !warned) { problems.push(`${JSON.stringify(t.document.Statement[0])} lets in ${admitted.join(' and ')} (iam-simulate), but WI-AWS-7 does not warn.`); }
      if (admitted.length === 0 && warned) { problems.push(`${JSON.stringify(t.document.Statement[0])} lets in only clusters of its account it names (iam-simulate), but WI-AWS-7 warns.`); }
    }
    expect(problems).toEqual([]);
    // AND all three kinds were drawn. Per cluster condition, what its key lets in of staging, the other account, the
    // 1234 account and prod-2: none (absent) all four; ArnEquals, ArnLike over regions and the tag none; ArnNotEquals
    // all but the other account; the wildcard account both other accounts; cluster/* staging and prod-2; prod-* prod-2.
    // The account conditions then keep: StringEquals the own account, StringNotEquals and 1234* all but the other account,
    // absent and * all. So each account condition has 1 pattern (prod-*) and 3 exact (ArnEquals, ArnLike over regions, the
    // tag), StringEquals also the wildcard account (4 exact): wide 4 + 3 + 4 + 4 + 4, pattern 5, exact 3 + 4 + 3 + 3 + 3.
    expect(decided).toEqual({ wide: 19, pattern: 5, exact: 16 });
  });
});

type Condition = { [operator: string]: { [key: string]: string } };

/** The conditions of `a` and `b` together (the keys of an operator both use, under it). */
function mergeConditions(a: Condition, b: Condition): Condition {
  const merged: Condition = { ...a };
  for (const [operator, keys] of Object.entries(b)) { merged[operator] = { ...merged[operator], ...keys }; }
  return merged;
}
