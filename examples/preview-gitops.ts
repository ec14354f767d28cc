import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { WorkloadBindingFile } from '../lib/core';
import { WorkloadChart } from '../lib/k8s';

/**
 * The preview cluster's GitOps repository: a cdk8s-only program (no
 * aws-cdk-lib) that reads the bindings file the CDK app of `preview.ts` wrote
 * and opens a preview environment the CDK app has not heard of yet.
 *
 * The seeder's IRSA pattern (`pr-*` then `/seeder`) is recorded in the file:
 * its role already trusts `system:serviceaccount:pr-*:seeder`, so the new
 * namespace's seeder only needs its ServiceAccount with the role ARN, bound
 * here from the file alone. The web's pattern is Pod Identity: EKS gives
 * credentials only through an association, so `bindPatternMatch` refuses it
 * until the CDK app declares the preview (`addPatternMatch`) and deploys.
 */
export function addPreviewFromBindingsFile(app: cdk8s.App, bindingsFile: string, pullRequest: number): WorkloadChart {
  const { subjectPatterns = [] } = WorkloadBindingFile.readDocument(bindingsFile);
  const namespace = `pr-${pullRequest}`;
  const seeder = new WorkloadChart(app, `${namespace}-seeder`, {
    binding: WorkloadBindingFile.bindPatternMatch(subjectPatterns, { namespace, serviceAccountName: 'seeder' }),
  });
  new kplus.Deployment(seeder, 'seeder', {
    metadata: { name: 'seeder' },
    serviceAccount: seeder.serviceAccount,
    containers: [{ image: `public.ecr.aws/campus/seeder:pr-${pullRequest}`, securityContext: { user: 1000, group: 1000 } }],
  });
  return seeder;
}
