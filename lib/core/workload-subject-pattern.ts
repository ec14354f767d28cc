import { BindingCluster, describeCluster, sameCluster } from './binding-cluster';
import { FargateProfileSelector } from './fargate-selector';
import { IdentityMechanism } from './identity-mechanism';
import { KubernetesNames } from './kubernetes-names';
import { hasWildcard, iamLikeMatches, likePatternsOverlap, validateNamespacePattern, validateServiceAccountPattern } from './subject-pattern';
import { show } from './validation/describe';
import { WorkloadIdentityError } from './validation-error';
import { IrsaServiceAccountSettings } from './workload-binding';

/**
 * A subject pattern a role trusts, as a bindings file records it
 * (`WorkloadIdentity.subjectPatterns`): the cluster, the pattern, the
 * mechanism and what a ServiceAccount of it carries. With an IRSA pattern, a
 * cdk8s-only repository binds a ServiceAccount the pattern matches from the
 * file alone (`WorkloadBindingFile.bindPatternMatch`), such as the one of a
 * new preview namespace: the role's trust already admits it. A Pod Identity
 * pattern is recorded too, and a match of it is refused there: EKS gives its
 * pods credentials only through an association the CDK app deploys.
 *
 * Plain, JSON-serializable data, like `WorkloadBinding`.
 */
export interface WorkloadSubjectPattern {
  /** Name of the cluster whose ServiceAccounts the pattern admits. */
  readonly clusterName: string;

  /**
   * ARN of the EKS cluster.
   *
   * @default - not known as a literal (a cluster that is not EKS, or whose ARN is a token)
   */
  readonly clusterArn?: string;

  /**
   * The pattern as `<namespace>/<name>`, each half a pattern or the literal
   * name, at least one a pattern (`pr-*` then `/web`); IRSA trusts it as
   * `system:serviceaccount:<namespace>:<name>` under `StringLike`.
   */
  readonly subjectPattern: string;

  /** How the pattern's ServiceAccounts get the role: only IRSA binds a new match from the file. */
  readonly mechanism: IdentityMechanism;

  /**
   * ARN of the role; required when the mechanism uses IRSA (each match's ServiceAccount carries it).
   *
   * @default - unknown at synth time (Pod Identity in an environment-agnostic stack)
   */
  readonly roleArn?: string;

  /**
   * The IRSA settings each match's ServiceAccount carries: the audience the
   * trust requires, when not `sts.amazonaws.com`, and the webhook's settings.
   *
   * @default - audience sts.amazonaws.com, the webhook's defaults
   */
  readonly irsa?: IrsaServiceAccountSettings;

  /**
   * The cluster's Fargate profile selectors that can select a namespace the
   * pattern matches: a match's binding carries those of its namespace.
   *
   * @default - none
   */
  readonly fargateSelectors?: FargateProfileSelector[];
}

/** A ServiceAccount to bind from a bindings file's subject patterns. */
export interface SubjectPatternMatch {
  /** Namespace of the ServiceAccount, e.g. a new preview environment's `pr-200`. */
  readonly namespace: string;

  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;

  /**
   * The cluster the ServiceAccount is on, when the patterns name several.
   *
   * @default - the one cluster the patterns name
   */
  readonly clusterName?: string;

  /**
   * The ARN of the cluster: tells apart clusters of one name in several accounts or regions.
   *
   * @default - any ARN of the cluster
   */
  readonly clusterArn?: string;
}

/** The two halves of a recorded pattern: namespace `pr-*` and name `web` of `pr-*` then `/web`. */
export function subjectPatternHalves(pattern: string): [string, string] {
  const [namespace, name] = pattern.split('/');
  return [namespace, name];
}

/**
 * Throws unless `pattern` is `<namespace>/<name>`, each half a safe pattern
 * (the rules of `WorkloadIdentity`'s `namespacePattern`/`serviceAccountPattern`)
 * or a valid name, at least one a pattern: what the library writes, and so
 * what the role's trust admits.
 */
export function validateSubjectPatternText(pattern: unknown, where: string): void {
  const halves = typeof pattern === 'string' ? pattern.split('/') : [];
  if (halves.length !== 2 || !hasWildcard(pattern as string)) {
    throw new WorkloadIdentityError(`Invalid ${where}: subjectPattern ${show(pattern)} must be '<namespace or pattern>/<name or pattern>' with a '*' or '?', e.g. 'pr-*/web'.`);
  }
  const [namespace, name] = halves;
  if (hasWildcard(namespace)) { validateNamespacePattern(namespace); } else { KubernetesNames.validateNamespace(namespace); }
  if (hasWildcard(name)) { validateServiceAccountPattern(name); } else { KubernetesNames.validateServiceAccountName(name); }
}

/** Whether the recorded pattern's trust admits `namespace/name`. */
export function subjectPatternAdmits(pattern: string, namespace: string, serviceAccountName: string): boolean {
  const [ns, name] = subjectPatternHalves(pattern);
  return iamLikeMatches(ns, namespace) && iamLikeMatches(name, serviceAccountName);
}

/** Whether a Fargate selector's namespace glob and the pattern's namespace half can name one namespace. */
export function selectorMayMatchPattern(selector: FargateProfileSelector, pattern: string): boolean {
  return likePatternsOverlap(subjectPatternHalves(pattern)[0], selector.namespace);
}

/** The pattern and its cluster, for messages. */
export function describeRecordedPattern(p: WorkloadSubjectPattern): string {
  return `subject pattern '${p.subjectPattern}' on cluster ${describeCluster(p)}`;
}

/**
 * The recorded patterns that admit `namespace/name` on the match's cluster,
 * or an error saying why there is none to bind it by: the patterns name
 * several clusters and the match none, or none of this cluster matches.
 */
export function patternsAdmitting(patterns: readonly WorkloadSubjectPattern[], match: SubjectPatternMatch): WorkloadSubjectPattern[] {
  const { namespace, serviceAccountName } = match;
  const wanted: BindingCluster | undefined = match.clusterName !== undefined || match.clusterArn !== undefined
    ? { clusterName: match.clusterName ?? match.clusterArn!.slice(match.clusterArn!.indexOf(':cluster/') + ':cluster/'.length), clusterArn: match.clusterArn }
    : undefined;
  const clusters = patterns.filter((p, i) => patterns.findIndex(o => sameCluster(o, p)) === i);
  if (wanted === undefined && clusters.length > 1) {
    throw new WorkloadIdentityError(
      `ServiceAccount '${namespace}/${serviceAccountName}' cannot be bound from subject patterns of several clusters (${clusters.map(describeCluster).join(', ')}): ` +
      'pass clusterName (and clusterArn), the cluster this app renders.');
  }
  const onCluster = wanted ? patterns.filter(p => sameCluster(p, wanted)) : patterns;
  const cluster = wanted ?? onCluster[0];
  const where = `ServiceAccount '${namespace}/${serviceAccountName}'${cluster ? ` on cluster ${describeCluster(cluster)}` : ''}`;
  const admitting = onCluster.filter(p => subjectPatternAdmits(p.subjectPattern, namespace, serviceAccountName));
  if (admitting.length === 0) {
    throw new WorkloadIdentityError(
      `${where} matches no subject pattern of the bindings file (${onCluster.length > 0
        ? `its patterns${wanted ? ' on that cluster' : ''}: ${onCluster.map(p => `'${p.subjectPattern}'`).join(', ')}` : `it records none${wanted ? ' on that cluster' : ''}`}), ` +
      'so no role trusts it. Declare it in the CDK app (addSubject, or addSubjectPattern with a pattern that matches it) and write the file again.');
  }
  return admitting;
}

/** Why a match of a Pod Identity pattern cannot be bound from the file alone, naming the fix. */
export function podIdentityPatternRefusal(p: WorkloadSubjectPattern, namespace: string, serviceAccountName: string): string {
  const half = p.mechanism === IdentityMechanism.BOTH ? 'whose Pod Identity half' : 'which';
  return `ServiceAccount '${namespace}/${serviceAccountName}' matches ${describeRecordedPattern(p)}${p.roleArn !== undefined ? ` (role '${p.roleArn}')` : ''}, ` +
    `${half} uses EKS Pod Identity (mechanism ${p.mechanism}): EKS gives its pods credentials only through a pod identity association, and has no wildcard ` +
    'association, so it cannot be bound from the bindings file alone. Declare it in the CDK app ' +
    `(identity.addPatternMatch({ cluster, namespace: '${namespace}', serviceAccountName: '${serviceAccountName}' })), deploy, and render it from its binding ` +
    'in the file written then; or declare the pattern with IdentityMechanism.IRSA, whose new matches need only their ServiceAccount.';
}
