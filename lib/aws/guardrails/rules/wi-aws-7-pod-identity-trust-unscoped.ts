import { GuardrailLevel } from '../../../core/guardrails/guardrail-level';
import { hasWildcard } from '../../../core/subject-pattern';
import { splitArn } from '../../../core/validation/aws-environment';
import { ResourceFinding, TrustStatement, trustStatements } from '../template-model';
import { UNKNOWN } from '../template-resolver';
import { AwsRule } from './aws-rule';

const ACCOUNT_KEYS = ['aws:sourceaccount', 'aws:sourceorgid'];
/** Keys whose value is the pod's cluster ARN: EKS sets aws:SourceArn and the eks-cluster-arn session tag from the same cluster. */
const CLUSTER_ARN_KEYS = ['aws:sourcearn', 'aws:requesttag/eks-cluster-arn'];
const CLUSTER_NAME_KEY = 'aws:requesttag/eks-cluster-name';
// Operators that admit only the values listed. The Not operators admit every other value: `StringNotEquals aws:SourceAccount` lets in every other account.
const NARROWING_OPERATORS = /^(?:ForAnyValue:|ForAllValues:)?(String|Arn)(Equals|EqualsIgnoreCase|Like)(?:IfExists)?$/;

/**
 * How an operator compares a value: `literal` (String...Equals: wildcards are
 * characters), `fields` (ArnEquals and ArnLike alike: the six fields of the
 * ARN one by one, each with `*` and `?`), `whole` (String...Like: `*` and `?`
 * over the whole string, `:` included).
 */
type Comparison = 'literal' | 'fields' | 'whole';

/** What one value of a narrowing condition pins: the account (one account only) and the cluster (names within an account). */
interface Pinned { readonly account: boolean; readonly cluster: boolean }
const NOTHING: Pinned = { account: false, cluster: false };

/**
 * WI-AWS-7 pod-identity-trust-unscoped (warning): a Pod Identity trust
 * statement that does not pin one account and name its clusters. A condition
 * counts only when every value it lists does (IAM ANDs conditions, so one
 * such condition per half is enough):
 *
 * - the account: `aws:SourceAccount` or `aws:SourceOrgID` exact (under a Like
 *   operator without `*` or `?`), or a cluster ARN (`aws:SourceArn`, the
 *   `eks-cluster-arn` session tag) whose account field is exact. Arn operators
 *   compare field by field, so `arn:aws:eks:*:111122223333:cluster/prod`
 *   pins the account; under StringLike `*` also matches `:`, so only a value
 *   written out up to the account field's closing `:` pins it.
 * - the cluster: such an ARN whose resource is `cluster/<name>` with a name
 *   that has a character other than a wildcard (`cluster/prod-*` names the
 *   account's prod- clusters, a deliberate allowance; `cluster/*` names none),
 *   or the `eks-cluster-name` session tag with such a name.
 *
 * A policy variable (`${...}`) takes the request's own value: it pins nothing.
 * A value the template leaves to deployment renders as `?` alone; it stands
 * for one value (and as a pattern matches no account or cluster ARN).
 */
export const podIdentityTrustUnscoped: AwsRule = {
  id: 'WI-AWS-7',
  name: 'pod-identity-trust-unscoped',
  level: GuardrailLevel.WARNING,
  explanation: 'Without conditions any pod identity association in any account that may pass the role can use it (confused deputy).',
  fix: 'Add StringEquals aws:SourceAccount and the cluster (aws:SourceArn, or the aws:RequestTag/eks-cluster-arn session tag, whose exact cluster ARN also pins the account), ' +
    'as WorkloadIdentity does unless restrictTrustToSubjects is false. A pattern may cover cluster names of one exact account, never the account.',
  check: context => {
    const findings: ResourceFinding[] = [];
    for (const role of context.ofType('AWS::IAM::Role')) {
      for (const s of trustStatements(context, role)) {
        if (!s.podIdentity) { continue; }
        const missing: string[] = [];
        if (!scoped(s, 'account')) { missing.push('aws:SourceAccount'); }
        if (!scoped(s, 'cluster')) { missing.push('the cluster (aws:SourceArn or aws:RequestTag/eks-cluster-arn)'); }
        if (missing.length > 0) {
          findings.push(context.finding(podIdentityTrustUnscoped, `Role '${context.nameOf(role)}' trusts pods.eks.amazonaws.com without a condition on ${missing.join(' or ')}.`, role));
        }
      }
    }
    return findings;
  },
};

/** Whether some narrowing condition of the statement pins `half` with every value it lists. */
function scoped(s: TrustStatement, half: keyof Pinned): boolean {
  for (const c of s.conditionList) {
    const operator = NARROWING_OPERATORS.exec(c.operator);
    if (!operator || c.values.length === 0) { continue; }
    const comparison: Comparison = operator[1] === 'Arn' ? 'fields' : operator[2] === 'Like' ? 'whole' : 'literal';
    if (c.values.every(v => pinnedBy(c.lowerKey, comparison, v)[half])) { return true; }
  }
  return false;
}

/** What one value of a condition on `key` (lower case) pins. */
function pinnedBy(key: string, comparison: Comparison, value: string): Pinned {
  if (value.includes('${')) { return NOTHING; }
  if (ACCOUNT_KEYS.includes(key)) { return { account: exact(value, comparison), cluster: false }; }
  if (key === CLUSTER_NAME_KEY) { return { account: false, cluster: namesSome(value, comparison) }; }
  if (CLUSTER_ARN_KEYS.includes(key)) { return clusterArnPins(value, comparison); }
  return NOTHING;
}

/** What a cluster ARN value pins: its account, and its cluster when it names some. */
function clusterArnPins(value: string, comparison: Comparison): Pinned {
  if (comparison === 'literal') { return value === '*' ? NOTHING : { account: true, cluster: true }; }
  if (value === UNKNOWN) { return { account: true, cluster: true }; }
  const fields = splitArn(value);
  if (!fields) { return NOTHING; }
  const [partition, service, region, account, resource] = fields;
  // Under StringLike a wildcard in any earlier field may also match the ':' before the account.
  const pinsAccount = comparison === 'fields' ? exact(account, comparison) : !hasWildcard(`${partition}:${service}:${region}:${account}`);
  const namesClusters = resource.startsWith('cluster/') && namesSome(resource.slice('cluster/'.length), comparison);
  // Under StringLike the name is read only where everything before it is written out.
  return { account: pinsAccount, cluster: namesClusters && (comparison === 'fields' || pinsAccount) };
}

/** Whether `value` admits one value: literal, or without wildcards (or the rendering of a value left to deployment). */
function exact(value: string, comparison: Comparison): boolean {
  return comparison === 'literal' ? value !== '*' : value === UNKNOWN || !hasWildcard(value);
}

/** Whether a cluster name (pattern) leaves some clusters out: it has a character that is not a wildcard. */
function namesSome(name: string, comparison: Comparison): boolean {
  return comparison === 'literal' ? name !== '*' : name === UNKNOWN || /[^*?]/.test(name);
}
