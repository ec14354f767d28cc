/**
 * Where a workload's pods run, as far as identity is concerned. EKS Pod
 * Identity needs the `eks-pod-identity-agent` DaemonSet on a Linux node and
 * the pod on the pod network, so only `LINUX_NODE` can use it.
 *
 * Mark a workload with `WorkloadIdentityGuardrails.markRuntime` (AWS side) or
 * `KubernetesGuardrails.markRuntime` (Kubernetes side); the mark
 * applies to the construct and everything below it (an identity, a stack, a
 * cdk8s Deployment or chart).
 */
export enum WorkloadRuntime {
  /** Pods on EC2 Linux nodes (managed, self-managed, Karpenter or Auto Mode). The default. */
  LINUX_NODE = 'LINUX_NODE',
  /** Pods on AWS Fargate: no DaemonSets, so no Pod Identity agent. Use IRSA. */
  FARGATE = 'FARGATE',
  /** Pods on Windows nodes: the Pod Identity agent is Linux-only. Use IRSA. */
  WINDOWS_NODE = 'WINDOWS_NODE',
  /** Pods with `hostNetwork: true`: EKS does not give them Pod Identity credentials. Use IRSA. */
  HOST_NETWORK = 'HOST_NETWORK',
}
