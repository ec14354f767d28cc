import { Arn, ArnFormat, CfnJson, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { hasWildcard } from '../../core/subject-pattern';
import { POD_IDENTITY_ACTIONS, POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TAG_KEYS } from '../../core/pod-identity';
import { clusterDisplayName, IWorkloadCluster } from '../cluster/i-workload-cluster';
import { splittableIn } from '../stacks/splittable-reference';
import { AddedConditions, IRSA_SIDE, POD_IDENTITY_SIDE, withAddedConditions } from './trust-conditions';

/**
 * The principal a workload role is `assumedBy`: it builds the role's trust
 * policy from its subjects, one statement at a time, so
 * that subjects added later (more ServiceAccounts, more clusters) extend it.
 *
 * - IRSA: one statement per OIDC provider and audience; `StringEquals` on
 *   `<issuer>:sub` (the exact subjects) and `<issuer>:aud`.
 * - Pod Identity: one statement per (account, namespace, ServiceAccount),
 *   with `StringEquals` on `aws:SourceAccount` and the session tags EKS sends,
 *   listing every cluster of that account the ServiceAccount runs on: no
 *   namespace of one subject combines with the name of another, and a fleet of
 *   clusters costs one ARN each.
 */
export class WorkloadTrustPolicy extends iam.PrincipalBase {
  /** No principal of its own: it stands only for the role's subjects, in the role's trust policy. */
  public readonly policyFragment = new iam.PrincipalPolicyFragment({});
  // Each collection is made on first use: a role trusts one mechanism, usually one subject, and one trust is kept per
  // workload for the app's life, so empty Maps and Sets would be most of its memory.
  /** Exact subjects per issuer and audience: one StringEquals statement each. */
  private irsaGroups?: Map<string, string[]>;
  /** Subject patterns per issuer and audience: one StringLike statement each. */
  private irsaPatternGroups?: Map<string, string[]>;
  /** Cluster ARNs per (account, namespace, ServiceAccount): one statement each. */
  private podIdentityGroups?: Map<string, string[]>;
  private podIdentityAccounts?: Set<string>;
  private document?: iam.PolicyDocument;
  /** Statements of subjects admitted before the role existed. */
  private pending?: iam.PolicyStatement[];

  /**
   * @param addedConditions conditions the user adds to every statement of each mechanism
   */
  constructor(private readonly scope: Construct, private readonly addedConditions: { irsa?: AddedConditions; podIdentity?: AddedConditions } = {}) {
    super();
  }

  /** The library's conditions with those the user adds to the mechanism's statements, if any. */
  private withAdded(base: iam.Conditions, side: 'irsa' | 'podIdentity'): iam.Conditions {
    const added = this.addedConditions[side];
    return added ? withAddedConditions(base, added, side === 'irsa' ? IRSA_SIDE : POD_IDENTITY_SIDE, this.scope.node.path) : base;
  }

  public dedupeString(): string | undefined {
    return undefined;
  }

  /** Called by iam.Role with its trust policy: the subjects' statements go there, as they are added. */
  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    this.document = document;
    document.addStatements(...this.pending ?? []);
    this.pending = undefined;
  }

  /**
   * Admits one (cluster, namespace, ServiceAccount), or with `pattern` the
   * ServiceAccounts its wildcards match, by the mechanisms the subject's plan
   * trusts: IRSA for `irsaAudience`; Pod Identity for the subject, or for any
   * association of the cluster's account (`podIdentity: 'account'`, the opt-out).
   */
  public admit(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string, trust: SubjectTrust): void {
    const pattern = trust.pattern === true;
    if (trust.irsaAudience !== undefined) {
      // The identity checked both names as it admitted the subject: the claim is built, not checked again.
      this.addIrsa(cluster, `system:serviceaccount:${namespace}:${serviceAccountName}`, trust.irsaAudience, pattern);
    }
    if (trust.podIdentity === 'account') {
      this.addPodIdentityAccount(cluster);
    } else if (trust.podIdentity === 'subject') {
      this.addPodIdentity(cluster, namespace, serviceAccountName, pattern);
    }
  }

  /**
   * IRSA: one statement per issuer and audience, `StringEquals` on `<issuer>:sub` listing the exact subjects and on
   * `<issuer>:aud`. Subject patterns (`system:serviceaccount:pr-*:web`) of one issuer and audience share a statement of
   * their own, `StringLike` on `<issuer>:sub`: in the exact subjects' statement it would be ANDed with their `StringEquals`.
   */
  private addIrsa(cluster: IWorkloadCluster, subject: string, audience: string, pattern: boolean): void {
    const { provider, conditionKeyPrefix: prefix } = cluster._irsaTrust(audience, this.scope);
    const literal = !Token.isUnresolved(prefix);
    // Two statements of one issuer and audience would carry the same condition keys, and aws-cdk-lib's policy
    // minimizer, seeing equal conditions (the subject lists are Lazy), would merge them into one's subjects.
    const groups = pattern ? (this.irsaPatternGroups ??= new Map()) : (this.irsaGroups ??= new Map());
    this.addToGroup(groups, `${literal ? prefix : provider.openIdConnectProviderArn}|${audience}`, subject, pattern, subjects => {
      const n = groups.size;
      const conditions = this.withAdded(pattern
        ? { StringLike: { [`${prefix}:sub`]: subjects }, StringEquals: { [`${prefix}:aud`]: audience } }
        : { StringEquals: { [`${prefix}:sub`]: subjects, [`${prefix}:aud`]: audience } }, 'irsa');
      // Keys split out of the provider's ARN import it strongly from a stack of the role's account and region: the
      // principal names the same import, so the provider's stack has one export for both, not an output besides.
      const providerArn = literal ? provider.openIdConnectProviderArn : splittableIn(this.scope, provider.openIdConnectProviderArn);
      // Condition keys cannot be tokens in CloudFormation: a cluster created in the stack has a token issuer, and only
      // CfnJson (a Lambda-backed custom resource) can build such keys, one per operator the library sets. A literal issuer needs none.
      const ids: { [operator: string]: string } = pattern ? { StringLike: `IrsaPatternCondition${n}`, StringEquals: `IrsaPatternAudience${n}` } : { StringEquals: `IrsaCondition${n}` };
      const keyed = literal ? {} : Object.fromEntries(Object.entries(ids).map(([operator, id]) => [operator, new CfnJson(this.scope, id, { value: conditions[operator] })]));
      if (!literal) { this.refuseKeysSplitFromStackOutput(cluster, prefix); }
      return new iam.PolicyStatement({
        principals: [new iam.FederatedPrincipal(providerArn)],
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: { ...conditions, ...keyed },
      });
    });
  }

  /**
   * Adds `value` to the group `key` (once, with `unique`); the group's first value makes its statement, given the
   * group's values as one Lazy (the value while there is one, else the list), so later values extend it. The Lazy also
   * keeps the statement apart under aws-cdk-lib's policy minimizer, which compares JSON.stringify(conditions) (a Lazy is
   * '<unresolved-lazy>' there): literal values would merge a statement the user adds to the trust with equal conditions
   * into this one (test/aws/trust/trust-minimize.test.ts).
   */
  private addToGroup(groups: Map<string, string[]>, key: string, value: string, unique: boolean, statement: (values: unknown) => iam.PolicyStatement): void {
    const existing = groups.get(key);
    if (existing) {
      if (!unique || !existing.includes(value)) { existing.push(value); }
      return;
    }
    const values = [value];
    groups.set(key, values);
    this.addStatement(statement(Lazy.any({ produce: () => values.length === 1 ? values[0] : values })));
  }

  /** Adds a statement to the role's trust policy, or keeps it until the role hands the policy over. */
  private addStatement(statement: iam.PolicyStatement): void {
    if (this.document) { this.document.addStatements(statement); } else { (this.pending ??= []).push(statement); }
  }

  /**
   * Keys split out of a value that reaches the role's stack as Fn::GetStackOutput
   * (a reference across regions or accounts; a provider's ARN from a stack of the
   * same account and region is imported strongly, see splittableIn) are refused
   * at synth: CloudFormation does not take Fn::GetStackOutput inside Fn::Split in
   * every region (aws-cdk PR 37948), and cfn-lint rejects it (E1022).
   * Checked once cross-stack references are resolved, when the app is validated.
   */
  private refuseKeysSplitFromStackOutput(cluster: IWorkloadCluster, prefix: string): void {
    const scope = this.scope;
    scope.node.addValidation({
      validate: () => {
        const stack = Stack.of(scope);
        const output = stackOutputUnderSplit(stack.resolve(prefix));
        if (!output) { return []; }
        const region = Token.isUnresolved(stack.region) ? 'its region' : stack.region;
        const producer = `stack '${output.StackName}' (${output.Region ?? region})`;
        const name = clusterDisplayName(cluster);
        // Across regions or accounts there is no Fn::ImportValue; within them (a weak reference) it would have been imported.
        const elsewhere = output.Region !== undefined || output.RoleArn !== undefined;
        return [`The IRSA condition keys of '${scope.node.path}' in stack '${stack.stackName}' (${region}) would be split out of ` +
          `the OIDC provider ARN or issuer of cluster '${name}', which reaches that stack from ${producer} only as Fn::GetStackOutput: ` +
          'CloudFormation does not accept Fn::GetStackOutput inside Fn::Split' + (elsewhere
            ? ', and across regions or accounts it has no Fn::ImportValue (which a stack of the same account and region gets, and Fn::Split accepts). '
            : '. ') +
          `Pass the cluster's oidcIssuerUrl as a literal (aws eks describe-cluster --name ${name} --query cluster.identity.oidc.issuer) ` +
          `so the condition keys need no reference, or declare the identity in ${producer}, where that value is` +
          (elsewhere ? ', or in another stack of its account and region.' : '.')];
      },
    });
  }

  /**
   * Pod Identity: subjects of one namespace and ServiceAccount in one account share a statement that lists their
   * clusters, with `StringEquals` on `aws:SourceAccount` and the session tags EKS sends: every combination it admits
   * (that account, any listed cluster, that namespace, that name) was declared, and the trust grows by one cluster ARN
   * per cluster instead of one statement. A pattern's half with a wildcard is matched by `StringLike` (in a statement of
   * its own), the literal half and the source account and cluster exactly.
   */
  private addPodIdentity(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string, pattern: boolean): void {
    const clusterArn = cluster.clusterArn!;
    const kind = pattern ? 'like|' : '';
    const account = Token.isUnresolved(clusterArn) ? accountOf(clusterArn) : cluster._clusterEnvironment.account!;
    // A token ARN (a cluster created in the app) has a token account: it gets a statement of its own. A literal ARN's
    // account is the ARN's, so a subject admitted again finds its cluster ARN in its group: added once (unique).
    const groupKey = `${kind}${Token.isUnresolved(clusterArn) ? clusterArn : account}|${namespace}|${serviceAccountName}`;
    this.addToGroup(this.podIdentityGroups ??= new Map(), groupKey, clusterArn, true, clusterArns => {
      const exact: { [key: string]: unknown } = { 'aws:SourceAccount': account, [POD_IDENTITY_TAG_KEYS.clusterArn]: clusterArns };
      const like: { [key: string]: unknown } = {};
      (pattern && hasWildcard(namespace) ? like : exact)[POD_IDENTITY_TAG_KEYS.namespace] = namespace;
      (pattern && hasWildcard(serviceAccountName) ? like : exact)[POD_IDENTITY_TAG_KEYS.serviceAccount] = serviceAccountName;
      return new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
        actions: POD_IDENTITY_ACTIONS,
        conditions: this.withAdded(pattern ? { StringEquals: exact, StringLike: like } : { StringEquals: exact }, 'podIdentity'),
      });
    });
  }

  /** The opt-out: any association in the cluster's account may use the role (one statement per account). */
  private addPodIdentityAccount(cluster: IWorkloadCluster): void {
    const account = accountOf(cluster.clusterArn!);
    const key = Token.isUnresolved(account) ? JSON.stringify(Stack.of(this.scope).resolve(account)) : account;
    const accounts = this.podIdentityAccounts ??= new Set();
    if (accounts.has(key)) { return; }
    accounts.add(key);
    this.addStatement(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
      actions: POD_IDENTITY_ACTIONS,
      conditions: this.withAdded({ StringEquals: { 'aws:SourceAccount': account } }, 'podIdentity'),
    }));
  }
}

/** What one subject's trust admits (`WorkloadTrustPolicy.admit`). */
export interface SubjectTrust {
  /** IRSA, for this audience. */
  readonly irsaAudience?: string;
  /** Pod Identity: for the subject, or for any association of the cluster's account. */
  readonly podIdentity?: 'subject' | 'account';
  /** Whether the namespace or name is a pattern (wildcards). */
  readonly pattern?: boolean;
}

/** What Fn::GetStackOutput says of the producing stack: a region when it is another's, a role when another account's. */
interface StackOutput { readonly StackName: string; readonly Region?: string; readonly RoleArn?: unknown }

/** The Fn::GetStackOutput that a Fn::Split of the resolved value splits, if any. */
function stackOutputUnderSplit(value: unknown): StackOutput | undefined {
  if (Array.isArray(value)) { return value.map(stackOutputUnderSplit).find(o => o !== undefined); }
  if (value === null || typeof value !== 'object') { return undefined; }
  const split = (value as { 'Fn::Split'?: unknown[] })['Fn::Split'];
  const source = Array.isArray(split) ? (split[1] as { 'Fn::GetStackOutput'?: StackOutput } | undefined) : undefined;
  if (source && typeof source === 'object' && source['Fn::GetStackOutput']) { return source['Fn::GetStackOutput']; }
  return Object.values(value).map(stackOutputUnderSplit).find(o => o !== undefined);
}

function accountOf(arn: string): string {
  return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).account!;
}
