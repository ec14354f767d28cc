import { Names, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { disallowedCharIn, show } from '../../core/validation/describe';
import { WorkloadIdentityError } from '../../core/validation-error';
import { PodSessionTag } from '../session/pod-session-tag';

// IAM: a path is '/' or '/.../' of printable ASCII (0x21-0x7E), at most 512 characters.
const PATH_CHAR = /[\x21-\x7e]/;
const PATH_MAX = 512;
// Role names are 1-64 of [\w+=,.@-]; the prefix leaves at least 32 characters for the unique part.
const PREFIX = /^[\w+=,.@-]+$/;
const PREFIX_MAX = 32;
// Tags of IAM roles and EKS resources: keys 1-128, values 0-256 characters, no 'aws:' prefix.
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;

/** Throws unless `path` is an IAM role path ('/' or '/teams/payments/'). */
export function validateRolePath(path: string, where: string): void {
  if (Token.isUnresolved(path)) { return; }
  const problem = !path.startsWith('/') || !path.endsWith('/') ? "it must begin and end with '/'"
    : path.length > PATH_MAX ? `it has ${path.length} characters; IAM allows ${PATH_MAX}`
      : disallowedCharIn(path, PATH_CHAR) ? `it contains ${disallowedCharIn(path, PATH_CHAR)}`
        : path.includes('//') ? "it contains '//'" : undefined;
  if (problem) {
    throw new WorkloadIdentityError(`Invalid rolePath ${show(path)}: ${problem}. Use '/' or e.g. '/teams/payments/'.`, where);
  }
}

/**
 * `props` without the keys whose value is undefined, for `iam.Role`. With
 * `@aws-cdk/core:enableAdditionalMetadataCollection` (on in new projects)
 * aws-cdk-lib records which props each L2 was given in the cloud assembly
 * (`aws:cdk:analytics:construct`), and a key passed as undefined is recorded
 * as set: a role without a description would be reported with one.
 */
export function givenRoleProps(props: iam.RoleProps): iam.RoleProps {
  const given: { [key: string]: unknown } = {};
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) { given[key] = value; }
  }
  return given as unknown as iam.RoleProps;
}

/**
 * The name of a role with `prefix`: the prefix, then a name derived from the
 * construct path and the region (the same on every synth), 64 characters at most, as
 * terraform's `name_prefix` and `use_name_prefix` give.
 */
export function prefixedRoleName(scope: Construct, prefix: string): string {
  if (Token.isUnresolved(prefix) || !PREFIX.test(prefix) || prefix.length > PREFIX_MAX) {
    throw new WorkloadIdentityError(
      `Invalid roleNamePrefix ${show(prefix)}: it must be 1-${PREFIX_MAX} literal letters, digits or + = , . @ _ - ` +
      'so the generated name after it stays unique within 64 characters. Shorten it.', scope.node.path);
  }
  // As generatedRoleName: the region at the end, so one app deployed to two regions does not collide.
  const region = Stack.of(scope).region;
  const suffix = Token.isUnresolved(region) ? '' : `-${region}`;
  return `${prefix}${Names.uniqueResourceName(scope, { maxLength: 64 - prefix.length - suffix.length })}${suffix}`;
}

/** The keys of the session tags EKS Pod Identity sets (EKS user guide, pod-id-abac): a role tag of that key would stand in for them. */
const SESSION_TAG_KEYS = [PodSessionTag.CLUSTER_ARN, PodSessionTag.CLUSTER_NAME, PodSessionTag.NAMESPACE, PodSessionTag.SERVICE_ACCOUNT,
  PodSessionTag.POD_NAME, PodSessionTag.POD_UID].map(tag => tag.key);

/** Applies `tags` to the role and associations under `scope`, refusing what IAM and EKS refuse. */
export function applyTags(scope: IConstruct, tags: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(tags)) {
    const problem = key.length < 1 || key.length > TAG_KEY_MAX ? `the key has ${key.length} characters; 1-${TAG_KEY_MAX} are allowed`
      : key.toLowerCase().startsWith('aws:') ? "keys beginning with 'aws:' are reserved for AWS"
        : SESSION_TAG_KEYS.includes(key.toLowerCase()) ? `it is a session tag EKS Pod Identity sets; as a tag of the role it would be aws:PrincipalTag/${key} ` +
          'of every session that carries no session tags (IRSA, or session tags disabled), so a grant by identity.sessionTag would match pods it was not meant for'
        : typeof value !== 'string' ? 'the value is not a string'
          : value.length > TAG_VALUE_MAX ? `the value has ${value.length} characters; ${TAG_VALUE_MAX} are allowed` : undefined;
    if (problem) {
      throw new WorkloadIdentityError(`Invalid tag ${show(key)}: ${problem}. ${SESSION_TAG_KEYS.includes(key.toLowerCase()) ? 'Choose another key' : 'Fix the tags of the WorkloadIdentity'}.`, scope.node.path);
    }
    Tags.of(scope).add(key, value);
  }
}
