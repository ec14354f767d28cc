import { Annotations, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { usesIrsa } from '../../core/identity-mechanism';
import { WorkloadIdentityError } from '../../core/validation-error';
import { generatedRoleName, literalRoleArn, validateRoleName } from './role-arn';
import { givenRoleProps } from './role-options';
import { WorkloadIdentity } from '../identity/workload-identity';

/** Props of `PodIdentityTargetRole`. */
export interface PodIdentityTargetRoleProps {
  /**
   * The identity whose pods use the target role. Its role, in the cluster's
   * account, is the associations' role; EKS assumes it, then this one.
   */
  readonly identity: WorkloadIdentity;

  /**
   * Name of the target role. The associations name it by a literal ARN.
   *
   * @default - derived from the construct path and the region
   */
  readonly roleName?: string;

  /**
   * The `ExternalId` EKS gave each association of the identity, from the
   * first deployment's stack outputs (`<identity>ExternalId...`). With them the
   * trust requires `sts:ExternalId` (step 2 of the deployment).
   *
   * @default - step 1: the trust admits exactly the identity's role, without an ExternalId condition
   */
  readonly externalIds?: string[];

  /**
   * Description of the target role.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * The target role of a cross-account EKS Pod Identity chain, in the stack of
 * the account that owns the resources: its trust admits exactly the
 * identity's role (by `aws:PrincipalArn`, so either stack can deploy first)
 * for `sts:AssumeRole` (with the associations' `sts:ExternalId` once known)
 * and `sts:TagSession`. The identity's associations name it as their
 * `TargetRoleArn`, and its role may assume it.
 *
 * Grant the other account's resources to this construct
 * (`bucket.grantRead(target)`): the pods' credentials are the target role's.
 */
export class PodIdentityTargetRole extends Construct implements iam.IPrincipal {
  /**
   * The id of the info note step 1 prints (before `externalIds` are given):
   * `Annotations.of(scope).acknowledgeInfo(PodIdentityTargetRole.STEP_ONE_NOTE_ID, reason)` silences it.
   */
  public static readonly STEP_ONE_NOTE_ID = 'cdk-eks-workload-identity:target-role-step-1';

  /** The target role. */
  public readonly role: iam.Role;
  /** The principal to grant the other account's resources to (the target role's). */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The target role's assume-role action. */
  public readonly assumeRoleAction: string;
  /** The target role as a principal in a policy. */
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  /** The AWS account of the target role. */
  public readonly principalAccount?: string;
  /** The target role's ARN, literal: the associations carry it. */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: PodIdentityTargetRoleProps) {
    super(scope, id);
    const { identity } = props;
    const path = this.node.path;
    const sourceRoleArn = identity.primaryBinding.roleArn;
    if (sourceRoleArn === undefined) {
      throw new WorkloadIdentityError(
        `PodIdentityTargetRole '${path}' must name the role of WorkloadIdentity '${identity.node.path}' in its trust, but that ARN is unknown at synth. ` +
        "Give the identity's stack a literal env (account and region).", path);
    }
    const refusal = identity._targetRoleRefusal(path);
    if (refusal) { throw new WorkloadIdentityError(refusal, path); }
    const irsa = irsaSubjectProblem(path, identity);
    if (irsa) { throw new WorkloadIdentityError(irsa, path); }
    // A subject added later can use IRSA too: its pods would get the identity's role, not this one.
    this.node.addValidation({ validate: () => [irsaSubjectProblem(path, identity)].filter((p): p is string => p !== undefined) });
    const stack = Stack.of(this);
    if (Stack.of(identity) === stack) {
      throw new WorkloadIdentityError(
        `PodIdentityTargetRole '${path}' is in the stack of WorkloadIdentity '${identity.node.path}'. Put it in a stack of the account that owns the resources.`, path);
    }
    if (props.roleName !== undefined) { validateRoleName(props.roleName, path); }
    const roleName = props.roleName ?? generatedRoleName(this);
    this.roleArn = literalRoleArn(this, roleName, `PodIdentityTargetRole '${path}' is named by a literal ARN in the associations`);
    const sourceAccount = sourceRoleArn.split(':')[4];
    const externalIds = props.externalIds ?? [];
    for (const externalId of externalIds) {
      if (Token.isUnresolved(externalId) || !/^[\w+=,.@:\/-]{2,1224}$/.test(externalId)) {
        throw new WorkloadIdentityError(`Invalid externalId '${externalId}' of PodIdentityTargetRole '${path}': copy it literally from the identity stack's output.`, path);
      }
    }
    if (externalIds.length > 0) {
      // Step 2 names each association by its ExternalId: one left out is denied, one too many names an association that is gone.
      this.node.addValidation({ validate: () => [externalIdsProblem(path, identity, externalIds.length)].filter((p): p is string => p !== undefined) });
    }

    // Admit exactly the identity's role (aws:PrincipalArn), not the whole source account.
    const principal = new iam.AccountPrincipal(sourceAccount).withConditions({ ArnEquals: { 'aws:PrincipalArn': sourceRoleArn } });
    this.role = new iam.Role(this, 'Resource', givenRoleProps({
      roleName,
      description: props.description,
      assumedBy: externalIds.length === 0 ? principal : principal.withConditions({ StringEquals: { 'sts:ExternalId': externalIds } }),
    }));
    // EKS passes the session tags on to the target role.
    this.role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal(sourceAccount)],
      actions: ['sts:TagSession'],
      conditions: { ArnEquals: { 'aws:PrincipalArn': sourceRoleArn } },
    }));
    this.grantPrincipal = this.role.grantPrincipal;
    this.assumeRoleAction = this.role.assumeRoleAction;
    this.policyFragment = this.role.policyFragment;
    this.principalAccount = this.role.principalAccount;

    // The identity's side: its role may assume the target, its associations name it,
    // and each association's ExternalId is an output for step 2.
    identity.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [this.roleArn] }));
    identity._chainToTargetRole(this.roleArn, (association: eks.CfnPodIdentityAssociation) => {
      new CfnOutput(association, 'ExternalId', {
        value: association.attrExternalId,
        description: `ExternalId of ${association.node.path}: pass it in externalIds of ${path}`,
      });
    });
    if (externalIds.length === 0) {
      // Its own id (the CLI's 'Acknowledge with' hint names it), so acknowledging it silences this note only.
      Annotations.of(this).addInfoV2(PodIdentityTargetRole.STEP_ONE_NOTE_ID,
        `Step 1 of 2: the trust admits exactly the role ${sourceRoleArn}. After deploying stack '${Stack.of(identity).stackName}', ` +
        `pass its ExternalId outputs as externalIds and deploy stack '${stack.stackName}' again, so only the associations of that identity can assume it.`);
    }
  }

  /** Adds a statement to the target role's identity policy. */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return this.role.addToPrincipalPolicy(statement);
  }

  /** Adds a statement to the target role's identity policy. */
  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }
}

/** Why a subject of `identity` cannot reach the target role (it can use IRSA, which does not chain), or undefined. */
function irsaSubjectProblem(path: string, identity: WorkloadIdentity): string | undefined {
  const irsa = identity.bindings.find(b => usesIrsa(b.mechanism));
  return irsa && `PodIdentityTargetRole '${path}': ServiceAccount '${irsa.namespace}/${irsa.serviceAccountName}' of WorkloadIdentity '${identity.node.path}' ` +
    `uses ${irsa.mechanism}, but only Pod Identity associations chain to a target role. Use IdentityMechanism.POD_IDENTITY.`;
}

/** Why step 2's ExternalIds do not match the identity's associations one for one, or undefined. */
function externalIdsProblem(path: string, identity: WorkloadIdentity, given: number): string | undefined {
  const associations = identity._associationCount;
  if (given === associations) { return undefined; }
  return `PodIdentityTargetRole '${path}' has ${given} externalIds, but WorkloadIdentity '${identity.node.path}' declares ${associations} pod identity ` +
    `association${associations === 1 ? '' : 's'}: ` + (given < associations
    ? 'the trust would deny the associations whose ExternalId is missing (a subject added since step 1). Deploy the identity\'s stack, then pass every ExternalId output, ' +
      'or leave externalIds out (step 1) until all are known.'
    : 'some name no association of this identity (stale, or copied from another stack). Pass exactly the ExternalId outputs of the identity\'s stack.');
}
