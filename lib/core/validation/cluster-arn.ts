import { containsCdkToken, isWholeCdkToken, withoutCdkTokens } from '../cdk-token';
import { WorkloadIdentityError } from '../validation-error';
import { NOT_AN_ARN, accountProblem, partitionProblem, regionProblem, splitArn } from './aws-environment';
import { clusterNameProblem } from './cluster-name';
import { show } from './describe';
import { requireString } from './required';

const SHAPE = 'arn:<partition>:eks:<region>:<12-digit account>:cluster/<cluster name>, without wildcards';
const FIX = 'Copy it from `aws eks describe-cluster --name <name> --query cluster.arn`, or leave clusterArn out to build it from the stack';

/**
 * Throws unless `arn` is the ARN of one EKS cluster (it is a trust policy
 * condition value and names the account of `aws:SourceAccount`); with
 * `clusterName`, also unless it names that cluster. An aws-cdk-lib token is
 * accepted where it stands for a whole part (CloudFormation resolves it, as
 * the partition of an ARN built from a stack); the literal parts around it
 * are still checked (a stack's two-digit account).
 */
export function validateClusterArn(arn: unknown, clusterName?: string): void {
  const value = requireString(arn, 'The cluster ARN', `${FIX}.`);
  if (isWholeCdkToken(value)) { return; }
  const problem = clusterArnProblem(value);
  if (problem) {
    throw new WorkloadIdentityError(`Invalid EKS cluster ARN ${show(value)}: ${problem}. An EKS cluster ARN is ${SHAPE}. ${FIX}.`);
  }
  const name = value.slice(value.indexOf(':cluster/') + ':cluster/'.length);
  if (clusterName !== undefined && !containsCdkToken(clusterName) && !containsCdkToken(name) && name !== clusterName) {
    throw new WorkloadIdentityError(
      `Invalid EKS cluster ARN ${show(value)}: it names cluster ${show(name)}, not ${show(clusterName)}. ` +
      `Pass the ARN of cluster ${show(clusterName)} (arn:<partition>:eks:<region>:<account>:cluster/${clusterName}), or leave clusterArn out.`);
  }
}

function clusterArnProblem(arn: string): string | undefined {
  const parts = splitArn(arn);
  if (!parts) { return NOT_AN_ARN; }
  const [partition, service, region, account, resource] = parts;
  const partProblem = (what: string, value: string, problem?: string) =>
    problem && !containsCdkToken(value) ? `its ${what} ${show(value)} ${problem}` : undefined;
  return partProblem('partition', partition, partitionProblem(partition))
    ?? (service === 'eks' || containsCdkToken(service) ? undefined : `its service is ${show(service)}, not 'eks'`)
    ?? partProblem('region', region, regionProblem(region))
    ?? partProblem('account', account, accountProblem(account))
    ?? (resource.startsWith('cluster/') || containsCdkToken(resource) ? undefined : `its resource ${show(resource)} does not start with 'cluster/'`)
    // A token inside the name (a created cluster's) stands for valid text; the literal text around it is checked.
    ?? nameProblem(resource.slice('cluster/'.length));
}

function nameProblem(name: string): string | undefined {
  const problem = clusterNameProblem(withoutCdkTokens(name, 'a'));
  return problem ? `its cluster name ${show(name)} ${problem}` : undefined;
}
