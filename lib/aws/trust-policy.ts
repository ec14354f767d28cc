import { Arn, ArnFormat, CfnJson, Lazy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KubernetesNames } from '../core/kubernetes-names';
import { POD_IDENTITY_ACTIONS, POD_IDENTITY_PRINCIPAL, POD_IDENTITY_TAG_KEYS } from '../core/pod-identity';
import { IWorkloadCluster } from './cluster/i-workload-cluster';

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
  private readonly podIdentitySubjects = new Set<string>();
  /** Cluster ARNs per (account, namespace, ServiceAccount): one statement each. */
  private readonly podIdentityGroups = new Map<string, string[]>();
  private podIdentityAccountStatement = false;
  private document?: iam.PolicyDocument;
  /** Statements of subjects admitted before the role existed. */
  private readonly pending: iam.PolicyStatement[] = [];

  constructor(private readonly scope: Construct) {
    super();
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
    const provider = cluster._ensureOpenIdConnectProvider(audience);
    const groupKey = `${provider.openIdConnectProviderArn}|${audience}`;
    const subject = KubernetesNames.serviceAccountSubject(namespace, serviceAccountName);
    const existing = this.irsaGroups.get(groupKey);
    if (existing) {
      existing.push(subject);
      return;
    }
    const subjects = [subject];
    this.irsaGroups.set(groupKey, subjects);
    const prefix = cluster._oidcConditionKeyPrefix();
    const subjectValue = Lazy.any({ produce: () => subjects.length === 1 ? subjects[0] : subjects });
    const condition = { [`${prefix}:sub`]: subjectValue, [`${prefix}:aud`]: audience };
    this.addStatement(new iam.PolicyStatement({
      principals: [new iam.FederatedPrincipal(provider.openIdConnectProviderArn)],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: {
        // Condition keys cannot be tokens in CloudFormation: a cluster created in
        // the stack has a token issuer, and only CfnJson (a Lambda-backed custom
        // resource) can build such keys. A literal issuer needs none.
        StringEquals: !Token.isUnresolved(prefix) ? condition : new CfnJson(this.scope, `IrsaCondition${this.irsaGroups.size}`, { value: condition }),
      },
    }));
  }

  private addStatement(statement: iam.PolicyStatement): void {
    if (this.document) { this.document.addStatements(statement); } else { this.pending.push(statement); }
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
    const account = accountOf(clusterArn);
    // A token ARN (a cluster created in the app) has a token account: it gets a statement of its own.
    const groupKey = `${Token.isUnresolved(clusterArn) ? clusterArn : account}|${namespace}|${serviceAccountName}`;
    const existing = this.podIdentityGroups.get(groupKey);
    if (existing) {
      existing.push(clusterArn);
      return;
    }
    const clusterArns = [clusterArn];
    this.podIdentityGroups.set(groupKey, clusterArns);
    this.addStatement(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
      actions: POD_IDENTITY_ACTIONS,
      conditions: {
        StringEquals: {
          'aws:SourceAccount': account,
          [POD_IDENTITY_TAG_KEYS.clusterArn]: Lazy.any({ produce: () => clusterArns.length === 1 ? clusterArns[0] : clusterArns }),
          [POD_IDENTITY_TAG_KEYS.namespace]: namespace,
          [POD_IDENTITY_TAG_KEYS.serviceAccount]: serviceAccountName,
        },
      },
    }));
  }

  /** The opt-out: any association in the cluster's account may use the role. */
  public addPodIdentityAccount(cluster: IWorkloadCluster): void {
    if (this.podIdentityAccountStatement) { return; }
    this.podIdentityAccountStatement = true;
    this.addStatement(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
      actions: POD_IDENTITY_ACTIONS,
      conditions: { StringEquals: { 'aws:SourceAccount': accountOf(cluster.clusterArn!) } },
    }));
  }
}

function accountOf(arn: string): string {
  return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).account!;
}
