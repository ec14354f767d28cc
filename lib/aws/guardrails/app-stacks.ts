import * as path from 'path';
import { NestedStack, PolicyValidationStack, Stack, Stage } from 'aws-cdk-lib';
import { EnvironmentUtils, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { isWorkloadCluster, IWorkloadCluster } from '../cluster/i-workload-cluster';

/**
 * What the guardrails look for among the constructs of an app, found in one
 * pass: at a hundred thousand constructs each test of a construct's kind
 * costs, and the stacks, NestedStacks and cluster handles were each
 * searched for apart.
 */
export interface AppScan {
  /** Every construct of the app, in tree order. */
  readonly constructs: IConstruct[];
  readonly stages: Stage[];
  /** The stacks of each Stage (and of the app), NestedStacks left out. */
  readonly stacksByStage: Map<Stage, Stack[]>;
  readonly nestedStacks: NestedStack[];
  readonly workloadClusters: IWorkloadCluster[];
}

/** Sorts every construct of an app (`constructs`, in tree order) into what the guardrails read. */
export function scanApp(constructs: IConstruct[]): AppScan {
  const scan = { constructs, stages: [] as Stage[], stacksByStage: new Map<Stage, Stack[]>(), nestedStacks: [] as NestedStack[], workloadClusters: [] as IWorkloadCluster[] };
  for (const c of constructs) {
    if (Stage.isStage(c)) {
      scan.stages.push(c);
    } else if (Stack.isStack(c)) {
      if (NestedStack.isNestedStack(c)) {
        scan.nestedStacks.push(c);
      } else {
        const stage = Stage.of(c)!;
        const stacks = scan.stacksByStage.get(stage);
        if (stacks) { stacks.push(c); } else { scan.stacksByStage.set(stage, [c]); }
      }
    }
    if (isWorkloadCluster(c)) { scan.workloadClusters.push(c); }
  }
  return scan;
}

/**
 * The stacks of an app as aws-cdk-lib hands them to a plugin registered on
 * the app (its own and its nested Stages' stacks, not NestedStacks), read off
 * the construct tree: path, template file in its Stage's assembly, and the
 * literal account and region (aws-cdk-lib 2.276.0, synthesis-validation.js).
 * In the assembly's order where the tree tells it (cloud-assembly-api's
 * stacksRecursively: the app's stacks, then each nested assembly's,
 * breadth first; in each, stacks after those they depend on, then by
 * artifact id); a stack synthesizer without an asset manifest can order
 * them otherwise.
 */
export function appStackTemplates(app: IConstruct[] | AppScan): PolicyValidationStack[] {
  const { stages, stacksByStage: byStage } = Array.isArray(app) ? scanApp(app) : app;
  const ordered: Stack[] = [];
  for (let queue = stages.filter(s => !s.parentStage); queue.length > 0;) {
    const stage = queue.shift()!;
    ordered.push(...inAssemblyOrder(byStage.get(stage) ?? []));
    queue.push(...stages.filter(s => s.parentStage === stage).sort((a, b) => compare(a.artifactId, b.artifactId)));
  }
  return ordered.map(stack => {
    const env = EnvironmentUtils.parse(stack.environment);
    return {
      stackConstructPath: stack.node.path,
      templatePath: path.join(Stage.of(stack)!.outdir, stack.templateFile),
      accountId: env.account !== UNKNOWN_ACCOUNT ? env.account : undefined,
      region: env.region !== UNKNOWN_REGION ? env.region : undefined,
    };
  });
}

/** After the stacks each depends on (in its assembly), then by artifact id, as a cloud assembly sorts them. */
function inAssemblyOrder(stacks: Stack[]): Stack[] {
  const level = new Map<Stack, number>();
  const levelOf = (stack: Stack, seen: Set<Stack>): number => {
    let l = level.get(stack);
    if (l === undefined) {
      seen.add(stack);
      l = 1 + Math.max(0, ...stack.dependencies.filter(d => stacks.includes(d) && !seen.has(d)).map(d => levelOf(d, seen)));
      level.set(stack, l);
    }
    return l;
  };
  stacks.forEach(s => levelOf(s, new Set()));
  return [...stacks].sort((a, b) => level.get(a)! - level.get(b)! || compare(a.artifactId, b.artifactId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
