import { Duration, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';
import { WorkloadIdentityError } from '../core/validation-error';

/** Props of `WorkloadRole`: the `iam.Role` props a workload identity passes on. */
export interface WorkloadRoleProps {
  /** @default - CloudFormation generates one */
  readonly roleName?: string;
  /** @default - none */
  readonly description?: string;
  /** @default Duration.hours(1) */
  readonly maxSessionDuration?: Duration;
  /** @default - none */
  readonly managedPolicies?: iam.IManagedPolicy[];
  /** @default - none */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

/**
 * The role a `WorkloadIdentity` creates: the CloudFormation `iam.Role` writes
 * (an `AWS::IAM::Role`, and on the first grant an `AWS::IAM::Policy` of its
 * own at the same construct path and logical id as iam.Role's `DefaultPolicy`,
 * so a resource policy that names the role never forms a cycle), built from
 * the L1s directly.
 *
 * Why not `iam.Role`: per role it also registers an aspect, records analytics
 * metadata, creates a policy construct with its own validation and checks for
 * precreated roles; at 200 workloads this role took synth from ~830 to
 * ~700 ms (`npm run bench`). What this gives up: identity policies over IAM's
 * inline quota do not overflow into managed policies (guardrail WI-AWS-14
 * reports them at synth), and `iam.Role.customizeRoles` does not apply
 * (`WorkloadIdentity` refuses it and says to pass the precreated role).
 */
export class WorkloadRole extends Resource implements iam.IRole {
  public readonly assumeRoleAction = 'sts:AssumeRole';
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly principalAccount: string | undefined = this.env.account;
  /** The trust policy. */
  public readonly assumeRolePolicy = new iam.PolicyDocument();
  /** The role's L1 resource. */
  public readonly resource: iam.CfnRole;

  private readonly managedPolicies: iam.IManagedPolicy[];
  private readonly attachedPolicies = new Set<iam.Policy>();
  private defaultPolicy?: { readonly document: iam.PolicyDocument; readonly resource: iam.CfnPolicy };
  private _roleArn?: string;
  private _roleName?: string;

  constructor(scope: Construct, id: string, props: WorkloadRoleProps = {}) {
    super(scope, id, { physicalName: props.roleName });
    this.managedPolicies = [...props.managedPolicies ?? []];
    const maxSessionDuration = props.maxSessionDuration?.toSeconds();
    if (maxSessionDuration !== undefined && !Token.isUnresolved(maxSessionDuration) && (maxSessionDuration < 3600 || maxSessionDuration > 43200)) {
      throw new WorkloadIdentityError(`Invalid maxSessionDuration ${maxSessionDuration} seconds for role '${this.node.path}': IAM allows 1 to 12 hours. Use e.g. Duration.hours(1).`);
    }
    if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > 1000) {
      throw new WorkloadIdentityError(`Invalid description for role '${this.node.path}': it has ${props.description.length} characters, IAM allows 1000. Shorten it.`);
    }

    this.resource = new iam.CfnRole(this, 'Resource', {
      assumeRolePolicyDocument: this.assumeRolePolicy,
      managedPolicyArns: this.managedPolicyArns(),
      permissionsBoundary: props.permissionsBoundary?.managedPolicyArn,
      roleName: this.physicalName,
      maxSessionDuration,
      description: props.description || undefined,
    });
    this.node.addValidation({ validate: () => this.validateRole() });
  }

  /**
   * The role's ARN, usable from any stack. Made on first use: the library's
   * own references are to the L1 in this stack.
   */
  public get roleArn(): string {
    return this._roleArn ??= this.getResourceArnAttribute(this.resource.attrArn, {
      region: '', // IAM is global in each partition
      service: 'iam',
      resource: 'role',
      resourceName: this.physicalName,
    });
  }

  /** The role's name, usable from any stack. */
  public get roleName(): string {
    return this._roleName ??= this.getResourceNameAttribute(this.resource.ref);
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return new iam.ArnPrincipal(this.roleArn).policyFragment;
  }

  public get roleRef(): iam.RoleReference {
    return { roleName: this.roleName, roleArn: this.roleArn };
  }

  /** Adds a statement to the role's own policy (`DefaultPolicy`), created on the first call. */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const policy = this.defaultPolicy ??= this.createDefaultPolicy();
    policy.document.addStatements(statement);
    return { statementAdded: true, policyDependable: policy.resource as IDependable };
  }

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    this.managedPolicies.push(policy);
    this.resource.managedPolicyArns = this.managedPolicyArns();
  }

  public attachInlinePolicy(policy: iam.Policy): void {
    if (this.attachedPolicies.has(policy)) { return; }
    this.attachedPolicies.add(policy);
    policy.attachToRole(this);
  }

  public grant(grantee: iam.IPrincipal, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.roleArn] });
  }

  public grantPassRole(grantee: iam.IPrincipal): iam.Grant {
    return iam.RoleGrants.fromRole(this).passRole(grantee);
  }

  public grantAssumeRole(grantee: iam.IPrincipal): iam.Grant {
    return iam.RoleGrants.fromRole(this).assumeRole(grantee);
  }

  private managedPolicyArns(): string[] | undefined {
    // Set, not Lazy: nothing to resolve at synth for the roles that have none.
    return this.managedPolicies.length === 0 ? undefined : [...new Set(this.managedPolicies.map(p => p.managedPolicyArn))];
  }

  private createDefaultPolicy(): { document: iam.PolicyDocument; resource: iam.CfnPolicy } {
    // Same construct path and logical id as iam.Role's DefaultPolicy.
    const holder = new Construct(this, 'DefaultPolicy');
    const document = new iam.PolicyDocument();
    const resource: iam.CfnPolicy = new iam.CfnPolicy(holder, 'Resource', {
      policyDocument: document,
      policyName: Lazy.string({ produce: (): string => lastCharacters(Stack.of(this).getLogicalId(resource), 128) }),
      // The L1 reference: the policy is always in the role's stack.
      roles: [this.resource.ref],
    });
    return { document, resource };
  }

  private validateRole(): string[] {
    // The inline-policy quota is checked on the rendered template by guardrail WI-AWS-14.
    return [...this.assumeRolePolicy.validateForTrustPolicy(), ...this.defaultPolicy?.document.validateForIdentityPolicy() ?? []];
  }
}

function lastCharacters(text: string, n: number): string {
  return text.length <= n ? text : text.substring(text.length - n);
}

