import * as path from 'path';
import { NestedStack, PolicyValidationStack, Stack, Stage } from 'aws-cdk-lib';
import { EnvironmentUtils, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';

/**
 * The stacks of an app as aws-cdk-lib hands them to a plugin registered on
 * the app (its own and its nested Stages' stacks, not NestedStacks), read off
 * the construct tree: path, template file in its Stage's assembly, and the
 * literal account and region (aws-cdk-lib 2.276.0, synthesis-validation.js).
 * The order is the tree's, not the assembly's.
 */
export function appStackTemplates(constructs: IConstruct[]): PolicyValidationStack[] {
  return constructs.filter((c): c is Stack => Stack.isStack(c) && !NestedStack.isNestedStack(c)).map(stack => {
    const env = EnvironmentUtils.parse(stack.environment);
    return {
      stackConstructPath: stack.node.path,
      templatePath: path.join(Stage.of(stack)!.outdir, stack.templateFile),
      accountId: env.account !== UNKNOWN_ACCOUNT ? env.account : undefined,
      region: env.region !== UNKNOWN_REGION ? env.region : undefined,
    };
  });
}
