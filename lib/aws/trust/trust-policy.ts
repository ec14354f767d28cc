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
  private readonly irsaGroups = new Map<string, string[]>();
  /** Subject patterns per issuer and audience: one StringLike statement each. */
  private readonly irsaPatternGroups = new Map<string, string[]>();
  private readonly podIdentitySubjects = new Set<string>();
  /** Cluster ARNs per (account, namespace, ServiceAccount): one statement each. */
  private readonly podIdentityGroups = new Map<string, string[]>();
  private readonly podIdentityAccounts = new Set<string>();
  private document?: iam.PolicyDocument;
  /** Statements of subjects admitted before the role existed. */
  private readonly pending: iam.PolicyStatement[] = [];

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
    document.addStatements(...this.pending.splice(0));
  }

  public addIrsaSubject(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string, audience: string): void {
    const { provider, conditionKeyPrefix: prefix } = cluster._irsaTrust(audience, this.scope);
    // One statement per issuer and audience: two would carry the same condition keys, and aws-cdk-lib's
    // policy minimizer, seeing equal conditions (the subject lists are Lazy), would merge them into one's subjects.
    const groupKey = `${Token.isUnresolved(prefix) ? provider.openIdConnectProviderArn : prefix}|${audience}`;
    // The identity checked both names as it admitted the subject: the claim is built, not checked again.
    const subject = `system:serviceaccount:${namespace}:${serviceAccountName}`;
    const existing = this.irsaGroups.get(groupKey);
    if (existing) {
      // Another handle's provider object of the same issuer, in the role's account too: the same IAM provider.
      existing.push(subject);
      return;
    }
    const subjects = [subject];
    this.irsaGroups.set(groupKey, subjects);
    const subjectValue = Lazy.any({ produce: () => subjects.length === 1 ? subjects[0] : subjects });
    const conditions = this.withAdded({ StringEquals: { [`${prefix}:sub`]: subjectValue, [`${prefix}:aud`]: audience } }, 'irsa');
    // Keys split out of the provider's ARN import it strongly from a stack of the role's account and region: the
    // principal names the same import, so the provider's stack has one export for both, not an output besides.
    const providerArn = Token.isUnresolved(prefix) ? splittableIn(this.scope, provider.openIdConnectProviderArn) : provider.openIdConnectProviderArn;
    addStatement(this.document, this.pending, new iam.PolicyStatement({
      principals: [new iam.FederatedPrincipal(providerArn)],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: {
        ...conditions,
        // Condition keys cannot be tokens in CloudFormation: a cluster created in
        // the stack has a token issuer, and only CfnJson (a Lambda-backed custom
        // resource) can build such keys. A literal issuer needs none.
        StringEquals: !Token.isUnresolved(prefix) ? conditions.StringEquals
          : new CfnJson(this.scope, `IrsaCondition${this.irsaGroups.size}`, { value: conditions.StringEquals }),
      },
    }));
    if (Token.isUnresolved(prefix)) { this.refuseKeysSplitFromStackOutput(cluster, prefix); }
  }

  /**
   * Admits the ServiceAccounts a subject pattern matches by IRSA
   * (`system:serviceaccount:pr-*:web`): `StringLike` on `<issuer>:sub`, with
   * the exact `StringEquals` on `<issuer>:aud`. Patterns of one issuer and
   * audience share a statement of their own: in the exact subjects'
   * statement a `StringLike` would be ANDed with their `StringEquals`.
   */
  public addIrsaPattern(cluster: IWorkloadCluster, subjectPattern: string, audience: string): void {
    const { provider, conditionKeyPrefix: prefix } = cluster._irsaTrust(audience, this.scope);
    const groupKey = `${Token.isUnresolved(prefix) ? provider.openIdConnectProviderArn : prefix}|${audience}`;
    const existing = this.irsaPatternGroups.get(groupKey);
    if (existing) {
      if (!existing.includes(subjectPattern)) { existing.push(subjectPattern); }
      return;
    }
    const patterns = [subjectPattern];
    this.irsaPatternGroups.set(groupKey, patterns);
    const patternValue = Lazy.any({ produce: () => patterns.length === 1 ? patterns[0] : patterns });
    const conditions = this.withAdded({ StringLike: { [`${prefix}:sub`]: patternValue }, StringEquals: { [`${prefix}:aud`]: audience } }, 'irsa');
    const literal = !Token.isUnresolved(prefix);
    const n = this.irsaPatternGroups.size;
    const providerArn = literal ? provider.openIdConnectProviderArn : splittableIn(this.scope, provider.openIdConnectProviderArn);
    addStatement(this.document, this.pending, new iam.PolicyStatement({
      principals: [new iam.FederatedPrincipal(providerArn)],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: {
        ...conditions,
        // Token issuer: condition keys only CfnJson can build (see addIrsaSubject).
        StringLike: literal ? conditions.StringLike : new CfnJson(this.scope, `IrsaPatternCondition${n}`, { value: conditions.StringLike }),
        StringEquals: literal ? conditions.StringEquals : new CfnJson(this.scope, `IrsaPatternAudience${n}`, { value: conditions.StringEquals }),
      },
    }));
    if (!literal) { this.refuseKeysSplitFromStackOutput(cluster, prefix); }
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
   * Admits one (cluster, namespace, ServiceAccount). Subjects of one namespace
   * and ServiceAccount in one account share a statement that lists their
   * clusters: every combination it admits (that account, any listed cluster,
   * that namespace, that name) was declared, and the trust grows by one
   * cluster ARN per cluster instead of one statement.
   */
  public addPodIdentitySubject(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
    const clusterArn = cluster.clusterArn!;
    const key = `${clusterArn}|${namespace}|${serviceAccountName}`;
    if (this.podIdentitySubjects.has(key)) { return; }
    this.podIdentitySubjects.add(key);
    const account = Token.isUnresolved(clusterArn) ? accountOf(clusterArn) : cluster._clusterEnvironment.account!;
    // A token ARN (a cluster created in the app) has a token account: it gets a statement of its own.
    const groupKey = `${Token.isUnresolved(clusterArn) ? clusterArn : account}|${namespace}|${serviceAccountName}`;
    const existing = this.podIdentityGroups.get(groupKey);
    if (existing) {
      existing.push(clusterArn);
      return;
    }
    const clusterArns = [clusterArn];
    this.podIdentityGroups.set(groupKey, clusterArns);
    addStatement(this.document, this.pending, new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
      actions: POD_IDENTITY_ACTIONS,
      conditions: this.withAdded({
        StringEquals: {
          'aws:SourceAccount': account,
          [POD_IDENTITY_TAG_KEYS.clusterArn]: Lazy.any({ produce: () => clusterArns.length === 1 ? clusterArns[0] : clusterArns }),
          [POD_IDENTITY_TAG_KEYS.namespace]: namespace,
          [POD_IDENTITY_TAG_KEYS.serviceAccount]: serviceAccountName,
        },
      }, 'podIdentity'),
    }));
  }

  /**
   * Admits the ServiceAccounts a pattern matches by Pod Identity: the session
   * tags EKS sends (`kubernetes-namespace`, `kubernetes-service-account`)
   * under `StringLike` where a half is a pattern, `StringEquals` where it is
   * literal, with the source account and the cluster exact. Clusters of one
   * account share the statement, as exact subjects do.
   */
  public addPodIdentityPattern(cluster: IWorkloadCluster, namespace: string, serviceAccountName: string): void {
    const clusterArn = cluster.clusterArn!;
    const key = `like|${clusterArn}|${namespace}|${serviceAccountName}`;
    if (this.podIdentitySubjects.has(key)) { return; }
    this.podIdentitySubjects.add(key);
    const account = accountOf(clusterArn);
    const groupKey = `like|${Token.isUnresolved(clusterArn) ? clusterArn : account}|${namespace}|${serviceAccountName}`;
    const existing = this.podIdentityGroups.get(groupKey);
    if (existing) {
      existing.push(clusterArn);
      return;
    }
    const clusterArns = [clusterArn];
    this.podIdentityGroups.set(groupKey, clusterArns);
    const exact: { [key: string]: unknown } = {
      'aws:SourceAccount': account,
      [POD_IDENTITY_TAG_KEYS.clusterArn]: Lazy.any({ produce: () => clusterArns.length === 1 ? clusterArns[0] : clusterArns }),
    };
    const like: { [key: string]: unknown } = {};
    (hasWildcard(namespace) ? like : exact)[POD_IDENTITY_TAG_KEYS.namespace] = namespace;
    (hasWildcard(serviceAccountName) ? like : exact)[POD_IDENTITY_TAG_KEYS.serviceAccount] = serviceAccountName;
    addStatement(this.document, this.pending, new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
      actions: POD_IDENTITY_ACTIONS,
      conditions: this.withAdded({ StringEquals: exact, StringLike: like }, 'podIdentity'),
    }));
  }

  /** The opt-out: any association in the cluster's account may use the role (one statement per account). */
  public addPodIdentityAccount(cluster: IWorkloadCluster): void {
    const account = accountOf(cluster.clusterArn!);
    const key = Token.isUnresolved(account) ? JSON.stringify(Stack.of(this.scope).resolve(account)) : account;
    if (this.podIdentityAccounts.has(key)) { return; }
    this.podIdentityAccounts.add(key);
    addStatement(this.document, this.pending, new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
      actions: POD_IDENTITY_ACTIONS,
      conditions: this.withAdded({ StringEquals: { 'aws:SourceAccount': account } }, 'podIdentity'),
    }));
  }
}

/** Adds a statement to the role's trust policy, or keeps it until the role hands the policy over. */
function addStatement(document: iam.PolicyDocument | undefined, pending: iam.PolicyStatement[], statement: iam.PolicyStatement): void {
  if (document) { document.addStatements(statement); } else { pending.push(statement); }
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
