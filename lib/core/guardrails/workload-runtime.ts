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

/**
 * Why EKS Pod Identity gives no credentials on each runtime but `LINUX_NODE`:
 * the reason both sides' guardrails give (WI-AWS-12, WI-K8S-7). Fargate and
 * Windows: the EKS User Guide's "EKS Pod Identity restrictions"; hostNetwork:
 * aws/eks-pod-identity-agent issue #139 (the variables are injected, the
 * credential requests refused).
 */
export const POD_IDENTITY_UNSUPPORTED_BECAUSE: { readonly [runtime: string]: string } = {
  [WorkloadRuntime.FARGATE]: 'no DaemonSets on Fargate, so no Pod Identity agent',
  [WorkloadRuntime.WINDOWS_NODE]: 'the Pod Identity agent runs on Linux only',
  [WorkloadRuntime.HOST_NETWORK]: 'EKS gives hostNetwork pods no Pod Identity credentials',
};
