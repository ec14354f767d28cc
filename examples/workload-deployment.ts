import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WorkloadBinding, WorkloadServiceAccount } from '../lib';

/** What the examples' pods run. */
export interface ExampleWorkload {
  /** Name of the Deployment, and prefix of the construct ids. */
  readonly name: string;
  /** The binding from the AWS side: namespace and ServiceAccount come from it. */
  readonly binding: WorkloadBinding;
  readonly image: string;
  readonly portNumber?: number;
}

/**
 * One workload's Kubernetes side in the examples: its namespace, its
 * ServiceAccount rendered from the binding, and a Deployment running as it.
 */
export function addWorkload(scope: Construct, workload: ExampleWorkload): kplus.Deployment {
  const { name, binding } = workload;
  const namespace = new kplus.Namespace(scope, `${name}-namespace`, { metadata: { name: binding.namespace } });
  const serviceAccount = new WorkloadServiceAccount(scope, `${name}-service-account`, { binding });
  serviceAccount.node.addDependency(namespace);
  return new kplus.Deployment(scope, name, {
    metadata: { name, namespace: binding.namespace },
    serviceAccount,
    containers: [{ image: workload.image, portNumber: workload.portNumber, securityContext: { user: 1000, group: 1000 } }],
  });
}
