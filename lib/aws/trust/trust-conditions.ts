import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { show } from '../../core/validation/describe';
import { WorkloadIdentityError } from '../../core/validation-error';

/** The conditions a user adds to one mechanism's trust statements: `{ operator: { key: value } }`. */
export type AddedConditions = { [operator: string]: any };

/** What differs between the two mechanisms' added conditions: how errors name them, and the keys their requests never carry. */
export interface AddedConditionsSide {
  /** The option, as errors name it. */
  readonly option: string;
  /** Keys that do make sense for this mechanism, for the fix in errors. */
  readonly usefulKeys: string;
  /** Keys absent from every request of this mechanism, and why. */
  readonly absentKeys?: { readonly pattern: RegExp; readonly why: string };
}

export const POD_IDENTITY_SIDE: AddedConditionsSide = {
  option: 'podIdentity.additionalTrustConditions',
  usefulKeys: 'aws:SourceOrgID, aws:SourceArn',
  // EKS calls sts:AssumeRole and sts:TagSession as the service principal pods.eks.amazonaws.com, from AWS's network, on its
  // own behalf: no IAM principal of an account (aws:PrincipalArn, ...Account, ...OrgID, ...OrgPaths, ...Tag/ name
  // the caller's IAM identity; a service principal has aws:PrincipalServiceName and aws:PrincipalIsAWSService instead), no
  // VPC endpoint of yours (aws:SourceVpc, aws:SourceVpce, aws:VpcSourceIp, aws:SourceVpcArn), and no OIDC token (issuer claims).
  absentKeys: {
    pattern: /^(aws:(Principal(Arn|Account|OrgID|OrgPaths|Tag\/.*)|SourceVpce?|VpcSourceIp|SourceVpcArn|FederatedProvider)|[^:]*\.[^:]*:(sub|aud|amr|azp|oaud))$/i,
    why: 'EKS Pod Identity requests come from the service principal pods.eks.amazonaws.com, through no VPC endpoint of yours and with no OIDC token, so they never carry it',
  },
};

export const IRSA_SIDE: AddedConditionsSide = {
  option: 'irsa.additionalTrustConditions',
  usefulKeys: 'aws:SourceIp, aws:SourceVpce',
  // STS evaluates AssumeRoleWithWebIdentity for a caller with no AWS identity, on no service's behalf.
  absentKeys: {
    pattern: /^aws:(Principal|Source(Account|Arn|OrgID|OrgPaths|Owner)$)/i,
    why: 'AssumeRoleWithWebIdentity requests come from no AWS principal and no AWS service, so they never carry it',
  },
};

/**
 * The library's conditions of a trust statement with the user's added: each
 * operator's keys together. A key the library already sets under the same
 * operator is refused, because replacing its value could widen the trust;
 * every other addition only narrows it (IAM ANDs conditions).
 */
export function withAddedConditions(base: iam.Conditions, added: AddedConditions | undefined, side: AddedConditionsSide, where: string): iam.Conditions {
  if (!added) { return base; }
  refuseToken(added, `${side.option}`, side, where);
  const merged: AddedConditions = { ...base };
  for (const [operator, keys] of Object.entries(added)) {
    refuseToken(operator, `${side.option} operator ${show(operator)}`, side, where);
    refuseToken(keys, `${side.option} ${show(operator)}`, side, where);
    const variant = LIBRARY_OPERATORS.find(own => own !== operator && own.toLowerCase() === operator.toLowerCase());
    if (variant !== undefined) {
      throw new WorkloadIdentityError(
        `Invalid ${side.option} operator ${show(operator)}: it spells the library's own ${variant} another way, which IAM reads as the same operator or refuses. ` +
        `Write ${variant} (the library's keys under it are refused; add other keys), or another operator.`, where);
    }
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
      throw new WorkloadIdentityError(
        `Invalid ${side.option} ${show(operator)}: it must map condition keys to values, e.g. { StringEquals: { '${side.usefulKeys.split(', ')[0]}': ... } }.`, where);
    }
    for (const key of Object.keys(keys)) { refuseToken(key, `${side.option} ${operator} key ${show(key)}`, side, where); }
    const absent = side.absentKeys && Object.keys(keys).find(k => side.absentKeys!.pattern.test(k));
    if (absent !== undefined) {
      throw new WorkloadIdentityError(
        `${side.option} ${operator} ${show(absent)} can never match: ${side.absentKeys!.why}, and the condition would deny every pod. ` +
        `Use keys these requests carry (e.g. ${side.usefulKeys}).`, where);
    }
    const own = base[operator] ?? {};
    const clash = Object.keys(keys).find(k => Object.keys(own).some(o => sameKey(o, k)));
    if (clash !== undefined) {
      throw new WorkloadIdentityError(
        `${side.option} ${operator} ${show(clash)} replaces a condition the library sets to admit exactly the declared subjects. ` +
        `Add conditions on other keys (e.g. ${side.usefulKeys}), or use another operator to narrow it.`, where);
    }
    merged[operator] = { ...own, ...keys };
  }
  return merged;
}

/** The operators the library writes its own conditions under. */
const LIBRARY_OPERATORS = ['StringEquals'];

/**
 * Operators, condition keys and the map under an operator are compared with
 * the library's own as strings, now: a token (Lazy, a reference) is known only
 * when the template is written, and could turn out to be the library's key or
 * operator and replace its condition (or, as an object, write its internals).
 * Values under a key may be tokens: they only narrow.
 */
function refuseToken(value: unknown, what: string, side: AddedConditionsSide, where: string): void {
  if (!Token.isUnresolved(value)) { return; }
  throw new WorkloadIdentityError(
    `Invalid ${what}: it is a token (Lazy, a reference or a parameter), known only when the template is written, so the library cannot check it does not ` +
    `replace a condition it sets to admit exactly the declared subjects. Write operators, condition keys and the map under each operator literally ` +
    `(e.g. { StringEquals: { '${side.usefulKeys.split(', ')[0]}': value } }); only the values may be tokens.`, where);
}

/**
 * Whether the user's `key` is the library's `own` key, in any case. A key
 * whose issuer is known only at deploy time (a token) may turn out to be any
 * issuer's: the same claim (`:sub`, `:aud`) of any issuer is taken as it.
 */
function sameKey(own: string, key: string): boolean {
  if (!Token.isUnresolved(own)) { return own.toLowerCase() === key.toLowerCase(); }
  return key.toLowerCase().endsWith(own.slice(own.lastIndexOf(':')).toLowerCase());
}

/** The added conditions in words, for the trust an existing role must have: `IpAddress aws:SourceIp = 203.0.113.0/24`. */
export function describeAddedConditions(added: AddedConditions | undefined): string | undefined {
  const parts = Object.entries(added ?? {}).flatMap(([operator, keys]) => Object.entries(keys ?? {})
    .map(([key, value]) => `${operator} ${key} = ${Array.isArray(value) ? value.join(' or ') : value}`));
  return parts.length > 0 ? parts.join(' and ') : undefined;
}
