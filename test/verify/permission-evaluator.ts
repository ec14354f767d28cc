/**
 * Evaluates what a workload role may do once assumed: its identity policies
 * (inline, AWS::IAM::Policy, customer managed) and the target's resource
 * policy when the template declares one (bucket, queue), with iam-simulate.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { SynthesizedApp } from './synthesized-app';
import { describeRole, PolicyDocument, SynthesizedWorkloadRole } from './workload-roles';
import { Decision } from './trust-evaluator';

export interface PermissionRequest {
  readonly action: string;
  readonly resource: string;
  /** Extra request context; aws:SecureTransport is 'true' unless set (pods call AWS over TLS). */
  readonly context?: Record<string, string | string[]>;
  /**
   * The target's resource policy when the template does not declare it (e.g. an
   * imported KMS key's key policy, without which KMS denies any identity policy).
   */
  readonly resourcePolicy?: PolicyDocument;
}

export interface PermissionResult {
  readonly role: SynthesizedWorkloadRole;
  readonly request: PermissionRequest;
  readonly actual: Decision;
}

export async function evaluatePermission(app: SynthesizedApp, role: SynthesizedWorkloadRole, request: PermissionRequest): Promise<PermissionResult> {
  const unresolvable = role.identityPolicies.filter(p => p.name.startsWith('unresolvable:'));
  if (unresolvable.length > 0) {
    throw new Error(`Role ${describeRole(role)} has AWS managed policies (${unresolvable.map(p => p.name).join(', ')}) whose text is not in the template; cannot evaluate it offline.`);
  }
  const resourceAccount = accountOfResource(request.resource, role.account);
  const response = await runSimulation({
    request: {
      // The caller is the role's session, as after AssumeRole.
      principal: `arn:${role.arn.split(':')[1]}:sts::${role.account}:assumed-role/${role.arn.split('/').pop()}/pod`,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
    },
    identityPolicies: role.identityPolicies.map(p => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy ?? resourcePolicyFor(app, request.resource),
  }, {});
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${request.action} on ${request.resource} for role ${describeRole(role)}: ${JSON.stringify(response.errors)}`);
  }
  return { role, request, actual: response.overallResult === 'Allowed' ? 'Allowed' : 'Denied' };
}

/** The resource policy the template attaches to the target, if any. */
function resourcePolicyFor(app: SynthesizedApp, resourceArn: string): PolicyDocument | undefined {
  for (const s of app.stacks) {
    const r = s.resolved;
    for (const id of r.logicalIdsOfType('AWS::S3::BucketPolicy')) {
      const p = r.properties(id);
      if (resourceArn === `arn:${r.partition}:s3:::${p.Bucket}` || resourceArn.startsWith(`arn:${r.partition}:s3:::${p.Bucket}/`)) { return p.PolicyDocument; }
    }
    for (const id of r.logicalIdsOfType('AWS::SQS::QueuePolicy')) {
      const p = r.properties(id);
      const arns = (p.Queues as string[]).map(url => {
        const [, , host, account, name] = url.split('/');
        return `arn:${r.partition}:sqs:${host.split('.')[1]}:${account}:${name}`;
      });
      if (arns.includes(resourceArn)) { return p.PolicyDocument; }
    }
    for (const id of r.logicalIdsOfType('AWS::SecretsManager::ResourcePolicy')) {
      const p = r.properties(id);
      if (p.SecretId === resourceArn) { return p.ResourcePolicy; }
    }
  }
  return undefined;
}

function accountOfResource(arn: string, fallback: string): string {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : fallback;
}

/**
 * What a bare policy document (an upstream controller policy, placeholders
 * filled) allows a role session of `account`, with iam-simulate.
 */
export async function evaluateDocument(account: string, document: PolicyDocument, request: PermissionRequest): Promise<Decision> {
  const response = await runSimulation({
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/upstream/pod`,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOfResource(request.resource, account) },
      contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
    },
    identityPolicies: [{ name: 'upstream', policy: document }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  }, {});
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${request.action} on ${request.resource} for the upstream document: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}
